"""`python -m verify`: check the live AWS resources of a stack against what wire-server needs.

Read-only except for small probe objects under `verify/` in the bucket (deleted again) and, with
`--as-service gundeck`, one disabled SNS endpoint per application (deleted again); docs/verify.md.
No Pulumi import: it runs where only boto3, pydantic and PyYAML are installed.
"""

"""`python -m verify`: check the live AWS resources of a stack against what wire-server needs.

Read-only except for one small S3 object under `verify/` (cargohold's put/get/delete round trip).
No Pulumi import: it runs where only boto3, pydantic and PyYAML are installed.
"""

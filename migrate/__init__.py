"""Moving an existing Wire installation from fake-aws to the stack's real AWS resources.

`python -m migrate assets ...` copies every object of the fake-aws-s3 (minio) bucket into the stack's
assets bucket: streamed, parallel, verified object by object, resumable and idempotent; with `--in-cluster` as an
Indexed Job of shards in the stack's namespace (incluster.py, shard.py).
`python -m migrate values ...` writes every release's helm values from the live stack outputs, for
operators who deploy the releases themselves (helmfile, Argo CD, Flux).
`python -m migrate adopt-check ...` reads every live resource `wire:adopt` names and lists how it differs
from what the program sets, refusing an adoption that would replace it.
Nothing in `components` or `plan` imports this package.
"""

"""How every SQS queue of the stack is configured (no Pulumi here): retention, polling, redrive.

`components/aws/queues.py` creates the queues with these, and `verify` compares the live queues with them.
"""

MAX_RECEIVE_COUNT = 5
# Services poll with WaitTimeSeconds 20 (brig, gundeck); long polling on the queue matches that.
RECEIVE_WAIT_SECONDS = 20
RETENTION_SECONDS = 4 * 24 * 3600
# A dead letter waits as long as SQS allows, so an operator has time to look at it.
DLQ_RETENTION_SECONDS = 14 * 24 * 3600
VISIBILITY_TIMEOUT_SECONDS = 60

"""brig's queues and table: internal events (always), user journal and prekey table (optional)."""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_aws as aws

from components import naming
from components.aws.common import adopted, child, stateful, tags
from components.aws.queues import EncryptedQueue
from components.config import StackConfig

COMPONENT = "brig"


class BrigStorage(pulumi.ComponentResource):
    internal_queue: EncryptedQueue
    user_journal: EncryptedQueue | None
    prekey_table: aws.dynamodb.Table | None
    # Always set: brig's config parser requires prekeyTable even with randomPrekeys.
    prekey_table_name: str

    def __init__(self, name: str, cfg: StackConfig, *, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("wire:aws:BrigStorage", name, None, opts)
        env = cfg.environment
        self.internal_queue = EncryptedQueue(
            naming.brig_internal_queue(env), cfg, component=COMPONENT, role="brigInternal", opts=child(self)
        )
        self.user_journal = None
        if cfg.features.user_journal:
            self.user_journal = EncryptedQueue(
                naming.user_journal_queue(env), cfg, component=COMPONENT, role="userJournal", opts=child(self)
            )
        self.prekey_table_name = naming.prekey_table(env)
        self.prekey_table = None
        if cfg.features.prekey_table:
            cmk = cfg.service_credentials.kms_key_arn
            table_args: dict[str, Any] = dict(
                name=self.prekey_table_name,
                # Key "<userId>.<clientId>"; brig's lock items are tiny and bursty, so on-demand.
                hash_key="client",
                attributes=[aws.dynamodb.TableAttributeArgs(name="client", type="S")],
                billing_mode="PAY_PER_REQUEST",
                point_in_time_recovery=aws.dynamodb.TablePointInTimeRecoveryArgs(enabled=True),
                # enabled=True with no key is the AWS-managed key (aws/dynamodb), visible and auditable in KMS.
                server_side_encryption=aws.dynamodb.TableServerSideEncryptionArgs(enabled=True, kms_key_arn=cmk),
                deletion_protection_enabled=cfg.is_production,
                tags=tags(COMPONENT),
            )
            self.prekey_table = aws.dynamodb.Table(
                self.prekey_table_name,
                **table_args,
                opts=stateful(self, cfg, **adopted(cfg, "prekeyTable", table_args)),
            )
        self.register_outputs(
            {
                "internalQueueUrl": self.internal_queue.url,
                "userJournalQueueUrl": self.user_journal.url if self.user_journal else None,
                "prekeyTableName": self.prekey_table_name,
                "prekeyTableArn": self.prekey_table.arn if self.prekey_table else None,
            }
        )

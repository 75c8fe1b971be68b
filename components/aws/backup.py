"""AWS Backup of what holds Wire's data (wire:backup): the prekey table, the assets bucket and the managed
PostgreSQL, into a vault encrypted with a key of its own, daily, kept `retentionDays`.

A backup is a second line behind the stores' own recovery (the table's point-in-time recovery, the
bucket's versions, RDS's automated backups): it survives the deletion of the store itself and its
own retention. AWS Backup backs S3 up only from a versioned bucket (the assets bucket always is). It does
not back up ElastiCache, Amazon MQ or OpenSearch: those keep their own snapshots (docs/datastores.md).
"""

from __future__ import annotations

import json

import pulumi
import pulumi_aws as aws

from components import naming
from components.aws.common import child, stateful, tags
from components.aws.parts import AwsComponents
from components.aws.recovery_policies import BACKUP_MANAGED_POLICIES, service_trust_policy
from components.config import StackConfig

COMPONENT = "backup"


class StackBackup(pulumi.ComponentResource):
    vault: aws.backup.Vault
    plan: aws.backup.Plan

    def __init__(
        self,
        name: str,
        cfg: StackConfig,
        *,
        resources: list[pulumi.Input[str]],
        account_id: pulumi.Input[str],
        partition: pulumi.Input[str],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("wire:aws:StackBackup", name, None, opts)
        backup = cfg.backup
        prefix = naming.backup(cfg.environment)
        key = aws.kms.Key(
            prefix,
            description=f"{prefix}: encrypts the backups of the {cfg.environment} stack",
            enable_key_rotation=True,
            deletion_window_in_days=30,
            tags=tags(COMPONENT),
            opts=child(self),
        )
        # The vault holds the recovery points: a stateful resource like the stores it backs up.
        self.vault = aws.backup.Vault(
            prefix, name=prefix, kms_key_arn=key.arn, tags=tags(COMPONENT), opts=stateful(self, cfg)
        )
        self.plan = aws.backup.Plan(
            prefix,
            name=prefix,
            rules=[
                aws.backup.PlanRuleArgs(
                    rule_name="daily",
                    target_vault_name=self.vault.name,
                    schedule=backup.schedule,
                    lifecycle=aws.backup.PlanRuleLifecycleArgs(delete_after=backup.retention_days),
                )
            ],
            tags=tags(COMPONENT),
            opts=child(self),
        )
        role = aws.iam.Role(
            prefix,
            name=prefix,
            description="AWS Backup backs up and restores the stack's table, bucket and stores with this role",
            assume_role_policy=pulumi.Output.from_input(account_id).apply(
                lambda account: json.dumps(service_trust_policy("backup.amazonaws.com", account))
            ),
            tags=tags(COMPONENT),
            opts=child(self),
        )
        attachments = [
            aws.iam.RolePolicyAttachment(
                f"{prefix}-{policy.rsplit('/', 1)[-1]}",
                role=role.name,
                policy_arn=pulumi.Output.concat("arn:", partition, ":iam::aws:policy/", policy),
                opts=child(self),
            )
            for policy in BACKUP_MANAGED_POLICIES
        ]
        aws.backup.Selection(
            prefix,
            name=prefix,
            plan_id=self.plan.id,
            iam_role_arn=role.arn,
            resources=resources,
            opts=child(self, depends_on=attachments),
        )
        self.register_outputs({"vaultName": self.vault.name, "planId": self.plan.id})


def backup_resources(parts: AwsComponents) -> list[pulumi.Input[str]]:
    """What the plan backs up: the assets bucket, the prekey table, the managed stores AWS Backup supports."""
    arns: list[pulumi.Input[str]] = [parts.assets.bucket_arn]
    if parts.brig.prekey_table is not None:
        arns.append(parts.brig.prekey_table.arn)
    arns += [store.backup_arn for _, store in sorted(parts.stores.items()) if store.backup_arn is not None]
    return arns

"""The AWS components of one stack, as one record the assembly steps (policies, record, exports) read."""

from __future__ import annotations

from dataclasses import dataclass, field

import pulumi

from components.aws.alarms import Alarms
from components.aws.asset_replica import AssetReplica
from components.aws.assets import AssetStorage
from components.aws.brig import BrigStorage
from components.aws.datastores.common import ManagedStore
from components.aws.email import EmailSending
from components.aws.galley import TeamEventsJournal
from components.aws.identity import ServiceIdentity
from components.aws.push import PushNotifications


@dataclass
class AwsComponents:
    push: PushNotifications
    brig: BrigStorage
    assets: AssetStorage
    # Only with SES email / the team-events journal.
    email: EmailSending | None
    team_events: TeamEventsJournal | None
    # CloudWatch alarms and their topic (alarms.enabled).
    alarms: Alarms | None = None
    # The assets bucket's replica in another region (wire:assets.replication).
    assets_replica: AssetReplica | None = None
    # AWS Backup of the table, the bucket and the managed stores (wire:backup).
    backup: pulumi.ComponentResource | None = None
    # Service -> identity; created last, from policies that read the components above.
    identities: dict[str, ServiceIdentity] = field(default_factory=dict)
    # Managed data stores by name (postgresql, redis, rabbitmq, elasticsearch).
    stores: dict[str, ManagedStore] = field(default_factory=dict)

    def role_arns(self) -> dict[str, pulumi.Output[str]]:
        return {svc: ident.role_arn for svc, ident in self.identities.items() if ident.role_arn is not None}

    def access_key_ids(self) -> dict[str, pulumi.Output[str]]:
        return {svc: ident.access_key_id for svc, ident in self.identities.items() if ident.access_key_id is not None}

    def secret_access_keys(self) -> dict[str, pulumi.Output[str]]:
        return {
            svc: ident.secret_access_key
            for svc, ident in self.identities.items()
            if ident.secret_access_key is not None
        }

    def by_role(self) -> dict[str, pulumi.ComponentResource]:
        """Every component by role (push, brig, email, teamEvents, assets, alarms, identity:<svc>)."""
        components: dict[str, pulumi.ComponentResource] = {"push": self.push, "brig": self.brig, "assets": self.assets}
        if self.email is not None:
            components["email"] = self.email
        if self.team_events is not None:
            components["teamEvents"] = self.team_events
        if self.alarms is not None:
            components["alarms"] = self.alarms
        if self.assets_replica is not None:
            components["assetsReplica"] = self.assets_replica
        if self.backup is not None:
            components["backup"] = self.backup
        components.update({f"identity:{svc}": ident for svc, ident in self.identities.items()})
        components.update({f"store:{name}": store for name, store in self.stores.items()})
        return components

"""`StackConfig`: every section of the guide composed, the rules that span sections, and derived values.

The rules of one section live in its own module; the rules that relate two sections (or a section and
the environment, domain or region) register in registry.py (rules.py and the other modules of all_rules.py)
and loading.py runs them: this module imports none of them, so none of them imports back into a circle.
AWS names derived from `environment` stay within AWS's limits by the environment pattern alone
(tests/components/config/test_stack.py checks `naming.all_names`).
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, field_validator, model_validator

from components.config.addons import Addons
from components.config.adopt import Adopt
from components.config.alarms import Alarms
from components.config.assets import Assets
from components.config.base import DomainName, Model
from components.config.cannon import Cannon
from components.config.charts import Charts
from components.config.databases import Databases
from components.config.dns import Dns
from components.config.email import Email
from components.config.endpoints import AwsEndpoints
from components.config.features import Features
from components.config.identity import CredentialsMode, ServiceCredentials
from components.config.ingress import Ingress
from components.config.kubernetes import Kubernetes
from components.config.layered import LayeredValues
from components.config.link_previews import LinkPreviews
from components.config.network import Network
from components.config.network_policies import ClusterEndpoint, NetworkPolicyMode
from components.config.nginz import Nginz
from components.config.proxy import HttpProxy
from components.config.push import Push, PushMode
from components.config.recovery import Backup
from components.config.regions import AwsRegion
from components.config.registry import WARNING_RULES
from components.config.replicas import Replicas
from components.config.service_secrets import ServiceSecrets
from components.config.sso import SamlContact, Sso
from components.config.teams import Teams
from components.config.verify import Verify
from components.config.web_apps import WebApps
from components.config.wire_builds import chart_overrides, check_release_name, newest_release, with_release_charts

_ENV_RE = re.compile(r"^[a-z][a-z0-9]{0,19}$")


def _environment(value: str) -> str:
    if not _ENV_RE.match(value):
        raise ValueError(
            f"'{value}' must be 1-20 lower-case letters and digits, starting with a letter: it prefixes every "
            "AWS name and becomes gundeck's arnEnv, which may not contain '-'"
        )
    return value


def with_defaults(data: Any) -> Any:
    """What the stack means when a section is left out, where that differs from the section's own default."""
    # IRSA is the default; an explicit section wins.
    if isinstance(data, dict) and "serviceCredentials" not in data and "service_credentials" not in data:
        data = {**data, "serviceCredentials": {"mode": "irsa"}}
    # The charts of the release (wire:release, else the newest known), under the operator's wire:charts.
    if isinstance(data, dict):
        data = {**data, "charts": with_release_charts(data.get("charts"), data.get("release"))}
    return data


class StackConfig(Model):
    environment: Annotated[str, AfterValidator(_environment)]
    """Name prefix of every AWS resource and gundeck's arnEnv (lower-case letters and digits)."""
    domain: DomainName
    """Base domain: the Wire hostnames are `<host>.<domain>`."""
    region: AwsRegion
    """AWS region, from `aws:region`."""
    federation_domain: DomainName | None = None
    """Federation domain, when it is not `domain` (e.g. the apex `example.com` of a backend at `wire.example.com`):
    brig, galley, cargohold and background-worker all get it. Permanent: set it before the first user signs up,
    never change it. The only way to give the services another federation domain than `domain` (federation.py)."""
    production: bool | None = None
    """Whether this stack is production: protects and retains stateful resources (bucket, table, queues,
    DynamoDB deletion protection), Let's Encrypt's production CA, 3 Cassandra replicas. Required, never
    derived from the environment's name."""
    kubernetes: Kubernetes = Field(default_factory=Kubernetes)
    """Where the releases go."""
    service_credentials: ServiceCredentials = Field(
        default_factory=lambda: ServiceCredentials(mode=CredentialsMode.STATIC_KEYS)
    )
    """How the services authenticate to AWS."""
    push: Push = Field(default_factory=Push)
    """Push notifications (gundeck)."""
    email: Email
    """Email (brig)."""
    assets: Assets = Field(default_factory=Assets)
    """Asset storage (cargohold)."""
    features: Features = Field(default_factory=Features)
    """Optional queues and table."""
    dns: Dns | None = None
    """Route53 records; none are managed when unset."""
    proxy: HttpProxy = Field(default_factory=HttpProxy)
    """Outbound HTTP(S) proxy (guide: "Redirect some traffic through a http(s) proxy")."""
    cannon: Cannon = Field(default_factory=Cannon)
    """Websocket service."""
    nginz: Nginz = Field(default_factory=Nginz)
    """nginz upstreams (guide: "Control nginz upstreams")."""
    teams: Teams = Field(default_factory=Teams)
    """Team and conversation size."""
    web_apps: WebApps = Field(default_factory=WebApps)
    """team-settings, account-pages and IS_SELF_HOSTED."""
    link_previews: LinkPreviews = Field(default_factory=LinkPreviews)
    """Link previews through the proxy service."""
    sso: Sso = Field(default_factory=Sso)
    """SSO: spar's SAML service provider."""
    replicas: Replicas = Field(default_factory=Replicas)
    """Replica counts (3 for high availability)."""
    databases: Databases = Field(default_factory=Databases)
    """External databases."""
    network: Network | None = None
    """The VPC, private subnets and client security groups of the managed data stores (databases.<store>.managed)."""
    network_policies: NetworkPolicyMode = NetworkPolicyMode.ENFORCE
    """`enforce`: default-deny NetworkPolicies in the Wire namespace and only the flows the releases use allowed
    (docs/security.md); `off`: none."""
    cluster_endpoint: ClusterEndpoint = Field(default_factory=ClusterEndpoint)
    """What verify expects of the EKS cluster's API endpoint (public access, allowed CIDRs)."""
    secrets: ServiceSecrets = Field(default_factory=ServiceSecrets)
    """Service secrets unrelated to AWS."""
    release: Annotated[str, AfterValidator(check_release_name)] = Field(default_factory=newest_release)
    """Wire release (a wireapp/wire-builds release branch, e.g. `2026-q2`; default: the newest the program
    knows): the version and helm repository of every Wire chart and of cert-manager, as Wire ships them."""
    charts: Charts = Field(default_factory=Charts)
    """Chart sources: the release's, and per chart an override (`version`, `repo`, or a local `path`)."""
    ingress: Ingress = Field(default_factory=Ingress)
    """Entry point (ingress controller and its load balancer)."""
    service_endpoints: AwsEndpoints = Field(default_factory=AwsEndpoints)
    """AWS endpoints as the services see them (emulators); derived from the region when unset."""
    alarms: Alarms = Field(default_factory=Alarms)
    """CloudWatch alarms on what breaks silently (dead letters, backlogs, SES reputation, push failures)."""
    backup: Backup = Field(default_factory=Backup)
    """AWS Backup of the prekey table, the assets bucket and the managed PostgreSQL (docs/restore.md)."""
    verify: Verify = Field(default_factory=Verify)
    """In-cluster verify after the release (opt-in)."""
    addons: Addons = Field(default_factory=Addons)
    """Cluster add-ons: cert-manager and the AWS Load Balancer Controller, installed or checked (docs/addons.md)."""
    extra_values: dict[str, dict[str, Any]] = {}
    """Raw helm values merged last, per release (wireServer, nginxIngressServices, webapp, teamSettings, ...)."""
    layered_values: LayeredValues = Field(default_factory=LayeredValues)
    """The operator's existing values files per release, layered under the computed values (docs/migration.md)."""
    adopt: Adopt = Field(default_factory=Adopt)
    """Existing helm releases and AWS resources the stack takes over with Pulumi's import (docs/migration.md)."""
    sms: Any = None
    """The guide's "Sign up with a phone number": rejected, see _no_sms."""

    @field_validator("production")
    @classmethod
    def _stated(cls, value: bool | None) -> bool:
        # Runs for a missing key too (validate_default), so it is reported with every other problem.
        if value is None:
            raise ValueError(
                "is required: say whether this stack is production (protection and retention of stateful "
                "resources, trusted Let's Encrypt certificates); set it: pulumi config set wire:production true "
                "(or false)"
            )
        return value

    @model_validator(mode="before")
    @classmethod
    def _defaults(cls, data: Any) -> Any:
        return with_defaults(data)

    # --- derived values (deterministic) ---

    @property
    def is_production(self) -> bool:
        return bool(self.production)

    @property
    def arn_env(self) -> str:
        if self.push.mode == PushMode.EXTERNAL and self.push.external:
            return self.push.external.arn_env
        return self.environment

    @property
    def bucket_name(self) -> str:
        return self.assets.bucket_name or f"{self.environment}-{self.domain.replace('.', '-')}-wire-assets"

    @property
    def replica_bucket_name(self) -> str:
        """The replica bucket: `wire:assets.replication.bucketName`, else `<assets bucket>-replica`."""
        return self.assets.replication.bucket_name or f"{self.bucket_name}-replica"

    @property
    def noncurrent_days(self) -> int:
        """Days a deleted or overwritten asset stays restorable (wire:assets.versions.noncurrentDays)."""
        return self.assets.versions.days(self.is_production)

    @property
    def nginz_ignored_upstreams(self) -> list[str]:
        """Ignored upstreams, with `cannon` added when cannon has its own load balancer."""
        ignored = list(self.nginz.ignored_upstreams)
        if self.cannon.websocket_load_balancer.enabled and "cannon" not in ignored:
            ignored.append("cannon")
        return ignored

    @property
    def saml_contacts(self) -> list[dict[str, str]]:
        """spar's contacts: the configured ones, or the sender address as the technical contact."""
        contacts = self.sso.contacts or [SamlContact(type="ContactTechnical", email=self.email.sender)]
        return [contact.chart_value() for contact in contacts]

    @property
    def nginz_extra_upstreams(self) -> list[str]:
        """Optional upstreams, with `proxy` added when link previews are on (the clients reach it through nginz)."""
        extra = list(self.nginz.extra_upstreams)
        if self.link_previews.enabled and "proxy" not in extra:
            extra.append("proxy")
        return extra

    @property
    def chart_overrides(self) -> list[str]:
        """Charts that differ from `release`'s manifest, one line each (empty: the release as Wire ships it)."""
        return chart_overrides(self.charts, self.release)

    def warnings(self) -> list[str]:
        found = self.cannon.drain.warnings() + self.teams.warnings() + self.adopt.warnings()
        found += self.layered_values.warnings()
        found += self._websocket_dns_warnings()
        previews = self.link_previews
        keys = (previews.youtube, previews.googlemaps, previews.soundcloud, previews.giphy, previews.spotify)
        # An operator's own proxy_config (layered values) is kept as it is: their keys are in it.
        layered_config = self.layered_values.value_at("wireServer", "proxy.secrets.proxy_config")
        if previews.enabled and not any(keys) and not layered_config:
            found.append(
                "linkPreviews.enabled but no API key is set: the proxy service runs, previews stay empty; "
                "set e.g. pulumi config set --secret --path 'wire:linkPreviews.giphy' <key>"
            )
        # The rules reading several sections (registry.py), in the order all_rules.py registers them.
        found += [problem for check in WARNING_RULES for problem in check(self)]
        return found

    def _websocket_dns_warnings(self) -> list[str]:
        """DNS that would disagree with the values: a websocket host at a load balancer that does not serve it."""
        wslb = self.cannon.websocket_load_balancer
        if self.dns is None or self.kubernetes.releases or not wslb.enabled or not wslb.hostname or wslb.external_dns:
            return []
        return [
            f"cannon.websocketLoadBalancer with kubernetes.releases: false: no DNS record is made for {wslb.hostname}. "
            "These values serve websockets on cannon's own load balancer, which this stack does not deploy, and "
            "the ingress (dns.target) stops serving them once they are applied. While moving off fake-aws, leave "
            "websocketLoadBalancer disabled (websockets stay on nginz-ssl behind the ingress) and enable it with "
            f"kubernetes.releases: true, or point {wslb.hostname} at cannon's load balancer yourself right after "
            "the values switch"
        ]

    def endpoint(self, service: Literal["sqs", "sns", "ses", "dynamodb", "s3"]) -> str:
        override = getattr(self.service_endpoints, service)
        if override:
            return override
        host = "email" if service == "ses" else service
        return f"https://{host}.{self.region}.amazonaws.com"

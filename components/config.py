"""The stack configuration a Wire operator writes, and every rule it must follow.

One pydantic model, `StackConfig`, covers every section of Wire's guide "Infrastructure
configuration options". It is read once (in `__main__.py`, or by the offline plan) from the
`wire:` namespace of a `Pulumi.<stack>.yaml`; keys are camelCase. Nothing here imports Pulumi:
the rules are testable as plain functions.

Secret values (SMTP password, zAuth keys, push credentials, link-preview keys, access keys,
database passwords, TLS keys) are `SecretStr`: they print as `**********` and the Pulumi layer
wraps them in `Output.secret`. A secret written in plain text in the stack file is an error.
"""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    model_validator,
)
from pydantic.alias_generators import to_camel

NAMESPACE = "wire"

# Wire's backend fans a message out to at most 2000 recipients (guide: "I have a team larger than 500 users").
FANOUT_LIMIT = 2000
MAX_DRAIN_GRACE_SECONDS = 86400

DEFAULT_UPSTREAMS = ("brig", "cannon", "cargohold", "galley", "gundeck", "spar")
EXTRA_UPSTREAMS = ("ibis", "galeb", "calling-test", "proxy")
PROXY_SERVICES = ("brig", "galley", "gundeck", "cargohold", "spar", "proxy")
AWS_SERVICES = ("brig", "galley", "gundeck", "cargohold")

_HOST_LABEL = r"(?!-)[a-z0-9-]{1,63}(?<!-)"
_HOSTNAME_RE = re.compile(rf"^{_HOST_LABEL}(\.{_HOST_LABEL})*$")
_ENV_RE = re.compile(r"^[a-z][a-z0-9]{0,19}$")
_EMAIL_RE = re.compile(r"^[A-Za-z0-9._%+-]+@([A-Za-z0-9-]+\.)+[A-Za-z]{2,}$")
_URL_RE = re.compile(r"^https?://[^\s/$.?#][^\s]*$")
_ACCOUNT_RE = re.compile(r"^\d{12}$")
_REGION_RE = re.compile(r"^[a-z]{2}(-gov)?-[a-z]+-\d$")
_OIDC_ARN_RE = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:oidc-provider/(?P<issuer>[^\s]+)$")
_KMS_ARN_RE = re.compile(r"^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key/[0-9a-f-]+$")
_BUCKET_RE = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")


def _hostname(value: str) -> str:
    if not _HOSTNAME_RE.match(value) or len(value) > 253:
        raise ValueError(f"'{value}' is not a valid DNS hostname (lower-case labels of a-z, 0-9 and '-')")
    return value


def _email(value: str) -> str:
    if not _EMAIL_RE.match(value):
        raise ValueError(f"'{value}' is not an email address")
    return value


def _url(value: str) -> str:
    if not _URL_RE.match(value):
        raise ValueError(f"'{value}' is not an http(s) URL")
    return value


Hostname = Annotated[str, AfterValidator(_hostname)]
EmailAddress = Annotated[str, AfterValidator(_email)]
Url = Annotated[str, AfterValidator(_url)]
PositiveInt = Annotated[int, Field(gt=0)]
Port = Annotated[int, Field(gt=0, lt=65536)]


class Model(BaseModel):
    """Base for every config section: camelCase keys, unknown keys rejected, immutable."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="forbid",
        frozen=True,
        use_enum_values=True,
        # Defaults go through validation too, so enum defaults become their values like configured ones.
        validate_default=True,
    )


# --- identity -------------------------------------------------------------------------------------


class CredentialsMode(StrEnum):
    IRSA = "irsa"
    STATIC_KEYS = "staticKeys"


class ServiceCredentials(Model):
    """How brig, galley, gundeck and cargohold authenticate to AWS."""

    mode: CredentialsMode = CredentialsMode.IRSA
    """`irsa`: an IAM role per service account (needs oidcProviderArn); `staticKeys`: an IAM user and
    access key per service."""
    oidc_provider_arn: str | None = None
    """EKS cluster's IAM OIDC provider, e.g.
    arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-central-1.amazonaws.com/id/ABC"""
    kms_key_arn: str | None = None
    """Customer-managed KMS key for queues, topics, table and bucket; AWS-managed keys when unset."""

    @model_validator(mode="after")
    def _check(self) -> ServiceCredentials:
        if self.oidc_provider_arn is not None and not _OIDC_ARN_RE.match(self.oidc_provider_arn):
            raise ValueError(
                "oidcProviderArn must look like arn:aws:iam::<account>:oidc-provider/<issuer host/path> "
                "(aws eks describe-cluster --query cluster.identity.oidc.issuer)"
            )
        if self.mode == CredentialsMode.IRSA and not self.oidc_provider_arn:
            raise ValueError(
                "mode 'irsa' needs oidcProviderArn (the EKS cluster's IAM OIDC provider); "
                "set it, or choose mode 'staticKeys'"
            )
        if self.kms_key_arn is not None and not _KMS_ARN_RE.match(self.kms_key_arn):
            raise ValueError("kmsKeyArn must be a KMS key ARN: arn:aws:kms:<region>:<account>:key/<id>")
        return self

    @property
    def oidc_issuer(self) -> str | None:
        """Issuer host/path of the OIDC provider (the `<issuer>:sub` condition key prefix)."""
        if not self.oidc_provider_arn:
            return None
        match = _OIDC_ARN_RE.match(self.oidc_provider_arn)
        return match.group("issuer") if match else None


class Kubernetes(Model):
    namespace: Hostname = "wire"
    """Namespace of the wire-server releases (also in the cannon pod names of noProxyList)."""
    context: str | None = None
    """kubeconfig context to deploy to; the ambient kubeconfig's current context when unset."""
    kubeconfig: str | None = None
    """Path of a kubeconfig file; the ambient one ($KUBECONFIG, ~/.kube/config) when unset."""
    cluster_stack: str | None = None
    """A cluster stack ("org/project/stack") exporting `kubeconfig` (and optionally `oidcProviderArn`)."""

    @model_validator(mode="after")
    def _check(self) -> Kubernetes:
        if self.cluster_stack and (self.context or self.kubeconfig):
            raise ValueError("set either clusterStack or context/kubeconfig, not both")
        if self.cluster_stack and self.cluster_stack.count("/") != 2:
            raise ValueError("clusterStack must be a fully qualified stack name: <org>/<project>/<stack>")
        return self


# --- push notifications (gundeck) ---------------------------------------------------------------


class PushMode(StrEnum):
    CREATE = "create"
    EXTERNAL = "external"
    DISABLED = "disabled"


class PushPlatform(StrEnum):
    APNS = "APNS"
    APNS_SANDBOX = "APNS_SANDBOX"
    APNS_VOIP = "APNS_VOIP"
    APNS_VOIP_SANDBOX = "APNS_VOIP_SANDBOX"
    GCM = "GCM"


class PushApp(Model):
    """One SNS platform application, named `<environment>-<name>` (gundeck's ARN scheme)."""

    name: Annotated[str, Field(pattern=r"^[A-Za-z0-9._]{1,200}$")]
    """iOS bundle id or Android/FCM project id; gundeck splits the application name on '-'."""
    platform: PushPlatform
    """SNS platform of the application."""
    credential: SecretStr | None = None
    """APNS: the private key (or token signing key); GCM: the FCM API key / service-account JSON."""
    principal: SecretStr | None = None
    """APNS certificate (PEM) for certificate-based apps; unused for GCM."""

    @model_validator(mode="after")
    def _check(self) -> PushApp:
        if self.platform == PushPlatform.GCM and self.principal is not None:
            raise ValueError("principal is an APNS certificate; GCM apps take only a credential")
        return self


class ExternalPush(Model):
    """The push account Wire provides under contract (guide: "Enable push notifications ...")."""

    account: str
    """AWS account id of Wire's push account (12 digits, kept a string)."""
    region: str
    """Region of Wire's push queue."""
    queue_name: str
    """Queue name Wire sent; must start with `<arnEnv>-`."""
    arn_env: str
    """Environment name Wire sent (prefix of the SNS application names)."""
    sns_endpoint: Url
    """SNS endpoint Wire sent."""
    sqs_endpoint: Url
    """SQS endpoint Wire sent."""
    aws_key_id: str
    """Access key id Wire sent."""
    aws_secret_key: SecretStr | None = None
    """Secret access key Wire sent."""

    @model_validator(mode="after")
    def _check(self) -> ExternalPush:
        errors = []
        if not _ACCOUNT_RE.match(self.account):
            errors.append(f"account must be the 12-digit AWS account id Wire sent, got '{self.account}'")
        if not _REGION_RE.match(self.region):
            errors.append(f"region '{self.region}' is not an AWS region (e.g. eu-central-1)")
        if not self.queue_name.startswith(f"{self.arn_env}-"):
            errors.append(
                f"queueName '{self.queue_name}' must start with '{self.arn_env}-': arnEnv must match the "
                "environment name, the first part of queueName (use the values Wire sent unchanged)"
            )
        if errors:
            raise ValueError("\n".join(errors))
        return self


class Push(Model):
    mode: PushMode = PushMode.DISABLED
    """`create`: our own SQS/SNS and platform applications; `external`: Wire's push account;
    `disabled`: only the queue gundeck needs to start."""
    apps: list[PushApp] = []
    """SNS platform applications to create (mode `create`)."""
    external: ExternalPush | None = None
    """The values Wire sent (mode `external`)."""

    @model_validator(mode="after")
    def _check(self) -> Push:
        if self.mode == PushMode.EXTERNAL and self.external is None:
            raise ValueError(
                "mode 'external' needs the six values Wire sent under push.external "
                "(account, region, queueName, arnEnv, snsEndpoint, sqsEndpoint) and awsKeyId/awsSecretKey"
            )
        if self.mode != PushMode.EXTERNAL and self.external is not None:
            raise ValueError(f"push.external is only read in mode 'external' (mode is '{self.mode}'); remove it")
        if self.mode != PushMode.CREATE and self.apps:
            raise ValueError(f"push.apps are only created in mode 'create' (mode is '{self.mode}'); remove them")
        seen: set[tuple[str, str]] = set()
        for app in self.apps:
            key = (app.name, str(app.platform))
            if key in seen:
                raise ValueError(f"push app '{app.name}' for platform {app.platform} is listed twice")
            seen.add(key)
        return self


# --- email (brig) --------------------------------------------------------------------------------


class EmailMode(StrEnum):
    SES = "ses"
    SMTP = "smtp"


class Dmarc(Model):
    policy: Literal["none", "quarantine", "reject"] = "quarantine"
    """DMARC policy for mail failing SPF/DKIM alignment."""
    percent: Annotated[int, Field(ge=0, le=100)] = 100
    """Share of failing mail the policy applies to."""
    report_address: EmailAddress | None = None
    """Address for aggregate (rua) reports."""

    def record(self) -> str:
        value = f"v=DMARC1; p={self.policy}; pct={self.percent}"
        if self.report_address:
            value += f"; rua=mailto:{self.report_address}"
        return value


class Ses(Model):
    mail_from_subdomain: Hostname = "email"
    """MAIL FROM subdomain: `<mailFromSubdomain>.<domain>` gets the MX and SPF records."""
    dmarc: Dmarc = Dmarc()
    """The `_dmarc.<domain>` record."""


class Smtp(Model):
    host: Hostname
    """SMTP server hostname."""
    port: Port = 587
    """SMTP port."""
    conn_type: Literal["plain", "ssl", "tls"] = "tls"
    """Connection type brig uses."""
    username: str | None = None
    """SMTP user; when set, password is required."""
    password: SecretStr | None = None
    """SMTP password (brig.secrets.smtpPassword)."""


class Email(Model):
    mode: EmailMode
    """`ses` (Amazon SES, created here) or `smtp` (your mail server) — exactly one."""
    sender: EmailAddress
    """From address of every email brig sends (brig.config.emailSMS.general.emailSender)."""
    ses: Ses | None = None
    """SES settings (mode `ses`)."""
    smtp: Smtp | None = None
    """SMTP settings (mode `smtp`)."""

    @model_validator(mode="after")
    def _check(self) -> Email:
        if self.mode == EmailMode.SES and self.smtp is not None:
            raise ValueError("SES and SMTP are mutually exclusive: mode is 'ses', so remove email.smtp")
        if self.mode == EmailMode.SMTP and self.ses is not None:
            raise ValueError("SES and SMTP are mutually exclusive: mode is 'smtp', so remove email.ses")
        if self.mode == EmailMode.SMTP and self.smtp is None:
            raise ValueError("mode 'smtp' needs email.smtp (host, port, connType, username, password)")
        return self

    @property
    def ses_settings(self) -> Ses:
        return self.ses or Ses()


# --- assets (cargohold) --------------------------------------------------------------------------


class CloudFront(Model):
    enabled: bool = False
    """Serve asset downloads through a CloudFront distribution with signed URLs."""
    key_pair_id: str | None = None
    """CloudFront public key id of the key pair cargohold signs download URLs with."""
    private_key: SecretStr | None = None
    """Private key (PEM) of that key pair, mounted as cargohold's cf-pk.pem."""
    price_class: Literal["PriceClass_100", "PriceClass_200", "PriceClass_All"] = "PriceClass_100"
    """CloudFront price class (edge locations used)."""

    @model_validator(mode="after")
    def _check(self) -> CloudFront:
        if self.enabled and not self.key_pair_id:
            raise ValueError("cloudFront.enabled needs keyPairId (and privateKey as a secret) for signed URLs")
        return self


class Lifecycle(Model):
    volatile_days: Annotated[int, Field(ge=28)] = 28
    """cargohold deletes `volatile` assets after 28 days and `expiring` ones after 365: never expire earlier."""
    expiring_days: Annotated[int, Field(ge=365)] = 365
    """Expire `v3/expiring/` assets after this many days (cargohold: 365)."""
    infrequent_access_days: Annotated[int, Field(ge=30)] = 30
    """Move `v3/eternal-infrequent_access/` assets to STANDARD_IA after this many days."""
    abort_multipart_days: Annotated[int, Field(ge=1)] = 7
    """Abort incomplete multipart uploads after this many days."""


class Assets(Model):
    bucket_name: str | None = None
    """S3 bucket name; `<environment>-<domain with dashes>-wire-assets` when unset."""
    s3_addressing_style: Literal["auto", "path", "virtual"] = "auto"
    """cargohold's s3AddressingStyle: `auto` for AWS S3, `path` for MinIO-like stores."""
    download_endpoint: Url | None = None
    """Host used in presigned download URLs (s3DownloadEndpoint); S3's own host when unset."""
    cloud_front: CloudFront = CloudFront()
    """Optional CloudFront in front of the bucket."""
    lifecycle: Lifecycle = Lifecycle()
    """Lifecycle rules derived from cargohold's retention classes."""

    @model_validator(mode="after")
    def _check(self) -> Assets:
        if self.bucket_name is not None:
            _check_bucket_name(self.bucket_name)
        return self


def _check_bucket_name(name: str) -> None:
    if not _BUCKET_RE.match(name) or ".." in name or name.startswith("xn--") or name.endswith("-s3alias"):
        raise ValueError(
            f"bucket name '{name}' is not valid for S3: 3-63 characters of a-z, 0-9, '.' and '-', "
            "starting and ending with a letter or digit"
        )
    if ipaddress_like(name):
        raise ValueError(f"bucket name '{name}' must not look like an IP address")


def ipaddress_like(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


# --- optional queues and table ---------------------------------------------------------------------


class Features(Model):
    prekey_table: bool = False
    """DynamoDB prekey table for brig (sets randomPrekeys: false)."""
    team_events_journal: bool = False
    """galley's team-events FIFO journal."""
    user_journal: bool = False
    """brig's user-events FIFO journal."""


# --- DNS -------------------------------------------------------------------------------------------


class WireHost(StrEnum):
    NGINZ_HTTPS = "nginz-https"
    NGINZ_SSL = "nginz-ssl"
    WEBAPP = "webapp"
    ASSETS = "assets"
    ACCOUNT = "account"
    TEAMS = "teams"
    FEDERATOR = "federator"


class LoadBalancerTarget(Model):
    """Where the Wire hostnames point: a load balancer hostname, bare-metal IPs, or the ingress controller."""

    hostname: Hostname | None = None
    """A load balancer's DNS name: an alias record when aliasZoneId is set, a CNAME otherwise."""
    alias_zone_id: str | None = None
    """Hosted zone id of the load balancer: alias records instead of CNAMEs."""
    ips: list[str] = []
    """Bare metal: A records to these addresses."""
    from_ingress_controller: bool = False
    """Read the hostname of the ingress controller's LoadBalancer service after the release is up."""

    @model_validator(mode="after")
    def _check(self) -> LoadBalancerTarget:
        chosen = [bool(self.hostname), bool(self.ips), self.from_ingress_controller]
        if sum(chosen) != 1:
            raise ValueError("set exactly one of hostname, ips or fromIngressController")
        for ip in self.ips:
            try:
                ipaddress.IPv4Address(ip)
            except ValueError:
                raise ValueError(f"'{ip}' is not an IPv4 address") from None
        if self.alias_zone_id and not self.hostname:
            raise ValueError("aliasZoneId only applies to a hostname target")
        return self


class ExtraRecord(Model):
    name: str
    """Record name."""
    type: Literal["A", "AAAA", "CNAME", "TXT", "MX", "SRV"]
    """Record type."""
    values: Annotated[list[str], Field(min_length=1)]
    """Record values."""
    ttl: PositiveInt | None = None
    """TTL; dns.ttl when unset."""


class Dns(Model):
    zone_id: str
    """Route53 hosted zone that holds `domain` (the zone is looked up, never created)."""
    target: LoadBalancerTarget
    """Where the Wire hostnames point."""
    hosts: list[WireHost] = [
        WireHost.NGINZ_HTTPS,
        WireHost.NGINZ_SSL,
        WireHost.WEBAPP,
        WireHost.ACCOUNT,
        WireHost.TEAMS,
    ]
    """Which `<host>.<domain>` records exist."""
    ttl: PositiveInt = 300
    """TTL of the records."""
    federation_srv: bool = True
    """Federation: the `_wire-server-federator._tcp` SRV record points at federator.<domain>."""
    extra_records: list[ExtraRecord] = []
    """Additional records in the zone (name relative to the zone or fully qualified)."""

    @model_validator(mode="after")
    def _check(self) -> Dns:
        if len(set(self.hosts)) != len(self.hosts):
            raise ValueError("dns.hosts lists a hostname twice")
        if not re.match(r"^Z[A-Z0-9]{1,31}$", self.zone_id):
            raise ValueError(f"zoneId '{self.zone_id}' is not a Route53 hosted zone id (Z...)")
        return self


# --- proxy, cannon, nginz -----------------------------------------------------------------------


class HttpProxy(Model):
    http_proxy: Url | None = None
    """HTTP proxy URL (env http_proxy/HTTP_PROXY)."""
    https_proxy: Url | None = None
    """HTTPS proxy URL (env https_proxy/HTTPS_PROXY)."""
    no_proxy: list[str] = []
    """Extra noProxyList entries (cluster services, cannon pods and database hosts are added)."""
    services: list[Literal["brig", "galley", "gundeck", "cargohold", "spar", "proxy"]] = list(PROXY_SERVICES)
    """Services that get the proxy env."""

    @model_validator(mode="after")
    def _check(self) -> HttpProxy:
        if (self.no_proxy or self.services != list(PROXY_SERVICES)) and not (self.http_proxy or self.https_proxy):
            raise ValueError("proxy settings need httpProxy or httpsProxy")
        return self

    @property
    def enabled(self) -> bool:
        return bool(self.http_proxy or self.https_proxy)


class DrainOpts(Model):
    grace_period_seconds: Annotated[int, Field(gt=0, le=MAX_DRAIN_GRACE_SECONDS)] = 25
    """Seconds cannon takes to drain its websockets on shutdown (≤ 86400)."""
    milliseconds_between_batches: PositiveInt = 50
    """Pause between two batches of closed websockets."""
    min_batch_size: PositiveInt = 20
    """Minimum websockets closed per batch."""

    @property
    def min_rate_per_second(self) -> float:
        return self.min_batch_size * 1000 / self.milliseconds_between_batches

    @property
    def drained_within_grace(self) -> int:
        return int(self.min_rate_per_second * self.grace_period_seconds)

    def summary(self) -> str:
        rate = self.min_rate_per_second
        rate_text = f"{rate:g}" if rate >= 1 else f"{rate:.6f}".rstrip("0")
        return (
            f"cannon drains at least {rate_text} connections/s, "
            f"{self.drained_within_grace} within the {self.grace_period_seconds} s grace period"
        )

    def warnings(self) -> list[str]:
        found = []
        if self.grace_period_seconds <= 1 or self.drained_within_grace >= 100_000:
            found.append(
                "cannon.drain severs (nearly) all websockets at once: every client reconnects at the same "
                "time, which can overload the backend (the guide's fastest extreme). Defaults: 25 s / 50 ms / 20"
            )
        if self.grace_period_seconds >= 3600:
            found.append(
                f"cannon.drain.gracePeriodSeconds is {self.grace_period_seconds}: replacing one cannon pod takes "
                "up to that long, so a rollout of N replicas takes N times as long (the guide's slowest extreme)"
            )
        return found


class CertManager(Model):
    enabled: bool = False
    """Issue the TLS certificate with cert-manager."""
    issuer_name: str = "letsencrypt"
    """cert-manager issuer name."""
    issuer_kind: Literal["Issuer", "ClusterIssuer"] = "ClusterIssuer"
    """cert-manager issuer kind."""


class WebsocketTls(Model):
    crt: str
    """TLS certificate (PEM)."""
    key: SecretStr | None = None
    """TLS private key (PEM)."""


class WebsocketLoadBalancer(Model):
    """Cannon's own load balancer (guide: "Separate incoming websocket network traffic ...")."""

    enabled: bool = False
    """Give cannon its own LoadBalancer service (cannon then becomes an ignored nginz upstream)."""
    hostname: Hostname | None = None
    """Websocket hostname, e.g. nginz-ssl.<domain>."""
    annotations: dict[str, str] = {}
    """Annotations of cannon's LoadBalancer service (e.g. AWS NLB settings)."""
    external_dns: bool = False
    """Let external-dns manage the record instead of this program."""
    cert_manager: CertManager = CertManager()
    """cert-manager certificate for the hostname."""
    tls: WebsocketTls | None = None
    """A certificate and key instead of cert-manager."""

    @model_validator(mode="after")
    def _check(self) -> WebsocketLoadBalancer:
        if not self.enabled:
            return self
        if not self.hostname:
            raise ValueError("a separate cannon load balancer needs hostname (e.g. nginz-ssl.<domain>)")
        if self.cert_manager.enabled == (self.tls is not None):
            raise ValueError(
                "a separate cannon load balancer needs either certManager.enabled: true or a tls certificate "
                "(tls.crt and the secret tls.key), not both"
            )
        return self


class Cannon(Model):
    drain: DrainOpts = DrainOpts()
    """drainOpts (guide: "Controlling the speed of websocket draining")."""
    websocket_load_balancer: WebsocketLoadBalancer = WebsocketLoadBalancer()
    """Separate websocket load balancer (guide: "Separate incoming websocket network traffic")."""


class Nginz(Model):
    ignored_upstreams: list[str] = []
    """Default upstreams to disable: brig, cannon, cargohold, galley, gundeck, spar."""
    extra_upstreams: list[str] = []
    """Optional upstreams to enable: ibis, galeb, calling-test, proxy."""
    upstream_namespaces: dict[str, Hostname] = {}
    """upstream -> namespace it runs in (guide: "Routing traffic to other namespaces via nginz")."""

    @model_validator(mode="after")
    def _check(self) -> Nginz:
        bad = sorted(set(self.ignored_upstreams) - set(DEFAULT_UPSTREAMS))
        if bad:
            raise ValueError(f"ignoredUpstreams {bad} are not default upstreams; allowed: {list(DEFAULT_UPSTREAMS)}")
        bad = sorted(set(self.extra_upstreams) - set(EXTRA_UPSTREAMS))
        if bad:
            raise ValueError(f"extraUpstreams {bad} are not optional upstreams; allowed: {list(EXTRA_UPSTREAMS)}")
        enabled = (set(DEFAULT_UPSTREAMS) - set(self.ignored_upstreams)) | set(self.extra_upstreams)
        for upstream in self.upstream_namespaces:
            if upstream not in enabled:
                raise ValueError(
                    f"upstreamNamespaces names '{upstream}', which is not an enabled upstream; "
                    "add it to extraUpstreams or remove it from ignoredUpstreams"
                )
        return self


# --- teams, web apps, link previews, replicas, databases ---------------------------------------------


class Teams(Model):
    max_team_size: PositiveInt | None = None
    """brig's setMaxTeamSize and galley's maxTeamSize, kept equal; the chart default (10000) when unset."""
    max_conversation_size: Annotated[int, Field(gt=0, le=FANOUT_LIMIT)] = 500
    """Maximum conversation size (≤ 2000, the fan-out limit)."""

    def warnings(self) -> list[str]:
        if self.max_team_size is not None and self.max_team_size > FANOUT_LIMIT:
            return [
                f"teams.maxTeamSize is {self.max_team_size}: above {FANOUT_LIMIT} members, clients stop receiving "
                "team update events (e.g. a member joining) live over the websocket; the rest works"
            ]
        return []


class ChartSource(Model):
    """A helm chart from a repository (pinned version) or a local path."""

    chart: str
    """Chart name."""
    repo: Url | None = None
    """Helm repository URL."""
    version: str | None = None
    """Pinned chart version."""
    path: str | None = None
    """Local chart path instead of repo+version."""

    @model_validator(mode="after")
    def _check(self) -> ChartSource:
        if self.path is None and not (self.repo and self.version):
            raise ValueError(f"chart '{self.chart}' needs repo and a pinned version, or a local path")
        if self.path is not None and (self.repo or self.version):
            raise ValueError(f"chart '{self.chart}': set either path or repo+version, not both")
        return self


WIRE_CHARTS = "https://s3-eu-west-1.amazonaws.com/public.wire.com/charts"
WIRE_CHART_VERSION = "5.29.5"


def _wire_chart(name: str) -> ChartSource:
    return ChartSource(chart=name, repo=WIRE_CHARTS, version=WIRE_CHART_VERSION)


class Charts(Model):
    wire_server: ChartSource = _wire_chart("wire-server")
    """wire-server umbrella chart."""
    nginx_ingress_services: ChartSource = _wire_chart("nginx-ingress-services")
    """nginx-ingress-services chart."""
    team_settings: ChartSource = ChartSource(chart="team-settings", repo=WIRE_CHARTS, version="4.14.0")
    """team-settings chart."""
    account_pages: ChartSource = ChartSource(chart="account-pages", repo=WIRE_CHARTS, version="4.14.0")
    """account-pages chart."""
    ingress_nginx: ChartSource = ChartSource(
        chart="ingress-nginx", repo="https://kubernetes.github.io/ingress-nginx", version="4.12.1"
    )
    """ingress-nginx controller chart (ingress.controller awsNlb/metallb)."""
    metallb: ChartSource = ChartSource(chart="metallb", repo="https://metallb.github.io/metallb", version="0.14.9")
    """metallb chart (ingress.controller metallb)."""


class WebApps(Model):
    team_settings: bool = False
    """Deploy team-settings (teams.<domain>)."""
    account_pages: bool = False
    """Deploy account-pages (account.<domain>)."""
    self_hosted: bool = True
    """IS_SELF_HOSTED for team-settings and account-pages (guide: "Marking an installation as self-hosted")."""


class LinkPreviews(Model):
    """The `proxy` service's third-party API keys (guide: "3rd-party proxying")."""

    enabled: bool = False
    """Deploy the proxy service (tags.proxy)."""
    youtube: SecretStr | None = None
    """YouTube API key."""
    googlemaps: SecretStr | None = None
    """Google Maps API key."""
    soundcloud: SecretStr | None = None
    """SoundCloud API key."""
    giphy: SecretStr | None = None
    """Giphy API key."""
    spotify: SecretStr | None = None
    """Spotify credentials (`Basic …`)."""


class Replicas(Model):
    brig: PositiveInt = 3
    """brig replicas."""
    galley: PositiveInt = 3
    """galley replicas."""
    gundeck: PositiveInt = 3
    """gundeck replicas."""
    cannon: PositiveInt = 3
    """cannon replicas (also the cannon pod names in noProxyList)."""
    cargohold: PositiveInt = 3
    """cargohold replicas."""
    spar: PositiveInt = 3
    """spar replicas."""
    nginz: PositiveInt = 3
    """nginz replicas."""
    proxy: PositiveInt = 3
    """proxy replicas."""
    background_worker: PositiveInt = 1
    """background-worker replicas."""
    webapp: PositiveInt = 3
    """webapp, team-settings and account-pages replicas."""


class Database(Model):
    host: Hostname
    """Hostname the services connect to."""
    port: Port | None = None
    """Port; the chart default when unset."""


class CredentialedDatabase(Database):
    username: SecretStr | None = None
    """User name."""
    password: SecretStr | None = None
    """Password."""


class Postgresql(Database):
    user: str = "wire-server"
    """Database user."""
    dbname: str = "wire-server"
    """Database name."""
    password: SecretStr | None = None
    """Password (pgPassword)."""


class Databases(Model):
    cassandra: Database = Database(host="cassandra-external")
    """Cassandra."""
    elasticsearch: Database = Database(host="elasticsearch-external")
    """Elasticsearch."""
    rabbitmq: CredentialedDatabase = CredentialedDatabase(host="rabbitmq-external")
    """RabbitMQ."""
    redis: Database = Database(host="databases-ephemeral-redis-ephemeral")
    """Redis (gundeck)."""
    postgresql: Postgresql = Postgresql(host="postgresql-external-rw")
    """PostgreSQL."""

    def hosts(self) -> list[str]:
        return [db.host for db in (self.cassandra, self.elasticsearch, self.rabbitmq, self.redis, self.postgresql)]


class ServiceSecrets(Model):
    """Secrets of the wire-server chart that have nothing to do with AWS."""

    zauth_public_keys: SecretStr | None = None
    """zAuth public keys (brig, nginz and cannon's nginz)."""
    zauth_private_keys: SecretStr | None = None
    """zAuth private keys (brig)."""
    turn_secret: SecretStr | None = None
    """TURN shared secret (brig)."""


class IngressMode(StrEnum):
    NONE = "none"
    AWS_NLB = "awsNlb"
    METALLB = "metallb"


class Ingress(Model):
    """The entry point (guide: "Load balancer on cloud-provider" / "... on bare metal servers")."""

    controller: IngressMode = IngressMode.NONE
    """`none`, `awsNlb` (ingress-nginx behind an AWS NLB) or `metallb` (bare metal)."""
    metallb_addresses: list[str] = []
    """metallb: address pool (CIDRs or ranges) the controller's LoadBalancer service may take."""
    ingress_class: str = "nginx"
    """Ingress class of the Wire ingresses."""

    @model_validator(mode="after")
    def _check(self) -> Ingress:
        if self.controller == IngressMode.METALLB and not self.metallb_addresses:
            raise ValueError("controller 'metallb' needs metallbAddresses (e.g. ['203.0.113.10/32'])")
        if self.controller != IngressMode.METALLB and self.metallb_addresses:
            raise ValueError("metallbAddresses are only used with controller 'metallb'")
        return self


class AwsEndpoints(Model):
    """Endpoints the services use; derived from the region unless an emulator is used (dev)."""

    sqs: Url | None = None
    """SQS endpoint the services use."""
    sns: Url | None = None
    """SNS endpoint the services use."""
    ses: Url | None = None
    """SES endpoint brig uses."""
    dynamodb: Url | None = None
    """DynamoDB endpoint brig uses."""
    s3: Url | None = None
    """S3 endpoint cargohold uses."""


# --- the stack ---------------------------------------------------------------------------------------


class StackConfig(Model):
    environment: str
    """Name prefix of every AWS resource and gundeck's arnEnv (lower-case letters and digits)."""
    domain: Hostname
    """Base domain: the Wire hostnames are `<host>.<domain>`."""
    region: str
    """AWS region, from `aws:region`."""
    production: bool | None = None
    """Protect stateful resources and retain them on delete (defaults to environment == 'prod')."""
    kubernetes: Kubernetes = Kubernetes()
    """Where the releases go."""
    service_credentials: ServiceCredentials = ServiceCredentials(mode=CredentialsMode.STATIC_KEYS)
    """How the services authenticate to AWS."""
    push: Push = Push()
    """Push notifications (gundeck)."""
    email: Email
    """Email (brig)."""
    assets: Assets = Assets()
    """Asset storage (cargohold)."""
    features: Features = Features()
    """Optional queues and table."""
    dns: Dns | None = None
    """Route53 records; none are managed when unset."""
    proxy: HttpProxy = HttpProxy()
    """Outbound HTTP(S) proxy (guide: "Redirect some traffic through a http(s) proxy")."""
    cannon: Cannon = Cannon()
    """Websocket service."""
    nginz: Nginz = Nginz()
    """nginz upstreams (guide: "Control nginz upstreams")."""
    teams: Teams = Teams()
    """Team and conversation size."""
    web_apps: WebApps = WebApps()
    """team-settings, account-pages and IS_SELF_HOSTED."""
    link_previews: LinkPreviews = LinkPreviews()
    """Link previews through the proxy service."""
    replicas: Replicas = Replicas()
    """Replica counts (3 for high availability)."""
    databases: Databases = Databases()
    """External databases."""
    secrets: ServiceSecrets = ServiceSecrets()
    """Service secrets unrelated to AWS."""
    charts: Charts = Charts()
    """Chart sources."""
    ingress: Ingress = Ingress()
    """Entry point (ingress controller and its load balancer)."""
    service_endpoints: AwsEndpoints = AwsEndpoints()
    """AWS endpoints as the services see them (emulators); derived from the region when unset."""
    extra_values: dict[str, dict[str, Any]] = {}
    """Raw helm values merged last, per release (wireServer, nginxIngressServices, teamSettings, accountPages)."""
    sms: Any = None
    """The guide's "Sign up with a phone number": rejected, see _no_sms."""

    @model_validator(mode="before")
    @classmethod
    def _defaults(cls, data: Any) -> Any:
        # IRSA is the default; an explicit section wins.
        if isinstance(data, dict) and "serviceCredentials" not in data and "service_credentials" not in data:
            data = {**data, "serviceCredentials": {"mode": "irsa"}}
        return data

    @model_validator(mode="after")
    def _rules(self) -> StackConfig:
        errors: list[str] = []
        if not _ENV_RE.match(self.environment):
            errors.append(
                f"environment '{self.environment}' must be 1-20 lower-case letters and digits, starting with a "
                "letter: it prefixes every AWS name and becomes gundeck's arnEnv, which may not contain '-'"
            )
        if not _REGION_RE.match(self.region):
            errors.append(
                f"aws:region '{self.region}' is not an AWS region; set it: pulumi config set aws:region eu-central-1"
            )
        if self.sms is not None:
            errors.append(
                "sms: phone sign-up is not supported: the wire-server charts removed phone support in chart 5.4.0 "
                "(the Twilio/Nexmo secrets are gone); remove the sms section"
            )
        if self.email.mode == EmailMode.SES and not self.email.sender.endswith(f"@{self.domain}"):
            errors.append(
                f"email.sender '{self.email.sender}' must be an address on the domain '{self.domain}' in SES mode "
                f"(SES verifies the domain identity), e.g. no-reply@{self.domain}"
            )
        if "proxy" in self.nginz.extra_upstreams and not self.link_previews.enabled:
            errors.append("nginz.extraUpstreams has 'proxy' but linkPreviews.enabled is false; enable link previews")
        if self.push.mode == PushMode.CREATE:
            for app in self.push.apps:
                if "-" in app.name:
                    errors.append(f"push app name '{app.name}' must not contain '-' (gundeck splits on it)")
        for name in _aws_names(self):
            if len(name) > 80:
                errors.append(f"the AWS name '{name}' is longer than 80 characters; shorten environment")
        bucket = self.bucket_name
        if self.assets.bucket_name is None and len(bucket) > 63:
            errors.append(f"the derived bucket name '{bucket}' is too long; set assets.bucketName")
        unknown_releases = set(self.extra_values) - set(RELEASES)
        if unknown_releases:
            errors.append(f"extraValues has unknown releases {sorted(unknown_releases)}; allowed: {list(RELEASES)}")
        wslb = self.cannon.websocket_load_balancer
        if (
            self.dns
            and wslb.enabled
            and WireHost.NGINZ_SSL in self.dns.hosts
            and wslb.hostname == f"nginz-ssl.{self.domain}"
        ):
            errors.append(
                "dns.hosts has nginz-ssl, but cannon's own load balancer serves that hostname; remove nginz-ssl "
                "from dns.hosts (its record points at the cannon load balancer)"
            )
        if self.ingress.controller == IngressMode.METALLB and self.dns and self.dns.target.alias_zone_id:
            errors.append("dns.target.aliasZoneId makes no sense with a bare-metal (metallb) entry point")
        if errors:
            raise ValueError("\n".join(errors))
        return self

    # --- derived values (deterministic) ---

    @property
    def is_production(self) -> bool:
        return self.production if self.production is not None else self.environment == "prod"

    @property
    def arn_env(self) -> str:
        if self.push.mode == PushMode.EXTERNAL and self.push.external:
            return self.push.external.arn_env
        return self.environment

    @property
    def bucket_name(self) -> str:
        return self.assets.bucket_name or f"{self.environment}-{self.domain.replace('.', '-')}-wire-assets"

    @property
    def nginz_ignored_upstreams(self) -> list[str]:
        """Ignored upstreams, with `cannon` added when cannon has its own load balancer."""
        ignored = list(self.nginz.ignored_upstreams)
        if self.cannon.websocket_load_balancer.enabled and "cannon" not in ignored:
            ignored.append("cannon")
        return ignored

    def warnings(self) -> list[str]:
        found = self.cannon.drain.warnings() + self.teams.warnings()
        previews = self.link_previews
        keys = (previews.youtube, previews.googlemaps, previews.soundcloud, previews.giphy, previews.spotify)
        if previews.enabled and not any(keys):
            found.append(
                "linkPreviews.enabled but no API key is set: the proxy service runs, previews stay empty; "
                "set e.g. pulumi config set --secret --path 'wire:linkPreviews.giphy' <key>"
            )
        return found

    def endpoint(self, service: Literal["sqs", "sns", "ses", "dynamodb", "s3"]) -> str:
        override = getattr(self.service_endpoints, service)
        if override:
            return override
        host = "email" if service == "ses" else service
        return f"https://{host}.{self.region}.amazonaws.com"


RELEASES = ("wireServer", "nginxIngressServices", "teamSettings", "accountPages", "ingressNginx", "metallb")


def _aws_names(cfg: StackConfig) -> Iterable[str]:
    from components import naming

    return naming.all_names(cfg)


# --- secrets -----------------------------------------------------------------------------------------


def secret_paths(model: BaseModel, prefix: str = "") -> dict[str, SecretStr]:
    """Every secret value that is set, by its dotted camelCase path (e.g. `email.smtp.password`)."""
    found: dict[str, SecretStr] = {}
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        key = f"{prefix}{info.alias or name}"
        found.update(_secrets_in(value, key))
    return found


def _secrets_in(value: Any, key: str) -> dict[str, SecretStr]:
    if isinstance(value, SecretStr):
        return {key: value}
    if isinstance(value, BaseModel):
        return secret_paths(value, f"{key}.")
    if isinstance(value, list):
        found: dict[str, SecretStr] = {}
        for index, item in enumerate(value):
            found.update(_secrets_in(item, f"{key}[{index}]"))
        return found
    return {}


def required_secrets(cfg: StackConfig) -> list[str]:
    """Secrets this configuration needs before `pulumi up` (dotted camelCase paths)."""
    needed = ["secrets.zauthPublicKeys", "secrets.zauthPrivateKeys", "secrets.turnSecret"]
    needed += ["databases.rabbitmq.username", "databases.rabbitmq.password", "databases.postgresql.password"]
    if cfg.email.mode == EmailMode.SMTP and cfg.email.smtp and cfg.email.smtp.username:
        needed.append("email.smtp.password")
    if cfg.push.mode == PushMode.EXTERNAL:
        needed.append("push.external.awsSecretKey")
    for index, _app in enumerate(cfg.push.apps):
        needed.append(f"push.apps[{index}].credential")
    wslb = cfg.cannon.websocket_load_balancer
    if wslb.enabled and wslb.tls is not None:
        needed.append("cannon.websocketLoadBalancer.tls.key")
    if cfg.assets.cloud_front.enabled:
        needed.append("assets.cloudFront.privateKey")
    return needed


# --- loading -----------------------------------------------------------------------------------------


@dataclass
class ConfigError(Exception):
    """All problems of a stack configuration, each naming its `wire:` key and the fix."""

    problems: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        lines = [f"The stack configuration has {len(self.problems)} problem(s):"]
        lines += [f"  - {problem}" for problem in self.problems]
        return "\n".join(lines)


@dataclass(frozen=True)
class LoadedConfig:
    config: StackConfig
    missing_secrets: tuple[str, ...] = ()
    """Required secrets not set yet (only tolerated by the offline plan, which fills placeholders)."""


PLACEHOLDER = "[secret]"
_FIELDS = {info.alias or name: name for name, info in StackConfig.model_fields.items()}
_NOT_IN_WIRE = {"region"}


def load_config(
    values: Mapping[str, Any],
    *,
    region: str | None,
    secret_keys: Iterable[str] = (),
    allow_missing_secrets: bool = False,
) -> LoadedConfig:
    """Validate the `wire:` namespace of a stack.

    `values` maps keys without the `wire:` prefix to their values (strings holding JSON are parsed);
    `secret_keys` are the top-level keys whose value is (or contains) a `secure:` value.
    Raises ConfigError listing every problem at once.
    """
    data: dict[str, Any] = {}
    problems: list[str] = []
    for key, raw in values.items():
        if key not in _FIELDS or key in _NOT_IN_WIRE:
            hint = _close_key(key)
            problems.append(f"wire:{key} is not a known key{hint}; remove it or fix the spelling")
            continue
        data[key] = _parse(raw)
    data["region"] = region or ""
    try:
        cfg = StackConfig.model_validate(data)
    except ValidationError as error:
        raise ConfigError(problems + _describe(error)) from None
    if problems:
        raise ConfigError(problems)

    secret_keys = set(secret_keys)
    present = secret_paths(cfg)
    for path in present:
        top = path.split(".")[0].split("[")[0]
        if top not in secret_keys:
            problems.append(
                f"wire:{path} is stored in plain text; encrypt it: "
                f"pulumi config set --secret --path '{NAMESPACE}:{path}' <value>"
            )
    missing = [path for path in required_secrets(cfg) if path not in present]
    if missing and not allow_missing_secrets:
        problems += [
            f"wire:{path} is required; set it: pulumi config set --secret --path '{NAMESPACE}:{path}' <value>"
            for path in missing
        ]
    if problems:
        raise ConfigError(problems)
    return LoadedConfig(cfg, tuple(missing))


def _parse(raw: Any) -> Any:
    if isinstance(raw, str):
        try:
            return json.loads(raw)
        except ValueError:
            return raw
    return raw


def _describe(error: ValidationError) -> list[str]:
    problems = []
    for item in error.errors(include_url=False):
        loc = ".".join(str(part) if not isinstance(part, int) else f"[{part}]" for part in item["loc"])
        loc = loc.replace(".[", "[")
        message = item["msg"].removeprefix("Value error, ")
        if item["type"] == "extra_forbidden":
            message = "is not a known key; remove it or fix the spelling"
        elif item["type"] == "missing":
            message = "is required"
        if not loc:
            problems += [f"{line}" for line in message.splitlines()]
        elif loc == "region":
            problems.append("aws:region is required: pulumi config set aws:region <region>")
        else:
            lines = message.splitlines()
            problems += [f"wire:{loc}: {line}" for line in lines]
    return problems


def _close_key(key: str) -> str:
    import difflib

    match = difflib.get_close_matches(key, [k for k in _FIELDS if k not in _NOT_IN_WIRE], n=1)
    return f" (did you mean wire:{match[0]}?)" if match else ""

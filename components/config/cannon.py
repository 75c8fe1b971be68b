"""The websocket service: draining speed and its own load balancer."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, SecretStr, model_validator

from components.config.base import Hostname, Model, PositiveWord64, at, fail

MAX_DRAIN_GRACE_SECONDS = 86400


class DrainOpts(Model):
    grace_period_seconds: Annotated[int, Field(gt=0, le=MAX_DRAIN_GRACE_SECONDS)] = 25
    """Seconds cannon takes to drain its websockets on shutdown (≤ 86400)."""
    milliseconds_between_batches: PositiveWord64 = 50
    """Pause between two batches of closed websockets."""
    min_batch_size: PositiveWord64 = 20
    """Minimum websockets closed per batch."""

    @property
    def min_rate_per_second(self) -> float:
        return self.min_batch_size * 1000 / self.milliseconds_between_batches

    @property
    def drained_within_grace(self) -> int:
        return int(self.min_rate_per_second * self.grace_period_seconds)

    def summary(self) -> str:
        rate = self.min_rate_per_second
        # Plain digits, never an exponent (2000000, not 2e+06).
        rate_text = str(int(rate)) if rate.is_integer() else f"{rate:.6f}".rstrip("0")
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
    cert_manager: CertManager = Field(default_factory=CertManager)
    """cert-manager certificate for the hostname."""
    tls: WebsocketTls | None = None
    """A certificate and key instead of cert-manager."""

    @model_validator(mode="after")
    def _check(self) -> WebsocketLoadBalancer:
        if not self.enabled:
            return self  # the other keys have no effect: a warning (disabled.py)
        problems = []
        if not self.hostname:
            problems.append(at("hostname", "is required with enabled: true (e.g. nginz-ssl.<domain>)"))
        if self.cert_manager.enabled == (self.tls is not None):
            problems.append(
                "a separate cannon load balancer needs either certManager.enabled: true or a tls certificate "
                "(tls.crt and the secret tls.key), not both"
            )
        if problems:
            fail(*problems)
        return self


class Cannon(Model):
    drain: DrainOpts = Field(default_factory=DrainOpts)
    """drainOpts (guide: "Controlling the speed of websocket draining")."""
    websocket_load_balancer: WebsocketLoadBalancer = Field(default_factory=WebsocketLoadBalancer)
    """Separate websocket load balancer (guide: "Separate incoming websocket network traffic")."""

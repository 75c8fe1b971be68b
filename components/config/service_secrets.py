"""Secrets of the wire-server chart unrelated to AWS (zAuth keys, TURN secret)."""

from __future__ import annotations

from pydantic import SecretStr

from components.config.base import Model


class ServiceSecrets(Model):
    """Secrets of the wire-server chart that have nothing to do with AWS."""

    zauth_public_keys: SecretStr | None = None
    """zAuth public keys (brig, nginz and cannon's nginz)."""
    zauth_private_keys: SecretStr | None = None
    """zAuth private keys (brig)."""
    turn_secret: SecretStr | None = None
    """TURN shared secret (brig)."""

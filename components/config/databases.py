"""External databases the services connect to (Cassandra, Elasticsearch, RabbitMQ, Redis, PostgreSQL)."""

from __future__ import annotations

from typing import Any

from pydantic import Field, SecretStr, model_validator

from components.config.base import Hostname, Model, Port


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
    cassandra: Database = Field(default_factory=lambda: Database(host="cassandra-external"))
    """Cassandra."""
    elasticsearch: Database = Field(default_factory=lambda: Database(host="elasticsearch-external"))
    """Elasticsearch."""
    rabbitmq: CredentialedDatabase = Field(default_factory=lambda: CredentialedDatabase(host="rabbitmq-external"))
    """RabbitMQ."""
    redis: Database = Field(default_factory=lambda: Database(host="databases-ephemeral-redis-ephemeral"))
    """Redis (gundeck)."""
    postgresql: Postgresql = Field(default_factory=lambda: Postgresql(host="postgresql-external-rw"))
    """PostgreSQL."""

    @model_validator(mode="before")
    @classmethod
    def _default_hosts(cls, data: Any) -> Any:
        # `pulumi config set --secret --path 'wire:databases.rabbitmq.username'` (README) writes a database
        # section with only its credentials: the host keeps its default, as if the section were left out.
        if not isinstance(data, dict):
            return data
        merged = dict(data)
        for name, info in cls.model_fields.items():
            alias = info.alias or name
            given = data.get(alias)
            if isinstance(given, dict) and "host" not in given and isinstance(info.default, Database):
                merged[alias] = {"host": info.default.host, **given}
        return merged

    def hosts(self) -> list[str]:
        return [db.host for db in (self.cassandra, self.elasticsearch, self.rabbitmq, self.redis, self.postgresql)]

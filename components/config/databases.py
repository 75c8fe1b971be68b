"""External databases the services connect to (Cassandra, Elasticsearch, RabbitMQ, Redis, PostgreSQL)."""

from __future__ import annotations

from typing import Any

from pydantic import Field, SecretStr, field_validator, model_validator

from components.config.base import Hostname, Model, Port


class Database(Model):
    host: Hostname
    """Hostname the services connect to."""
    port: Port | None = None
    """Port; the chart default when unset."""


CASSANDRA_PORT = 9042


class Cassandra(Database):
    port: Port | None = None
    """Port: only 9042, which the wire-server chart writes into every service's config (no other port is read)."""

    @field_validator("port")
    @classmethod
    def _only_the_chart_port(cls, port: int | None) -> int | None:
        if port is not None and port != CASSANDRA_PORT:
            raise ValueError(
                f"port {port}: the wire-server chart connects every service to Cassandra on {CASSANDRA_PORT} "
                f"(not configurable); remove databases.cassandra.port or serve Cassandra on {CASSANDRA_PORT}"
            )
        return port


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


# The hosts wire-server-deploy's database charts give their services.
DEFAULT_HOSTS = {
    "cassandra": "cassandra-external",
    "elasticsearch": "elasticsearch-external",
    "rabbitmq": "rabbitmq-external",
    "redis": "databases-ephemeral-redis-ephemeral",
    "postgresql": "postgresql-external-rw",
}


class Databases(Model):
    cassandra: Cassandra = Field(default_factory=lambda: Cassandra(host=DEFAULT_HOSTS["cassandra"]))
    """Cassandra."""
    elasticsearch: Database = Field(default_factory=lambda: Database(host=DEFAULT_HOSTS["elasticsearch"]))
    """Elasticsearch."""
    rabbitmq: CredentialedDatabase = Field(default_factory=lambda: CredentialedDatabase(host=DEFAULT_HOSTS["rabbitmq"]))
    """RabbitMQ."""
    redis: Database = Field(default_factory=lambda: Database(host=DEFAULT_HOSTS["redis"]))
    """Redis (gundeck)."""
    postgresql: Postgresql = Field(default_factory=lambda: Postgresql(host=DEFAULT_HOSTS["postgresql"]))
    """PostgreSQL."""

    @model_validator(mode="before")
    @classmethod
    def _default_hosts(cls, data: Any) -> Any:
        # `pulumi config set --secret --path 'wire:databases.rabbitmq.username'` (README) writes a database
        # section with only its credentials: the host keeps its default, as if the section were left out.
        if not isinstance(data, dict):
            return data
        merged = dict(data)
        for name, host in DEFAULT_HOSTS.items():
            given = data.get(name)
            if isinstance(given, dict) and "host" not in given:
                merged[name] = {"host": host, **given}
        return merged

    def hosts(self) -> list[str]:
        return [db.host for db in (self.cassandra, self.elasticsearch, self.rabbitmq, self.redis, self.postgresql)]

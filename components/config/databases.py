"""External databases the services connect to (Cassandra, Elasticsearch, RabbitMQ, Redis, PostgreSQL)."""

from __future__ import annotations

from pydantic import SecretStr

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

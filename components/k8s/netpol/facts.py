"""What the pinned charts render that the values do not say: pod labels, ports and who calls whom inside wire-server.

Read from the rendered templates of wire-server 5.29.5 and 5.30 (the `<svc>.yaml` ConfigMaps' `{host, port}` of
another service, nginz's `upstream` blocks, the Services and the pods' container ports). These are chart facts,
not choices: tests/render/test_network_policies.py renders every stack with the real charts, reads the same flows
from the rendered ConfigMaps and fails when this table and the charts disagree, in either direction.
"""

from __future__ import annotations

# Every wire-server service listens on its chart's `<svc>.service.internalPort` (8080), which the Service targets.
SERVICE_PORT = 8080
# nginz's Service ports (config.http.httpPort / config.ws.wsPort): what the entry point routes to.
NGINZ_PORTS = (8080, 8081)
# cannon's nginz sidecar, behind cannon's own load balancer (cannon-nginz: 443 -> 8443).
CANNON_TLS_PORT = 8443
# The web apps' container port (nginx-ingress-services' service.<app>.internalPort).
WEB_APP_PORT = 8080
# cert-manager's HTTP-01 solver pods, created in the namespace of the Issuer that asks for a certificate.
ACME_SOLVER_LABEL = "acme.cert-manager.io/http01-solver"
ACME_SOLVER_PORT = 8089

# The label of every wire-server pod (and of the web apps' pods): its service's name.
APP_LABEL = "app"

# wire-server's long-running services (the `app` label of their pods).
SERVICES = ("brig", "galley", "gundeck", "cannon", "cargohold", "spar", "background-worker", "proxy", "nginz")

# service -> the services its ConfigMap names (`<upstream>: {host: <upstream>, port: 8080}`).
CALLS: dict[str, tuple[str, ...]] = {
    "brig": ("cargohold", "galley", "gundeck", "spar"),
    "galley": ("brig", "gundeck", "spar"),
    # gundeck pushes to each cannon pod by name (cannon-<n>.cannon.<ns>, see no_proxy_list): not in its ConfigMap.
    "gundeck": ("brig", "cannon"),
    "cannon": ("gundeck",),
    "cargohold": ("brig",),
    "spar": ("brig", "galley"),
    # Its `federatorInternal` names federator, which this program never deploys (federation is off).
    "background-worker": ("brig", "galley", "gundeck", "spar"),
}
# wire-server's hook Jobs (their pods' `app` label) -> the services they call: elasticsearch-index's migrate-data
# Job (brig-index) reads conversations from galley (`--galley-host galley --galley-port 8080`).
JOB_CALLS: dict[str, tuple[str, ...]] = {"elasticsearch-index-migrate-data": ("galley",)}
# Named upstreams that no pod serves when the stack does not deploy them (federation).
NOT_DEPLOYED = ("federator",)

# nginz's default upstreams (the chart's nginx_conf.upstreams); `ignored_upstreams` removes some,
# `enabled_extra_upstreams` adds optional ones (proxy, ibis, ...) on the same port.
NGINZ_UPSTREAMS = ("brig", "cannon", "cargohold", "galley", "gundeck", "spar")

# The config keys of a wire-server service that name a data store, and the chart's port when the values give none.
STORE_KEYS: dict[str, tuple[str, int]] = {
    "cassandra": ("cassandra", 9042),
    "cassandraBrig": ("cassandra", 9042),
    "cassandraGalley": ("cassandra", 9042),
    "elasticsearch": ("elasticsearch", 9200),
    "rabbitmq": ("rabbitmq", 5672),
    "redis": ("redis", 6379),
    "postgresql": ("postgresql", 5432),
    "smtp": ("smtp", 25),
}
# The wire-server values subtrees of its hook Jobs (cassandra-migrations, *-migrate-data, elasticsearch-index-*).
JOB_VALUES = ("cassandra-migrations", "elasticsearch-index")

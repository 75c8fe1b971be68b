"""The helm releases of a Wire backend, with values computed from the AWS outputs.

Every release is a `kubernetes.helm.v3.Release` (helm itself installs it), not a `helm.v4.Chart`:
wire-server's pre-install Jobs (cassandra-migrations, elasticsearch-index) must finish before the
services start, and its post-install Jobs after; helm.v4.Chart would apply hooks as plain objects
and lose that order.

Secrets reach a chart only inside a secret Output: a values tree holding any `SecretStr` is revealed
inside `Output.secret`, so neither the state nor the preview shows them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pulumi
import pulumi_kubernetes as k8s

from components.adoption import adoption_options
from components.config import ChartSource, StackConfig
from components.config.ingress import LoadBalancerKind
from components.k8s import values as v
from components.k8s.datastores import datastore_secrets, roll_cannon_on_credentials
from components.k8s.values.entry import CANNON_NGINZ_SERVICE, INGRESS_CONTROLLER_SERVICE
from components.k8s.values.gateway import ENVOY_SERVICE, GATEWAY_NAMESPACE
from components.outputs import AwsOutputs, has_secret, reveal

# How long helm waits for a release to become ready (its hooks included) before it counts as failed and
# is rolled back (see `atomic` below and docs/operations.md). wire-server's pre-install hooks run the
# Cassandra and Elasticsearch migrations before any service starts: be patient.
WIRE_SERVER_TIMEOUT = 1200
DEFAULT_TIMEOUT = 600
# Helm keeps one Secret per revision; enough to roll back, not an ever-growing list.
MAX_HISTORY = 10

# Service names the charts render (entry.py): read back for their load balancer hostnames.


def chart_args(source: ChartSource) -> dict[str, Any]:
    """Chart, version and repository of a release: a pinned repository chart or a local path."""
    if source.path is not None:
        return {"chart": source.path}
    if source.oci_reference is not None:
        return {"chart": source.oci_reference, "version": source.version}
    return {
        "chart": source.chart,
        "version": source.version,
        "repository_opts": k8s.helm.v3.RepositoryOptsArgs(repo=source.repo),
    }


def single_output(tree: Any) -> pulumi.Output[Any]:
    """One Output holding a whole values tree.

    `Output.from_input` (and `Output.secret`, `Output.all`) wrap every nested dict, list and leaf in an
    Output of its own: thousands per evaluation for wire-server's values. An apply returning a plain
    value is not walked, so the tree stays one Output.
    """
    if isinstance(tree, pulumi.Output):
        return tree
    return pulumi.Output.from_input(0).apply(lambda _: tree)


def chart_values(tree: pulumi.Input[dict[str, Any]], *, secret: bool = False) -> pulumi.Output[dict[str, Any]]:
    """What the chart receives: the tree revealed, as a secret Output whenever any leaf is a SecretStr (or
    `secret`: the whole tree, e.g. of an adopted release, whose layered values are the operator's)."""

    def to_input(resolved: dict[str, Any]) -> Any:
        revealed = reveal(resolved)
        return pulumi.Output.secret(0).apply(lambda _: revealed) if secret or has_secret(resolved) else revealed

    return single_output(tree).apply(to_input)


def helm_release(
    release: str,
    source: ChartSource,
    namespace: str,
    values: pulumi.Input[dict[str, Any]],
    *,
    timeout: int,
    opts: pulumi.ResourceOptions,
    cfg: StackConfig,
) -> k8s.helm.v3.Release:
    """One helm release as every release of this program is installed: fixed name, atomic, cleaned up on a
    failed upgrade, ready only when its Deployments and Jobs are. A live release of that name is adopted
    when `wire:adopt.releases` names it (wire-server-deploy's).

    An adopted release's values are registered as one secret, whatever they hold: they carry the operator's
    layered files. In step import every input is ignored, as a real import needs (docs/migration.md,
    "Adopting a helm release"): the engine refuses an import whose inputs differ from the live release
    (pulumi/pulumi pkg/resource/deploy/step.go, `ImportStep.Apply`), and pulumi-kubernetes' import reads
    chart, version and values from the live release (v4.32.0 provider/pkg/provider/helm_release.go,
    `Read` / `importRelease`), so a kept chart, repository or values would differ.
    """
    import_id = cfg.adopt.release_id(release)
    args: dict[str, Any] = dict(
        # A fixed release name: Service names (and the hostnames read from them) derive from it.
        name=release,
        namespace=namespace,
        create_namespace=True,
        values=chart_values(values, secret=import_id is not None),
        timeout=timeout,
        # A failed install is uninstalled and a failed upgrade rolled back, so no release is left in
        # state `failed` (the next `pulumi up` would refuse to re-use its name) and running pods stay.
        atomic=True,
        # A failed upgrade also deletes the objects it had created.
        cleanup_on_fail=True,
        # Ready means ready: every Deployment available and every Job (e.g. migrations) complete.
        wait_for_jobs=True,
        max_history=MAX_HISTORY,
        **chart_args(source),
    )
    adopt = adoption_options(cfg, import_id, args)
    return k8s.helm.v3.Release(
        release, **args, opts=pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(**adopt))
    )


def custom_resource(
    name: str, manifest: dict[str, Any], opts: pulumi.ResourceOptions
) -> k8s.apiextensions.CustomResource:
    """A custom resource (whose CRD a chart installs) from its manifest."""
    return k8s.apiextensions.CustomResource(
        name,
        api_version=manifest["apiVersion"],
        kind=manifest["kind"],
        metadata=manifest["metadata"],
        spec=manifest["spec"],
        opts=opts,
    )


def _lb_hostname(status: Any) -> str | None:
    # Helm waits for a LoadBalancer Service to get its address before the release counts as ready.
    balancer = getattr(status, "load_balancer", None) if status is not None else None
    ingress = getattr(balancer, "ingress", None) if balancer is not None else None
    if not ingress:
        return None
    return ingress[0].hostname or ingress[0].ip


class WireReleases(pulumi.ComponentResource):
    """wire-server, nginx-ingress-services, the webapp, the optional web apps and the entry point (Envoy Gateway
    with its Gateway API objects, or the retired ingress-nginx; metallb on bare metal)."""

    value_trees: dict[str, pulumi.Output[dict[str, Any]]]
    releases: dict[str, k8s.helm.v3.Release]
    ingress_hostname: pulumi.Output[str] | None
    legacy_hostname: pulumi.Output[str] | None
    websocket_hostname: pulumi.Output[str] | None

    def __init__(
        self,
        name: str,
        cfg: StackConfig,
        aws: pulumi.Output[AwsOutputs],
        depends_on: Sequence[pulumi.Resource],
        provider: k8s.Provider | None,
        opts: pulumi.ResourceOptions | None = None,
        *,
        certificates: Sequence[pulumi.Resource] = (),
        load_balancers: Sequence[pulumi.Resource] = (),
        gateway_api: Sequence[pulumi.Resource] = (),
    ) -> None:
        """`certificates` / `load_balancers` / `gateway_api` (the Gateway API CRDs): the cluster add-ons installed by
        this stack (ClusterAddons)."""
        super().__init__("wire:k8s:WireReleases", name, None, opts)
        self._cfg = cfg
        self._provider = provider
        names = v.release_names(cfg)

        # Only wire-server's values come from AWS; the others are computed from the config alone, so
        # they carry no dependency on (and never wait for) AWS resources.
        builders: dict[str, Callable[[], Any]] = {
            v.WIRE_SERVER: lambda: aws.apply(lambda record: v.wire_server_values(cfg, record)),
            v.NGINX_INGRESS_SERVICES: lambda: v.nginx_ingress_services_values(cfg),
            v.TEAM_SETTINGS: lambda: v.team_settings_values(cfg),
            v.ACCOUNT_PAGES: lambda: v.account_pages_values(cfg),
            # The CSP names the asset download host (bucket or CloudFront): waits for the AWS outputs.
            v.WEBAPP: lambda: aws.apply(lambda record: v.webapp_values(cfg, record)),
            v.INGRESS_NGINX: lambda: v.ingress_nginx_values(cfg),
            v.METALLB: lambda: v.metallb_values(cfg),
            v.ENVOY_GATEWAY: lambda: v.envoy_gateway_values(cfg),
        }
        self.value_trees = {release: single_output(builders[release]()) for release in names}
        self.releases = {}

        entry: list[pulumi.Resource] = []
        if v.METALLB in names:
            metallb = self._release(v.METALLB, [])
            # metallb ≥ 0.13 takes its address pool as custom resources, whose CRDs the chart installs.
            pool = [
                custom_resource(
                    f"metallb-{manifest['kind'].lower()}",
                    manifest,
                    pulumi.ResourceOptions(parent=self, provider=provider, depends_on=[metallb]),
                )
                for manifest in v.metallb_manifests(cfg)
            ]
            entry = [metallb, *pool]
        legacy: list[k8s.helm.v3.Release] = []
        if v.INGRESS_NGINX in names:
            # Its NLB is provisioned by the AWS Load Balancer Controller.
            legacy = [self._release(v.INGRESS_NGINX, [*entry, *load_balancers])]
        gateway: pulumi.CustomResource | None = None
        if v.ENVOY_GATEWAY in names:
            gateway = self._gateway([*entry, *load_balancers, *gateway_api], certificates)

        # Only what the caller names (IAM roles, queues, table, bucket): never DNS or SES verification,
        # which may take long or depend on the load balancers created here.
        wslb = cfg.cannon.websocket_load_balancer
        # cannon's own load balancer (and its certificate) need the add-ons before the release.
        cannon_addons = [*load_balancers, *(certificates if wslb.cert_manager.enabled else [])] if wslb.enabled else []
        # Amazon's CAs for the services' TLS to a managed RabbitMQ (none when RabbitMQ is self-run).
        store_secrets = datastore_secrets(cfg, pulumi.ResourceOptions(parent=self, provider=provider))
        wire_server = self._release(v.WIRE_SERVER, [*depends_on, *cannon_addons, *store_secrets])
        roll_cannon_on_credentials(cfg, aws, wire_server, pulumi.ResourceOptions(parent=self, provider=provider))
        self._network_policies(wire_server)
        # Ingress objects go through the controller's admission webhook, Certificates through cert-manager's.
        self._release(v.NGINX_INGRESS_SERVICES, [*(legacy or entry), *certificates])
        if v.WEBAPP in names:
            self._release(v.WEBAPP, [])
        if v.TEAM_SETTINGS in names:
            self._release(v.TEAM_SETTINGS, [])
        if v.ACCOUNT_PAGES in names:
            self._release(v.ACCOUNT_PAGES, [])

        self.ingress_hostname = None
        self.legacy_hostname = None
        if cfg.ingress.balancer == LoadBalancerKind.AWS_NLB and legacy:
            self.legacy_hostname = self._service_hostname(
                INGRESS_CONTROLLER_SERVICE, legacy[0], f"{{namespace}}/{INGRESS_CONTROLLER_SERVICE}"
            )
            self.ingress_hostname = self.legacy_hostname
        if cfg.ingress.balancer == LoadBalancerKind.AWS_NLB and gateway is not None:
            # Envoy Gateway creates the proxy's Service (EnvoyProxy's fixed name) once the Gateway is accepted.
            self.ingress_hostname = self._service_hostname(
                ENVOY_SERVICE, gateway, f"{GATEWAY_NAMESPACE}/{ENVOY_SERVICE}"
            )
        self.websocket_hostname = None
        if cfg.cannon.websocket_load_balancer.enabled:
            self.websocket_hostname = self._service_hostname(
                CANNON_NGINZ_SERVICE, wire_server, f"{{namespace}}/{CANNON_NGINZ_SERVICE}"
            )

        self.register_outputs(
            {
                "releases": sorted(self.releases),
                "ingressHostname": self.ingress_hostname,
                "legacyHostname": self.legacy_hostname,
                "websocketHostname": self.websocket_hostname,
            }
        )

    def _network_policies(self, wire_server: k8s.helm.v3.Release) -> None:
        """The Wire namespace's NetworkPolicies (none with wire:networkPolicies off); after wire-server, whose
        release makes the namespace."""
        from components.k8s.netpol import enabled
        from components.k8s.network_policies import NetworkPolicies

        if enabled(self._cfg):
            NetworkPolicies(
                "network-policies",
                self._cfg,
                self.value_trees[v.WIRE_SERVER],
                provider=self._provider,
                depends_on=[wire_server],
                opts=pulumi.ResourceOptions(parent=self),
            )

    def _release(self, release: str, depends_on: list[pulumi.Resource]) -> k8s.helm.v3.Release:
        created = helm_release(
            release,
            v.release_chart(self._cfg, release),
            v.release_namespace(self._cfg, release),
            self.value_trees[release],
            timeout=WIRE_SERVER_TIMEOUT if release == v.WIRE_SERVER else DEFAULT_TIMEOUT,
            opts=pulumi.ResourceOptions(parent=self, provider=self._provider, depends_on=depends_on),
            cfg=self._cfg,
        )
        self.releases[release] = created
        return created

    def _gateway(
        self, depends_on: list[pulumi.Resource], certificates: Sequence[pulumi.Resource]
    ) -> pulumi.CustomResource:
        """Envoy Gateway and the Gateway API objects of the entry point; returns the Gateway."""
        controller = self._release(v.ENVOY_GATEWAY, depends_on)
        gateway: pulumi.CustomResource = controller
        for manifest in v.gateway_manifests(self._cfg):
            kind = manifest["kind"]
            # Certificates and Issuers are admitted by cert-manager's webhook; the rest by Envoy Gateway's CRDs.
            needs = (
                [controller, *certificates] if manifest["apiVersion"].startswith("cert-manager.io") else [controller]
            )
            created = custom_resource(
                f"{kind.lower()}-{manifest['metadata']['name']}",
                manifest,
                pulumi.ResourceOptions(parent=self, provider=self._provider, depends_on=needs),
            )
            if kind == "Gateway":
                gateway = created
        return gateway

    def _service_hostname(self, name: str, after: pulumi.CustomResource, service_id: str) -> pulumi.Output[str]:
        """The load balancer hostname of a Service created by `after` (read after it); `{namespace}` in the id is
        the namespace of the release `after`."""
        # An id known only once `after` exists: a first preview must not read a Service that does not exist yet.
        read_id: pulumi.Output[str]
        if isinstance(after, k8s.helm.v3.Release):
            read_id = after.status.apply(lambda status: service_id.format(namespace=status.namespace))
        else:
            read_id = after.id.apply(lambda _: service_id)
        read = k8s.core.v1.Service.get(
            name,
            read_id,
            opts=pulumi.ResourceOptions(parent=self, provider=self._provider, depends_on=[after]),
        )
        return read.status.apply(_lb_hostname)  # type: ignore[return-value]

"""Idle cost (bench P4): what the planned stack costs per month with no traffic at all.

Two sources: the custom resources in plan.json, and the helm values of the releases, because a
Kubernetes Service of type LoadBalancer in a chart makes the cluster's controller create a real
AWS load balancer that Pulumi never sees as a resource. Everything a release's values create was
computed from the stack configuration, so those items are "asked for by config"; an idle cost coming
from a plain AWS resource is not, and is what the target forbids.

Every custom resource gets a verdict (idle cost, usage only, or unpriced) so a new resource type
cannot slip through unpriced without showing up in the report.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from bench.prices import PriceTable
from bench.store_cost import FREE_STORE_PARTS, STORE_TYPES, store_cost

RELEASE_TYPE = "kubernetes:helm.sh/v3:Release"
ANNOTATION = "service.beta.kubernetes.io/"
DEFAULT_AZS = 3  # eu-central-1 has three; an internet-facing NLB gets a public IPv4 address in each

# Resource types that cost nothing while idle, by prefix, with the price-table key that says so.
USAGE_ONLY: tuple[tuple[str, str], ...] = (
    ("aws:cloudfront/", "cloudfront"),
    ("aws:s3/", "s3"),
    ("aws:sqs/", "sqs"),
    ("aws:sns/", "sns"),
    ("aws:ses/", "ses"),
    ("aws:sesv2/", "ses"),
    ("aws:route53/record:", "route53_record"),
    ("aws:iam/", "iam"),
    # A vault, plan and selection cost nothing; the backups are billed per GB stored (AWS Backup pricing).
    ("aws:backup/", "backup"),
)
# Resources below this component type exist because the configuration asks for alarms.
ALARMS_COMPONENT = "wire:aws:Alarms$"
# Keys of components the configuration asks for: the replica's (wire:assets.replication), the vault's (wire:backup).
REQUESTED_KEYS = {
    "wire:aws:AssetReplica$": "assets.replication.enabled: the replica's key",
    "wire:aws:StackBackup$": "backup.enabled: the backup vault's key",
}
# What the cluster runs costs money, but that is the cluster's, not the release's: the releases
# themselves, and Kubernetes objects read (not created) by the program.
FREE_PREFIXES = ("pulumi:providers:", RELEASE_TYPE)

# Charts whose templates create a LoadBalancer Service without a `type: LoadBalancer` in the values:
# chart -> (path of the service block, the switch inside it). wire-server's cannon "nginz" service is
# the websocket load balancer (templates hard-code `type: LoadBalancer`).
CHART_LOAD_BALANCERS: dict[str, tuple[tuple[tuple[str, ...], str], ...]] = {
    "wire-server": ((("cannon", "service", "nginz"), "enabled"),),
}


class UnknownType(Exception):
    """A resource type this module has no verdict for (reported as unpriced, never guessed)."""


@dataclass(frozen=True)
class CostItem:
    source: str  # URN, or "release <name>: <path in values>"
    kind: str  # price-table key(s)
    description: str
    monthly_usd: float | None  # None: idle cost whose amount the table cannot tell (instance sizes)
    asked_for_by_config: bool
    reason: str

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class IdleCost:
    idle: list[CostItem]  # costs money while idle
    usage_only: dict[str, int]  # price key -> number of resources that cost only with use
    unpriced: list[str]  # custom resource URNs of types the table does not know: check them

    @property
    def unrequested(self) -> list[CostItem]:
        return [item for item in self.idle if not item.asked_for_by_config]

    def monthly(self, *, asked_for_by_config: bool) -> float:
        return round(
            sum(i.monthly_usd or 0.0 for i in self.idle if i.asked_for_by_config == asked_for_by_config),
            2,
        )


def _truthy(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.lower() == "true")


def load_balancer_cost(
    annotations: Mapping[str, Any], prices: PriceTable, azs: int = DEFAULT_AZS
) -> tuple[str, str, float]:
    """(kind, description, USD/month) of the load balancer a LoadBalancer Service gets on EKS."""
    lb_type = str(annotations.get(f"{ANNOTATION}aws-load-balancer-type", "")).lower()
    scheme = str(annotations.get(f"{ANNOTATION}aws-load-balancer-scheme", "")).lower()
    # Without a type annotation the in-tree cloud provider creates a classic load balancer.
    kind = "nlb" if lb_type in ("external", "nlb", "nlb-ip") else "clb"
    if scheme:
        public = scheme == "internet-facing"
    elif lb_type == "external":
        public = False  # the AWS Load Balancer Controller defaults to internal
    else:
        public = not _truthy(annotations.get(f"{ANNOTATION}aws-load-balancer-internal", False))
    monthly = prices[kind].monthly
    description = prices[kind].item
    if public:
        monthly += azs * prices["public_ipv4"].monthly
        description += f", internet-facing ({azs} public IPv4 addresses)"
    return kind, description, round(monthly, 2)


def _load_balancer_services(tree: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Mapping]]:
    """Every mapping in a values tree that declares `type: LoadBalancer` (a Service spec or chart block)."""
    if isinstance(tree, Mapping):
        if tree.get("type") == "LoadBalancer":
            yield path, tree
        for key, value in tree.items():
            yield from _load_balancer_services(value, (*path, str(key)))
    elif isinstance(tree, list):
        for index, value in enumerate(tree):
            yield from _load_balancer_services(value, (*path, str(index)))


def _at(tree: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        if not isinstance(tree, Mapping):
            return None
        tree = tree.get(key)
    return tree


def release_load_balancers(
    release: str, chart: str, values: Any, prices: PriceTable, azs: int = DEFAULT_AZS
) -> list[CostItem]:
    found: dict[tuple[str, ...], Mapping] = dict(_load_balancer_services(values))
    for path, switch in CHART_LOAD_BALANCERS.get(chart, ()):
        block = _at(values, path)
        if isinstance(block, Mapping) and _truthy(block.get(switch)):
            found.setdefault(path, block)
    items = []
    for path, block in sorted(found.items()):
        annotations = block.get("annotations") or {}
        kind, description, monthly = load_balancer_cost(annotations, prices, azs)
        where = ".".join(path) or "(top level)"
        items.append(
            CostItem(
                source=f"release {release}: {where}",
                kind=kind,
                description=f"{description}, from a LoadBalancer Service of chart {chart}",
                monthly_usd=monthly,
                asked_for_by_config=True,
                reason=f"the release values ask for it ({where})",
            )
        )
    return items


def _resource_cost(resource: Mapping[str, Any], prices: PriceTable, azs: int) -> CostItem | str | None:
    """A CostItem for an idle cost, a price key for usage only, None for free; UnknownType otherwise.

    A price missing from the table is a KeyError: the table is incomplete, which must not pass as "unpriced".
    """
    type_ = resource["type"]
    inputs = resource.get("inputs") or {}
    urn = resource["urn"]

    def item(kind: str, description: str, monthly: float | None, reason: str) -> CostItem:
        return CostItem(urn, kind, description, None if monthly is None else round(monthly, 2), False, reason)

    def requested(kind: str, monthly: float, reason: str) -> CostItem:
        return CostItem(urn, kind, prices[kind].item, round(monthly, 2), True, reason)

    if type_.startswith(FREE_PREFIXES) or resource.get("read") or type_.startswith(FREE_STORE_PARTS):
        return None
    if type_ in STORE_TYPES:
        # A managed data store exists because wire:databases.<store>.managed asks for it.
        kind, description, monthly = store_cost(type_, inputs, prices)
        return CostItem(urn, kind, description, None if monthly is None else round(monthly, 2), True, "managed")
    if ALARMS_COMPONENT in urn:
        # The alarms and their topic's key exist because the stack asks for them (wire:alarms.enabled).
        if type_ == "aws:cloudwatch/metricAlarm:MetricAlarm":
            return requested("cloudwatch_alarm", prices["cloudwatch_alarm"].monthly, "alarms.enabled")
        if type_ == "aws:kms/key:Key":
            return requested("kms_key", prices["kms_key"].monthly, "alarms.enabled: the alarm topic's key")
    if type_ == "aws:kms/key:Key":
        for component, reason in REQUESTED_KEYS.items():
            if component in urn:
                return requested("kms_key", prices["kms_key"].monthly, reason)
        return item("kms_key", prices["kms_key"].item, prices["kms_key"].monthly, "a customer managed key")
    if type_ == "aws:route53/zone:Zone":
        return item("hosted_zone", prices["hosted_zone"].item, prices["hosted_zone"].monthly, "a hosted zone")
    if type_ == "aws:secretsmanager/secret:Secret":
        return item("secret", prices["secret"].item, prices["secret"].monthly, "a stored secret")
    if type_ == "aws:ec2/natGateway:NatGateway":
        return item("nat_gateway", prices["nat_gateway"].item, prices["nat_gateway"].monthly, "a NAT gateway")
    if type_ == "aws:eks/cluster:Cluster":
        return item("eks_cluster", prices["eks_cluster"].item, prices["eks_cluster"].monthly, "an EKS control plane")
    if type_ == "aws:ec2/eip:Eip":
        return item("public_ipv4", prices["public_ipv4"].item, prices["public_ipv4"].monthly, "a public IPv4 address")
    if type_ in ("aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"):
        kind = "nlb" if inputs.get("loadBalancerType") == "network" else "alb"
        return item(kind, prices[kind].item, prices[kind].monthly, "a load balancer")
    if type_ == "aws:elb/loadBalancer:LoadBalancer":
        return item("clb", prices["clb"].item, prices["clb"].monthly, "a classic load balancer")
    if type_ == "aws:dynamodb/table:Table":
        # The provider's default billing mode is PROVISIONED: a table without one pays for capacity.
        if inputs.get("billingMode", "PROVISIONED") == "PAY_PER_REQUEST":
            return "dynamodb_on_demand"
        indexes = inputs.get("globalSecondaryIndexes") or []
        reads = float(inputs.get("readCapacity") or 0) + sum(float(i.get("readCapacity") or 0) for i in indexes)
        writes = float(inputs.get("writeCapacity") or 0) + sum(float(i.get("writeCapacity") or 0) for i in indexes)
        monthly = reads * prices["dynamodb_rcu"].monthly + writes * prices["dynamodb_wcu"].monthly
        return item(
            "dynamodb_rcu+dynamodb_wcu",
            f"DynamoDB provisioned capacity ({reads:g} RCU, {writes:g} WCU)",
            monthly,
            "provisioned capacity",
        )
    if type_ == "aws:kinesis/stream:Stream":
        mode = (inputs.get("streamModeDetails") or {}).get("streamMode", "PROVISIONED")
        if mode == "ON_DEMAND":
            return item(
                "kinesis_on_demand", prices["kinesis_on_demand"].item, prices["kinesis_on_demand"].monthly, mode
            )
        shards = float(inputs.get("shardCount") or 0)
        return item(
            "kinesis_shard", f"Kinesis stream ({shards:g} shards)", shards * prices["kinesis_shard"].monthly, mode
        )
    if type_ in ("aws:rds/instance:Instance", "aws:ec2/instance:Instance", "aws:elasticache/cluster:Cluster"):
        return item("instance", "instance hours (size dependent, not in the table)", None, "a running instance")
    if type_ == "kubernetes:core/v1:Service" and (inputs.get("spec") or {}).get("type") == "LoadBalancer":
        annotations = (inputs.get("metadata") or {}).get("annotations") or {}
        kind, description, monthly = load_balancer_cost(annotations, prices, azs)
        return item(kind, description, monthly, "a LoadBalancer Service")
    if type_ == "kubernetes:gateway.envoyproxy.io/v1alpha1:EnvoyProxy":
        # Envoy Gateway creates the proxy's Service from the EnvoyProxy (the Gateway API entry point).
        service = (((inputs.get("spec") or {}).get("provider") or {}).get("kubernetes") or {}).get("envoyService") or {}
        if service.get("type", "LoadBalancer") == "LoadBalancer":
            kind, description, monthly = load_balancer_cost(service.get("annotations") or {}, prices, azs)
            reason = "wire:ingress.controller envoyGateway (its proxy's LoadBalancer Service)"
            return CostItem(urn, kind, f"{description}, Envoy Gateway's proxy", monthly, True, reason)
        return None
    if type_.startswith("kubernetes:"):
        return None  # other objects run on the cluster's nodes, which the plan does not create
    for prefix, key in USAGE_ONLY:
        if type_.startswith(prefix):
            return key
    raise UnknownType(type_)


def _installs_metallb(document: Mapping[str, Any]) -> bool:
    return any(
        resource["type"] == RELEASE_TYPE
        and ((resource.get("inputs") or {}).get("name") or resource["name"]) == "metallb"
        for resource in document.get("resources", [])
    )


def idle_cost(
    document: Mapping[str, Any],
    values: Mapping[str, Any],
    prices: PriceTable,
    azs: int = DEFAULT_AZS,
) -> IdleCost:
    """The idle cost of a plan.json document; `values` maps release name -> its values tree."""
    idle: list[CostItem] = []
    usage: dict[str, int] = {}
    unpriced: list[str] = []
    for resource in document.get("resources", []):
        if not resource.get("custom"):
            continue
        try:
            verdict = _resource_cost(resource, prices, azs)
        except UnknownType:
            unpriced.append(resource["urn"])
            continue
        if isinstance(verdict, CostItem):
            idle.append(verdict)
        elif verdict is not None:
            usage[verdict] = usage.get(verdict, 0) + 1
        if resource["type"] == RELEASE_TYPE:
            inputs = resource.get("inputs") or {}
            name = inputs.get("name") or resource["name"]
            tree = values.get(name)
            if tree is None and isinstance(inputs.get("values"), Mapping):
                tree = inputs["values"]  # no values file: the inputs carry the tree unless it holds secrets
            idle += release_load_balancers(name, str(inputs.get("chart") or name), tree or {}, prices, azs)
    if _installs_metallb(document):
        # Bare metal: a LoadBalancer Service without an AWS load balancer type gets its address from metallb, not
        # a classic load balancer of the in-tree cloud provider.
        idle = [item for item in idle if item.kind != "clb"]
    return IdleCost(idle=idle, usage_only=dict(sorted(usage.items())), unpriced=unpriced)

"""Pulumi mocks that behave enough like AWS and Kubernetes to evaluate the whole program offline.

Used by the offline plan and by the tests. Beyond `pulumi.runtime.Mocks` this module:

- records every registration with what the engine would see: parent, dependencies (explicit and
  property dependencies), protect, retainOnDelete, inputs with their secretness, and
  `additional_secret_outputs`;
- honours `additional_secret_outputs` (the stock mock monitor ignores them), so an access key's
  `secret` is a secret Output in tests exactly as under `pulumi up`;
- gives each AWS type realistic, deterministic outputs (ARNs, queue URLs, DKIM tokens, a load
  balancer hostname for a Service read, ...), and answers invokes with camelCase keys;
- with `preview=True` answers like the engine in a stack's first `pulumi preview`: a resource being
  created returns only its inputs (every computed output and its id unknown), a read whose id is
  unknown returns nothing, invokes still run;
- notes for every registration whether it happened inside an `Output.apply` callback (a resource
  created there is missing from a preview whenever the applied value is unknown).

Secret inputs are recorded as `Secret(value)`; `redact_secrets()` turns them into `[secret]`.
"""

from __future__ import annotations

import contextvars
import hashlib
import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pulumi
from pulumi.output import Unknown
from pulumi.runtime import mocks as pulumi_mocks
from pulumi.runtime import resource as runtime_resource
from pulumi.runtime import rpc
from pulumi.runtime.proto import source_pb2
from pulumi.runtime.settings import SETTINGS, set_root_resource
from pulumi.runtime.stack import run_pulumi_func, wait_for_rpcs
from pulumi.runtime.sync_await import _ensure_event_loop, _sync_await

from components.outputs import REDACTED, any_marked, map_marked

ACCOUNT_ID = "123456789012"
DEFAULT_REGION = "eu-central-1"
# How a value only the real apply will know is shown (as `pulumi preview` does).
KNOWN_AFTER_APPLY = "(known after apply)"


@dataclass(frozen=True)
class Secret:
    """An input value the program marked secret."""

    value: Any


def redact_secrets(value: Any) -> Any:
    return map_marked(value, Secret, lambda _secret: REDACTED)


def reveal_secrets(value: Any) -> Any:
    return map_marked(value, Secret, lambda secret: reveal_secrets(secret.value))


def show_unknowns(value: Any) -> Any:
    """Every unknown value (a first preview's computed outputs) as "(known after apply)"."""
    return map_marked(value, Unknown, lambda _unknown: KNOWN_AFTER_APPLY)


def contains_secret(value: Any) -> bool:
    return any_marked(value, Secret)


def _from_rpc(value: Any) -> Any:
    if isinstance(value, Unknown):
        return KNOWN_AFTER_APPLY
    if rpc.is_rpc_secret(value):
        return Secret(_from_rpc(rpc.unwrap_rpc_secret(value)))
    if isinstance(value, dict):
        return {key: _from_rpc(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_from_rpc(item) for item in value]
    if isinstance(value, pulumi.Resource):
        return f"<resource {type(value).__name__}>"
    return value


@dataclass
class Registration:
    urn: str
    type: str
    name: str
    parent: str | None
    dependencies: list[str]
    custom: bool
    protect: bool
    retain_on_delete: bool
    provider: str | None
    inputs: dict[str, Any]
    outputs: dict[str, Any] = field(default_factory=dict)
    additional_secret_outputs: list[str] = field(default_factory=list)
    read: bool = False
    # Registered from inside an Output.apply callback: such a resource may be absent from a preview.
    in_apply: bool = False
    delete_before_replace: bool = False
    # Names of the `aliases=` specs (old names this resource adopts).
    alias_names: list[str] = field(default_factory=list)
    # `import_=`: the id of the live resource this registration adopts, and what it ignores while doing so.
    import_id: str | None = None
    ignore_changes: list[str] = field(default_factory=list)


def _digest(*parts: str, length: int = 8) -> str:
    return hashlib.sha256("/".join(parts).encode()).hexdigest()[:length]


class WireMocks(pulumi_mocks.Mocks):
    """Deterministic outputs per resource type and invoke."""

    def __init__(self, region: str = DEFAULT_REGION, account_id: str = ACCOUNT_ID) -> None:
        self.region = region
        self.account = account_id

    # -- resources ---------------------------------------------------------------------------------

    def new_resource(self, args: pulumi_mocks.MockResourceArgs) -> tuple[str | None, dict]:
        if not args.custom and args.resource_id is None and not args.typ.startswith(("aws:", "kubernetes:", "pulumi:")):
            return None, {}
        inputs = dict(args.inputs)
        extra = self._outputs_for(args.typ, args.name, _plain(inputs), args.resource_id)
        # An imported resource keeps the id it was imported by, as the engine records it.
        identifier = args.resource_id or extra.pop("id", None) or f"{args.name}-id"
        extra.pop("id", None)
        return identifier, {**inputs, **extra}

    def _outputs_for(self, typ: str, name: str, inputs: dict[str, Any], read_id: str | None) -> dict[str, Any]:
        r, a = self.region, self.account
        given = inputs.get("name") or name
        handler = _OUTPUTS.get(typ)
        if handler is not None:
            return handler(self, given, inputs, read_id)
        if typ.startswith("aws:"):
            service = typ.split(":")[1].split("/")[0]
            return {"arn": f"arn:aws:{service}:{r}:{a}:{given}", "id": given}
        return {}

    # -- invokes -----------------------------------------------------------------------------------

    def call(self, args: pulumi_mocks.MockCallArgs) -> dict:  # type: ignore[override]
        token = args.token
        if token == "aws:index/getCallerIdentity:getCallerIdentity":
            return {
                "accountId": self.account,
                "arn": f"arn:aws:iam::{self.account}:user/offline-plan",
                "userId": "AIDAOFFLINEPLAN",
                "id": self.account,
            }
        if token in ("aws:index/getRegion:getRegion", "aws:index/region:getRegion"):
            return {"name": self.region, "region": self.region, "id": self.region, "endpoint": ""}
        if token == "aws:index/getPartition:getPartition":
            return {"partition": "aws", "dnsSuffix": "amazonaws.com", "id": "aws"}
        if token == "aws:route53/getZone:getZone":
            zone_id = args.args.get("zoneId") or "Z0123456789EXAMPLE"
            return {"zoneId": zone_id, "id": zone_id, "name": args.args.get("name") or "example.com"}
        return {}


def _plain(inputs: dict[str, Any]) -> dict[str, Any]:
    return reveal_secrets(_from_rpc(inputs))


def _queue(m: WireMocks, name: str, _inputs: dict, _read: str | None) -> dict:
    url = _read or f"https://sqs.{m.region}.amazonaws.com/{m.account}/{name}"
    return {"arn": f"arn:aws:sqs:{m.region}:{m.account}:{name}", "url": url, "id": url, "name": name}


def _topic(m: WireMocks, name: str, _inputs: dict, _read: str | None) -> dict:
    arn = f"arn:aws:sns:{m.region}:{m.account}:{name}"
    return {"arn": arn, "id": arn, "name": name}


def _platform_app(m: WireMocks, name: str, inputs: dict, _read: str | None) -> dict:
    arn = f"arn:aws:sns:{m.region}:{m.account}:app/{inputs.get('platform', 'GCM')}/{name}"
    return {"arn": arn, "id": arn}


def _subscription(m: WireMocks, name: str, inputs: dict, _read: str | None) -> dict:
    arn = f"{inputs.get('topic', f'arn:aws:sns:{m.region}:{m.account}:topic')}:{_digest(name, length=12)}"
    return {"arn": arn, "id": arn}


def _table(m: WireMocks, name: str, _inputs: dict, _read: str | None) -> dict:
    return {"arn": f"arn:aws:dynamodb:{m.region}:{m.account}:table/{name}", "id": name, "name": name}


def _bucket(m: WireMocks, name: str, inputs: dict, _read: str | None) -> dict:
    bucket = inputs.get("bucket") or name
    return {
        "arn": f"arn:aws:s3:::{bucket}",
        "id": bucket,
        "bucket": bucket,
        "bucketDomainName": f"{bucket}.s3.amazonaws.com",
        "bucketRegionalDomainName": f"{bucket}.s3.{m.region}.amazonaws.com",
        "region": m.region,
        "hostedZoneId": "Z21DNDUVLTQW6Q",
    }


def _iam_identity(kind: str, id_prefix: str) -> Callable[[WireMocks, str, dict, str | None], dict]:
    """Outputs of an IAM role or user: `arn:aws:iam::<account>:<kind>/<name>` and a unique id."""

    def outputs(m: WireMocks, name: str, _inputs: dict, _read: str | None) -> dict:
        return {
            "arn": f"arn:aws:iam::{m.account}:{kind}/{name}",
            "id": name,
            "name": name,
            "uniqueId": f"{id_prefix}{_digest(name)}",
        }

    return outputs


def _managed_policy(m: WireMocks, name: str, _inputs: dict, _read: str | None) -> dict:
    return {"arn": f"arn:aws:iam::{m.account}:policy/{name}", "id": f"arn:aws:iam::{m.account}:policy/{name}"}


def _access_key(_m: WireMocks, name: str, _inputs: dict, _read: str | None) -> dict:
    key_id = f"AKIA{_digest(name, length=16).upper()}"
    return {"id": key_id, "secret": f"mock-secret-{_digest(name, 'secret', length=24)}", "status": "Active"}


def _dkim_tokens(domain: str) -> list[str]:
    # "mock" in each token (and so in each DKIM record name) tells a reader it is made up.
    return [f"mock{_digest(domain, str(index), length=28)}" for index in range(3)]


def _ses_domain_identity(m: WireMocks, name: str, inputs: dict, _read: str | None) -> dict:
    domain = inputs.get("domain") or name
    return {
        "arn": f"arn:aws:ses:{m.region}:{m.account}:identity/{domain}",
        "id": domain,
        "verificationToken": _digest(domain, "verify", length=44),
    }


def _ses_domain_dkim(_m: WireMocks, name: str, inputs: dict, _read: str | None) -> dict:
    return {"dkimTokens": _dkim_tokens(inputs.get("domain") or name), "id": inputs.get("domain") or name}


def _sesv2_identity(m: WireMocks, name: str, inputs: dict, _read: str | None) -> dict:
    identity = inputs.get("emailIdentity") or name
    return {
        "arn": f"arn:aws:ses:{m.region}:{m.account}:identity/{identity}",
        "id": identity,
        "identityType": "DOMAIN" if "@" not in identity else "EMAIL_ADDRESS",
        "dkimSigningAttributes": {
            **(inputs.get("dkimSigningAttributes") or {}),
            "tokens": _dkim_tokens(identity),
            "status": "PENDING",
            "signingAttributesOrigin": "AWS_SES",
        },
        "verifiedForSendingStatus": False,
    }


def _sesv2_configuration_set(m: WireMocks, name: str, inputs: dict, _read: str | None) -> dict:
    set_name = inputs.get("configurationSetName") or name
    return {"arn": f"arn:aws:ses:{m.region}:{m.account}:configuration-set/{set_name}", "id": set_name}


def _record(_m: WireMocks, name: str, inputs: dict, _read: str | None) -> dict:
    fqdn = inputs.get("name") or name
    return {"fqdn": fqdn, "id": f"{inputs.get('zoneId', 'Z')}_{fqdn}_{inputs.get('type', 'A')}"}


def _distribution(m: WireMocks, name: str, _inputs: dict, _read: str | None) -> dict:
    dist_id = f"E{_digest(name, length=13).upper()}"
    return {
        "arn": f"arn:aws:cloudfront::{m.account}:distribution/{dist_id}",
        "id": dist_id,
        "domainName": f"d{_digest(name, 'cf', length=13)}.cloudfront.net",
        "hostedZoneId": "Z2FDTNDATAQYW2",
        "status": "Deployed",
    }


def _release(_m: WireMocks, name: str, inputs: dict, _read: str | None) -> dict:
    release = inputs.get("name") or name
    return {
        "id": f"{inputs.get('namespace', 'default')}/{release}",
        "status": {"name": release, "namespace": inputs.get("namespace", "default"), "status": "deployed"},
    }


def _service(m: WireMocks, name: str, inputs: dict, read_id: str | None) -> dict:
    service = (read_id or name).split("/")[-1]
    hostname = f"mock-{service}-{_digest(service, length=16)}.elb.{m.region}.amazonaws.com"
    return {
        "id": read_id or name,
        "metadata": inputs.get("metadata") or {"name": service},
        "status": {"loadBalancer": {"ingress": [{"hostname": hostname}]}},
    }


def _kms_key(m: WireMocks, name: str, _inputs: dict, _read: str | None) -> dict:
    key_id = f"{_digest(name, length=8)}-0000-4000-8000-{_digest(name, 'k', length=12)}"
    return {"arn": f"arn:aws:kms:{m.region}:{m.account}:key/{key_id}", "id": key_id, "keyId": key_id}


def stack_output_placeholder(stack: str, output: str) -> str:
    """What the plan shows for an output of another stack: it cannot be read offline."""
    return f"[output {output} of stack {stack}]"


def _stack_reference(m: WireMocks, name: str, inputs: dict, read_id: str | None) -> dict:
    # The outputs a cluster stack exports (README: kubernetes.clusterStack), as marked placeholders.
    # Read in a preview too (its id, the stack name, is known).
    stack = inputs.get("name") or read_id or name
    return {
        "id": stack,
        "name": stack,
        "outputs": {output: stack_output_placeholder(stack, output) for output in ("kubeconfig", "oidcProviderArn")},
        "secretOutputNames": ["kubeconfig"],
    }


_OUTPUTS: dict[str, Callable[[WireMocks, str, dict, str | None], dict]] = {
    "aws:sqs/queue:Queue": _queue,
    "aws:sns/topic:Topic": _topic,
    "aws:sns/platformApplication:PlatformApplication": _platform_app,
    "aws:sns/topicSubscription:TopicSubscription": _subscription,
    "aws:dynamodb/table:Table": _table,
    "aws:s3/bucket:Bucket": _bucket,
    "aws:iam/role:Role": _iam_identity("role", "AROA"),
    "aws:iam/user:User": _iam_identity("user", "AIDA"),
    "aws:iam/policy:Policy": _managed_policy,
    "aws:iam/accessKey:AccessKey": _access_key,
    "aws:ses/domainIdentity:DomainIdentity": _ses_domain_identity,
    "aws:ses/domainDkim:DomainDkim": _ses_domain_dkim,
    "aws:sesv2/emailIdentity:EmailIdentity": _sesv2_identity,
    "aws:sesv2/configurationSet:ConfigurationSet": _sesv2_configuration_set,
    "aws:route53/record:Record": _record,
    "aws:cloudfront/distribution:Distribution": _distribution,
    "aws:kms/key:Key": _kms_key,
    "kubernetes:helm.sh/v3:Release": _release,
    "kubernetes:core/v1:Service": _service,
    "pulumi:pulumi:StackReference": _stack_reference,
}


class RecordingMonitor(pulumi_mocks.MockMonitor):
    """A mock monitor that keeps what the engine would see and honours additional_secret_outputs.

    `preview=True` answers like the engine in a stack's first preview (nothing exists yet): a custom
    resource returns its inputs only, with no id, so every computed output is unknown; a read of an
    unknown id returns no properties and no id.
    """

    def __init__(self, mocks: WireMocks, *, preview: bool = False) -> None:
        super().__init__(mocks)
        self.registrations: list[Registration] = []
        # (token, provider reference) of every invoke: an empty reference means a default provider.
        self.invokes: list[tuple[str, str]] = []
        self.preview = preview

    def Invoke(self, request: Any) -> Any:
        self.invokes.append((request.tok, request.provider))
        return super().Invoke(request)

    def RegisterResource(self, request: Any) -> Any:
        if request.type == "pulumi:pulumi:Stack":
            return super().RegisterResource(request)
        _ensure_event_loop()
        inputs = rpc.deserialize_properties(request.object, keep_unknowns=True)
        urn = self.make_urn(request.parent, request.type, request.name)
        custom = bool(request.custom)
        resource_args = pulumi_mocks.MockResourceArgs(
            typ=request.type,
            name=request.name,
            inputs=inputs,
            provider=request.provider,
            resource_id=request.importId,
            custom=custom,
        )
        id_, state = self.mocks.new_resource(resource_args)
        if self.preview and custom and not request.importId:
            # A planned create: the provider echoes the inputs; the id and every computed output
            # (including one nested in an input object, like SES's DKIM tokens) come at apply.
            id_ = ""
            state = {key: value if inputs.get(key) == value else Unknown() for key, value in state.items()}
        secret_outputs = list(request.additionalSecretOutputs)
        for key in secret_outputs:
            if key in state and not rpc.is_rpc_secret(state[key]):
                state[key] = rpc.wrap_rpc_secret(state[key])
        dependencies = list(request.dependencies)
        for deps in request.propertyDependencies.values():
            dependencies += [urn_ for urn_ in deps.urns if urn_ not in dependencies]
        self.registrations.append(
            Registration(
                urn=urn,
                type=request.type,
                name=request.name,
                parent=request.parent or None,
                dependencies=dependencies,
                custom=custom,
                protect=bool(request.protect),
                retain_on_delete=bool(request.retainOnDelete),
                provider=request.provider or None,
                inputs=_from_rpc(inputs),
                outputs=_from_rpc(state),
                additional_secret_outputs=secret_outputs,
                in_apply=_IN_APPLY.get(),
                delete_before_replace=bool(request.deleteBeforeReplace),
                alias_names=[alias.spec.name for alias in request.aliases if alias.spec.name],
                import_id=request.importId or None,
                ignore_changes=list(request.ignoreChanges),
            )
        )
        obj_proto = _sync_await(rpc.serialize_properties(state, {}))
        self.resources[urn] = pulumi_mocks.MockMonitor.ResourceRegistration(urn, id_ or "", state)
        from pulumi.runtime.proto import resource_pb2

        return resource_pb2.RegisterResourceResponse(urn=urn, id=id_ or "", object=obj_proto)

    def ReadResource(self, request: Any) -> Any:
        urn = self.make_urn(request.parent, request.type, request.name)
        if self.preview and request.id == rpc.UNKNOWN:
            # The engine skips a read whose id is not known yet: no id, no properties.
            from pulumi.runtime.proto import resource_pb2

            response = resource_pb2.ReadResourceResponse(urn=urn)
            state: dict[str, Any] = {}
        else:
            response = super().ReadResource(request)
            state = self.resources[urn].state
        self.registrations.append(
            Registration(
                urn=urn,
                type=request.type,
                name=request.name,
                parent=request.parent or None,
                dependencies=list(request.dependencies),
                custom=True,
                protect=False,
                retain_on_delete=False,
                provider=request.provider or None,
                inputs={"id": KNOWN_AFTER_APPLY if request.id == rpc.UNKNOWN else request.id},
                outputs=_from_rpc(state),
                read=True,
                in_apply=_IN_APPLY.get(),
            )
        )
        return response


# True while an Output.apply callback runs; resource registrations started there inherit it (asyncio
# tasks and the SDK's executor calls copy the context), so the monitor can tell them apart.
_IN_APPLY: contextvars.ContextVar[bool] = contextvars.ContextVar("wire_in_apply", default=False)


@contextmanager
def _noting_applies() -> Iterator[None]:
    original = pulumi.Output.apply

    def apply(self: pulumi.Output, func: Callable[[Any], Any], run_with_unknowns: bool = False) -> pulumi.Output:
        def noted(value: Any) -> Any:
            token = _IN_APPLY.set(True)
            try:
                return func(value)
            finally:
                _IN_APPLY.reset(token)

        return original(self, noted, run_with_unknowns)

    pulumi.Output.apply = apply  # type: ignore[method-assign]
    try:
        yield
    finally:
        pulumi.Output.apply = original  # type: ignore[method-assign]


@dataclass
class Evaluation:
    resources: list[Registration]
    stack_outputs: dict[str, Any]
    secret_outputs: set[str]
    result: Any = None
    invokes: list[tuple[str, str]] = field(default_factory=list)

    def find(self, type_token: str, name: str | None = None) -> list[Registration]:
        return [r for r in self.resources if r.type == type_token and (name is None or r.name == name)]

    def one(self, type_token: str, name: str | None = None) -> Registration:
        found = self.find(type_token, name)
        if len(found) != 1:
            names = [r.name for r in self.find(type_token)]
            raise AssertionError(f"expected one {type_token} named {name!r}, found {len(found)} among {names}")
        return found[0]

    def by_urn(self, urn: str) -> Registration:
        for registration in self.resources:
            if registration.urn == urn:
                return registration
        raise KeyError(urn)

    def children(self, parent: Registration) -> list[Registration]:
        return [r for r in self.resources if r.parent == parent.urn]


def run_program(
    fn: Callable[[], Any],
    *,
    config: dict[str, str] | None = None,
    secret_keys: list[str] | tuple[str, ...] | set[str] = (),
    preview: bool = False,
    stack: str = "test",
    project: str = "wire",
) -> Evaluation:
    """Evaluate `fn` as a Pulumi program under the mocks and return everything it registered.

    The configuration reaches the program the way the language host hands it over under `pulumi up`:
    `PULUMI_CONFIG` (every key, values as strings, `secure:` values decrypted, objects as JSON) and
    `PULUMI_CONFIG_SECRET_KEYS` (the top-level keys holding a secret).

    Exceptions raised by `fn` (or inside an apply) propagate. With `preview=True` the mocks answer like
    a stack's first `pulumi preview` (see RecordingMonitor) and apply callbacks on unknown values never
    run. When `fn` returns an Output, or a dict of Outputs, the Evaluation's `result` is its value
    (unknowns as `Unknown`).
    """
    config = dict(config or {})
    region = config.get("aws:region", DEFAULT_REGION)
    mocks = WireMocks(region=region)
    monitor = RecordingMonitor(mocks, preview=preview)
    pulumi.runtime.set_all_config({}, [])
    set_root_resource(None)  # type: ignore[arg-type]
    pulumi.runtime.set_mocks(mocks, project=project, stack=stack, preview=preview, monitor=monitor)
    SETTINGS.rpc_manager.clear()  # type: ignore[attr-defined]  # SETTINGS is a ContextVar-backed proxy
    holder: dict[str, Any] = {}

    def program() -> None:
        holder["result"] = fn()

    with _language_host_config(config, secret_keys), _noting_applies(), _without_stack_traces():
        _sync_await(run_pulumi_func(program))
        root = pulumi.runtime.get_root_resource()
        exported = dict(getattr(root, "outputs", {}) or {})
        outputs: dict[str, Any] = {}
        secret: set[str] = set()

        async def resolve() -> None:
            result = holder.get("result")
            if isinstance(result, pulumi.Output):
                holder["result"] = await result.future(with_unknowns=True)
            elif isinstance(result, dict) and any(isinstance(item, pulumi.Output) for item in result.values()):
                holder["result"] = {
                    key: await pulumi.Output.from_input(item).future(with_unknowns=True) for key, item in result.items()
                }
            for key, value in exported.items():
                output = pulumi.Output.from_input(value)
                outputs[key] = _from_rpc(await output.future(with_unknowns=True))
                if await output.is_secret():
                    secret.add(key)

        _sync_await(resolve())
        _sync_await(wait_for_rpcs())
    return Evaluation(monitor.registrations, outputs, secret, holder.get("result"), monitor.invokes)


_CONFIG_ENV = ("PULUMI_CONFIG", "PULUMI_CONFIG_SECRET_KEYS")


@contextmanager
def _language_host_config(config: dict[str, str], secret_keys: Any) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in _CONFIG_ENV}
    os.environ["PULUMI_CONFIG"] = json.dumps(config)
    os.environ["PULUMI_CONFIG_SECRET_KEYS"] = json.dumps(sorted(secret_keys))
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@contextmanager
def _without_stack_traces() -> Iterator[None]:
    """Skip the SDK's per-registration stack trace while the mocks run.

    For each registration the SDK walks the Python stack and reads every source file on it (a tenth of the
    evaluation's time), only to send the engine source positions that the mock monitor drops unread.
    """
    original = getattr(runtime_resource, "_get_stack_trace", None)
    if original is None:  # a future SDK without it: nothing to skip
        yield
        return
    runtime_resource._get_stack_trace = source_pb2.StackTrace  # empty: no frames, so no source position
    try:
        yield
    finally:
        runtime_resource._get_stack_trace = original  # type: ignore[attr-defined]

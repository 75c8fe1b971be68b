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
  unknown returns nothing, invokes still run; an import (`import_`) is read by its import id, so its
  outputs are known, and `Registration.stored_inputs()` gives what the engine stores for it (every
  ignored input taken from the live resource);
- notes for every registration whether it happened inside an `Output.apply` callback (a resource
  created there is missing from a preview whenever the applied value is unknown);
- notes every alias that is an unknown Output when the resource registers: the SDK drops such an alias
  without a word (pulumi/runtime/resource.py `prepare_aliases` skips an alias resolving to None), so a
  preview would show a delete and a create that `up` does not do (`Evaluation.unknown_aliases`).

What the mocks answer per type is in plan/mock_outputs.py; what is recorded of each registration in
plan/registrations.py.
"""

from __future__ import annotations

import contextvars
import gc
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

from plan.mock_outputs import DEFAULT_REGION, WireMocks
from plan.registrations import KNOWN_AFTER_APPLY, Registration, from_rpc


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
                inputs=from_rpc(inputs),
                outputs=from_rpc(state),
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
                outputs=from_rpc(state),
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
    # `<type>::<name>` of every resource registered with an alias that was an unknown Output (dropped).
    unknown_aliases: list[str] = field(default_factory=list)

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

    unknown_aliases: list[str] = []
    with (
        _without_cycle_collection(),
        _language_host_config(config, secret_keys),
        _noting_applies(),
        _without_stack_traces(),
        _noting_unknown_aliases(unknown_aliases),
    ):
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
                outputs[key] = from_rpc(await output.future(with_unknowns=True))
                if await output.is_secret():
                    secret.add(key)

        _sync_await(resolve())
        _sync_await(wait_for_rpcs())
    return Evaluation(monitor.registrations, outputs, secret, holder.get("result"), monitor.invokes, unknown_aliases)


_CONFIG_ENV = ("PULUMI_CONFIG", "PULUMI_CONFIG_SECRET_KEYS")


@contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """No cyclic garbage collection while one evaluation runs; what it left behind is collected after.

    An evaluation allocates hundreds of thousands of futures, tasks and Outputs, and every so many allocations
    the collector walks the whole heap: the SDK's modules and, in a test process, everything the session
    loaded. Those walks were about half of an evaluation's time; the cycles one evaluation leaves (about 10 MB
    for the full prod example) wait for the next collection instead.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


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


@contextmanager
def _noting_unknown_aliases(found: list[str]) -> Iterator[None]:
    """Note each alias that is an unknown Output as the resource registers (the SDK then drops it)."""
    original = runtime_resource.prepare_aliases

    async def prepare_aliases(resource: Any, resource_options: Any, supports_alias_specs: bool) -> Any:
        for alias in getattr(resource_options, "aliases", None) or []:
            if isinstance(alias, pulumi.Output) and not await alias.is_known():
                found.append(f"{resource._type}::{resource._name}")
        return await original(resource, resource_options, supports_alias_specs)

    runtime_resource.prepare_aliases = prepare_aliases  # type: ignore[assignment]
    try:
        yield
    finally:
        runtime_resource.prepare_aliases = original

"""Render a stack's helm values with the real charts (`helm template`) and check the manifests.

Where the tools come from:
- helm: `$HELM`, else `helm` on PATH.
- charts: `$WIRE_CHARTS_DIR` (a folder of packaged charts, `<chart>-<version>.tgz`), else the cache
  (`$XDG_CACHE_HOME/wire-infra/charts`, filled by `python -m plan.render --pull`), else a stack's local
  chart `path`. Nothing here reaches the network except `--pull`, which runs `helm pull` of the pinned
  versions from the stack's `wire:charts` repositories.

`python -m plan.render --stack <stack>` renders every release of the stack's offline plan against its
pinned chart and validates the objects against the Kubernetes schemas of `wire:kubernetes.version`.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import tempfile
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from components import yaml_text
from components.config import PLACEHOLDER, ChartSource
from components.k8s.values.dump import values_yaml

CHARTS_DIR_ENV = "WIRE_CHARTS_DIR"
# base64 of "placeholder": stands for every secret not known offline.
RENDER_PLACEHOLDER = "cGxhY2Vob2xkZXI="
HELM_ENV = "HELM"
# A folder where `render` keeps helm's output by digest of helm, chart, options and values: the tests set it
# for one run (tests/conftest.py), so each distinct render happens once however many tests and workers read it.
RENDER_CACHE_ENV = "WIRE_RENDER_CACHE"

# API groups whose kinds are custom resources: Kubernetes' own schemas do not describe them (their CRDs do:
# `crd_schema_problems`).
CUSTOM_RESOURCE_GROUPS = (
    "cert-manager.io",
    "monitoring.coreos.com",
    "metallb.io",
    "elbv2.k8s.aws",
    "gateway.networking.k8s.io",
    "gateway.envoyproxy.io",
)

ENABLE_HINT = (
    f"set {CHARTS_DIR_ENV}=<folder of packaged charts> (or `make charts` to pull them into the cache) "
    f"and {HELM_ENV}=<helm binary> (or put helm on PATH); see docs/chart-upgrades.md"
)


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "wire-infra" / "charts"


def find_helm() -> str | None:
    """The helm binary: `$HELM`, else `helm` on PATH."""
    configured = os.environ.get(HELM_ENV)
    if configured:
        return configured if Path(configured).is_file() else None
    return shutil.which("helm")


def chart_dirs() -> list[Path]:
    """Folders searched for packaged charts, in order: `$WIRE_CHARTS_DIR`, then the cache."""
    dirs = []
    configured = os.environ.get(CHARTS_DIR_ENV)
    if configured:
        dirs.append(Path(configured))
    dirs.append(cache_dir())
    return dirs


def chart_file(source: ChartSource) -> str:
    return f"{source.chart}-{source.version}.tgz"


def locate_chart(source: ChartSource, dirs: list[Path] | None = None) -> Path | None:
    """The packaged chart of a pinned source, or its local path; None when it is not on this machine."""
    if source.path is not None:
        path = Path(source.path)
        return path if path.exists() else None
    for folder in chart_dirs() if dirs is None else dirs:
        candidate = folder / chart_file(source)
        if candidate.is_file():
            return candidate
    return None


@dataclass(frozen=True)
class StandIn:
    """A packaged chart that renders pinned versions it is not, because they share its layout."""

    lowest: tuple[int, int]
    highest: tuple[int, int] | None  # None: every later version, until a layout change is found
    version: str
    why: str


# Pinned versions with no packaged chart for offline rendering, and the chart of the same layout that renders
# them instead (`../shared/charts/README.md` says where each comes from). Explicit, never a guess: a pinned
# version outside these ranges and not packaged is "not found".
STAND_INS: dict[str, tuple[StandIn, ...]] = {
    "wire-server": (
        StandIn((5, 30), None, "5.30.0-develop.20260411", "the 5.30+ layout (proxy subchart behind tags.proxy)"),
        StandIn((5, 29), (5, 29), "5.29.5", "the 5.29 layout (proxy inline)"),
    ),
    "nginx-ingress-services": (
        StandIn((5, 30), None, "5.30.0-develop.20260411", "the 5.30+ layout (templates as 5.29.5)"),
        StandIn((5, 28), (5, 29), "5.29.5", "the closest chart here (5.28 -> 5.29.5 not diffed here)"),
    ),
}


def stand_in(source: ChartSource) -> StandIn | None:
    """The stand-in of a pinned version (STAND_INS), if it has one."""
    found = source.major_minor
    if source.path is not None or found is None:
        return None
    for candidate in STAND_INS.get(source.chart, ()):
        if candidate.lowest <= found and (candidate.highest is None or found <= candidate.highest):
            return candidate
    return None


def locate_chart_or_stand_in(source: ChartSource, dirs: list[Path] | None = None) -> tuple[Path, StandIn | None] | None:
    """The packaged chart of a pinned source, else its stand-in's (with the StandIn, so callers say so)."""
    exact = locate_chart(source, dirs)
    if exact is not None:
        return exact, None
    candidate = stand_in(source)
    if candidate is None:
        return None
    packaged = locate_chart(source.model_copy(update={"version": candidate.version}), dirs)
    return (packaged, candidate) if packaged is not None else None


def pull_chart(source: ChartSource, helm: str, into: Path | None = None) -> Path:
    """`helm pull` a pinned chart into the cache (needs network access to its repository)."""
    target = into or cache_dir()
    target.mkdir(parents=True, exist_ok=True)
    if source.path is not None or not source.repo or not source.version:
        raise ValueError(f"chart '{source.chart}' has no repository and version to pull")
    where = [source.oci_reference] if source.oci_reference else [source.chart, "--repo", source.repo]
    subprocess.run([helm, "pull", *where, "--version", source.version, "--destination", str(target)], check=True)
    return target / chart_file(source)


# --- rendering ----------------------------------------------------------------------------------------


class RenderError(Exception):
    """helm template failed; the message is helm's error."""


@dataclass(frozen=True)
class Rendered:
    release: str
    objects: list[dict[str, Any]]


def render(
    helm: str,
    chart: Path,
    release: str,
    namespace: str,
    values: dict[str, Any],
    kube_version: str,
) -> Rendered:
    """`helm template` of one release, as install would create it (no test hooks), parsed into objects."""
    argv_tail = [release, "--namespace", namespace, "--skip-tests", "--kube-version", kube_version]
    values_text = values_yaml(_fill_placeholders(values))
    cache = os.environ.get(RENDER_CACHE_ENV)
    if cache:
        objects = _cached_objects(Path(cache), helm, chart, argv_tail, values_text)
    else:
        objects = _parse(_helm_template(helm, chart, argv_tail, values_text))
    return Rendered(release=release, objects=objects)


def _parse(text: str) -> list[dict[str, Any]]:
    objects = [doc for doc in yaml_text.load_all(text) if isinstance(doc, dict)]
    return list(_list_items(objects))


# The latest renders parsed in this process, by render key, pickled: every caller gets its own copy (a caller
# may change it), made far faster than parsing the YAML again (the CRD charts render megabytes, for every stack).
_parsed: OrderedDict[str, bytes] = OrderedDict()
_PARSED_KEPT = 32


def _cached_objects(
    cache: Path, helm: str, chart: Path, argv_tail: list[str], values_text: str
) -> list[dict[str, Any]]:
    import hashlib
    import pickle

    values_digest = hashlib.sha256(values_text.encode()).hexdigest()
    parts = [_file_digest(Path(helm)), _file_digest(chart), *argv_tail, values_digest]
    key = hashlib.sha256("\0".join(parts).encode()).hexdigest()
    if key in _parsed:
        _parsed.move_to_end(key)
    else:
        _parsed[key] = pickle.dumps(_parse(_cached_template(cache, key, helm, chart, argv_tail, values_text)))
        if len(_parsed) > _PARSED_KEPT:
            _parsed.popitem(last=False)
    return pickle.loads(_parsed[key])


def _helm_template(helm: str, chart: Path, argv_tail: list[str], values_text: str) -> str:
    with tempfile.TemporaryDirectory(prefix="wire-render-") as tmp:
        values_file = Path(tmp) / "values.yaml"
        values_file.write_text(values_text)
        release, *options = argv_tail
        result = subprocess.run(
            [helm, "template", release, str(chart), *options, "--values", str(values_file)],
            capture_output=True,
            text=True,
            check=False,
        )
    if result.returncode != 0:
        raise RenderError(f"{release} ({chart.name}): {result.stderr.strip()}")
    return result.stdout


def _cached_template(cache: Path, key: str, helm: str, chart: Path, argv_tail: list[str], values_text: str) -> str:
    """helm's output from `cache` when the same helm binary rendered the same chart file with the same values
    and options before (`key`: their digests), else rendered now and kept. Processes sharing the folder (test
    workers) take a lock per key, so each distinct render runs once."""
    import fcntl

    cache.mkdir(parents=True, exist_ok=True)
    output = cache / f"{key}.yaml"
    with (cache / f"{key}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if output.is_file():
            return output.read_text()
        text = _helm_template(helm, chart, argv_tail, values_text)
        partial = output.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(text)
        partial.replace(output)
        return text


@functools.cache
def _digest_of(path: Path, size: int, mtime_ns: int) -> str:
    import hashlib

    with path.open("rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def _file_digest(path: Path) -> str:
    stat = path.resolve().stat()
    return _digest_of(path.resolve(), stat.st_size, stat.st_mtime_ns)


def _list_items(objects: list[dict[str, Any]]) -> Any:
    """Objects with every `kind: List` replaced by its items, as helm and kubectl apply them (the AWS Load
    Balancer Controller chart renders its IngressClass and IngressClassParams as one List)."""
    for obj in objects:
        if obj.get("apiVersion") == "v1" and obj.get("kind") == "List":
            yield from (item for item in obj.get("items") or [] if isinstance(item, dict))
        else:
            yield obj


def _fill_placeholders(tree: Any) -> Any:
    """Secret placeholders as a value valid wherever a chart puts a secret, also raw into a base64 field."""
    if isinstance(tree, dict):
        return {key: _fill_placeholders(item) for key, item in tree.items()}
    if isinstance(tree, list):
        return [_fill_placeholders(item) for item in tree]
    return RENDER_PLACEHOLDER if tree == PLACEHOLDER else tree


def schema_problems(objects: list[dict[str, Any]], kube_version: str) -> list[str]:
    """Objects that Kubernetes' own schemas (strict: no unknown fields) reject, one line each."""
    problems = []
    for obj in objects:
        if str(obj.get("apiVersion", "")).split("/")[0] in CUSTOM_RESOURCE_GROUPS:
            continue
        problems += _object_schema_problems(obj, kube_version)
    return problems


# Problems by digest of (Kubernetes version, object): stacks and their variants render mostly the same objects
# (a Deployment no option touches), and validating one takes thousands of schema steps; a digest, a few.
_validated: dict[bytes, tuple[str, ...]] = {}


def _object_schema_problems(obj: dict[str, Any], kube_version: str) -> tuple[str, ...]:
    import hashlib
    import json

    try:
        key = hashlib.blake2b(json.dumps([kube_version, obj], sort_keys=True, default=repr).encode()).digest()
    except TypeError:  # keys of mixed types cannot be sorted: validated, not kept
        key = b""
    known = _validated.get(key)
    if known is not None:
        return known
    api_version = str(obj.get("apiVersion", ""))
    name = f"{obj.get('kind')}/{(obj.get('metadata') or {}).get('name')}"
    validator = _schema_validator(kube_version, api_version, str(obj.get("kind")))
    if validator is None:
        problems: tuple[str, ...] = (f"{name}: no schema for {api_version} in Kubernetes {kube_version}",)
    else:
        errors = sorted(validator.iter_errors(obj), key=lambda error: list(error.absolute_path))
        problems = tuple(
            f"{name}: {'.'.join(str(step) for step in error.absolute_path)}: {error.message}" for error in errors
        )
    if key:
        _validated[key] = problems
    return problems


@functools.cache
def _schema_validator(kube_version: str, api_version: str, kind: str) -> Any:
    """kubernetes-validate's strict schema of a kind, compiled once (its `validate` re-reads the schema
    and every definition for each object, seconds per stack)."""
    from jsonschema import Draft202012Validator
    from kubernetes_validate import utils
    from referencing import Registry, Resource

    wanted = utils.major_minor(kube_version)
    # The newest schema set not newer than the cluster, as kubernetes_validate.validate picks it.
    known = [version for version in utils.all_versions() if _minor(version) <= _minor(wanted)]
    if not known:
        return None
    schema_dir = f"kubernetes-json-schema/v{known[-1]}-local-strict"
    group_version = re.sub(r"^([^./]*)(?:\.[^/]*)?/", r"\1-", api_version)
    try:
        schema = utils.schema_contents(f"{schema_dir}/{kind.lower()}-{group_version}.json", wanted)
    except FileNotFoundError:
        return None
    definitions = utils.schema_contents(f"{schema_dir}/_definitions.json", wanted)
    registry = Resource.from_contents(definitions) @ (Resource.from_contents(schema) @ Registry())
    return Draft202012Validator(schema, registry=registry)


def crd_schemas(crds: list[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    """(apiVersion, kind) -> openAPIV3Schema of every served version of the CustomResourceDefinitions given."""
    schemas = {}
    for crd in crds:
        if crd.get("kind") != "CustomResourceDefinition":
            continue
        spec = crd["spec"]
        for version in spec.get("versions") or []:
            schema = (version.get("schema") or {}).get("openAPIV3Schema")
            if version.get("served", True) and schema:
                schemas[(f"{spec['group']}/{version['name']}", spec["names"]["kind"])] = schema
    return schemas


def crd_schema_problems(objects: list[dict[str, Any]], crds: list[dict[str, Any]]) -> list[str]:
    """Custom objects (of CUSTOM_RESOURCE_GROUPS) that the openAPIV3Schema of their CRD rejects, one line each.

    Strict as `kubectl apply --validate=strict`: a field the schema does not name is an error (the API server would
    silently prune it). CEL rules (`x-kubernetes-validations`) are not evaluated.
    """
    from jsonschema import Draft7Validator

    schemas = crd_schemas(crds)
    validators: dict[tuple[str, str], Any] = {}  # by (apiVersion, kind): several routes share one
    problems = []
    for obj in objects:
        api_version = str(obj.get("apiVersion", ""))
        if api_version.split("/")[0] not in CUSTOM_RESOURCE_GROUPS:
            continue
        name = f"{obj.get('kind')}/{(obj.get('metadata') or {}).get('name')}"
        served = (api_version, str(obj.get("kind")))
        if served not in schemas:
            problems.append(f"{name}: no CustomResourceDefinition serves {api_version} {obj.get('kind')}")
            continue
        if served not in validators:
            validators[served] = Draft7Validator(_strict(schemas[served]))
        validator = validators[served]
        for error in sorted(validator.iter_errors(obj), key=lambda error: list(error.absolute_path)):
            path = ".".join(str(step) for step in error.absolute_path)
            problems.append(f"{name}: {path}: {error.message}")
    return problems


def _strict(schema: Any) -> Any:
    """The schema with unknown fields refused wherever it lists the fields an object may have."""
    if isinstance(schema, list):
        return [_strict(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    strict = {key: _strict(value) if key != "properties" else value for key, value in schema.items()}
    if "properties" in schema:
        strict["properties"] = {key: _strict(value) for key, value in schema["properties"].items()}
        open_ended = schema.get("x-kubernetes-preserve-unknown-fields") or "additionalProperties" in schema
        if not open_ended:
            strict["additionalProperties"] = False
    return strict


def _minor(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split(".")[:2])


def _addon_chart(cfg: Any, release: str) -> tuple[ChartSource, str] | None:
    """Chart and namespace of an add-on release (wire:addons), which the Wire releases' tables do not list."""
    from components.config.addons import CERT_MANAGER_NAMESPACE, LB_CONTROLLER_NAMESPACE
    from components.k8s.values.addons import AWS_LOAD_BALANCER_CONTROLLER, CERT_MANAGER

    if release == CERT_MANAGER:
        return cfg.charts.cert_manager, CERT_MANAGER_NAMESPACE
    if release == AWS_LOAD_BALANCER_CONTROLLER:
        return cfg.charts.aws_load_balancer_controller, LB_CONTROLLER_NAMESPACE
    return None


def main(argv: list[str] | None = None) -> int:
    import argparse
    import sys

    from components.config import ConfigError
    from components.k8s.values import release_chart, release_namespace
    from plan.runner import evaluate

    parser = argparse.ArgumentParser(
        prog="python -m plan.render",
        description="Render every release of a stack's offline plan with its pinned chart (helm template) and "
        "validate the objects against the Kubernetes schemas of wire:kubernetes.version.",
    )
    parser.add_argument("--stack", required=True, help="stack name: reads Pulumi.<stack>.yaml")
    parser.add_argument("--pull", action="store_true", help=f"helm pull the pinned charts into {cache_dir()} first")
    args = parser.parse_args(argv)

    helm = find_helm()
    if helm is None:
        print(f"error: no helm binary; set {HELM_ENV} or put helm on PATH", file=sys.stderr)
        return 2
    try:
        plan = evaluate(args.stack)
    except (FileNotFoundError, ConfigError) as error:
        print(f"error: stack '{args.stack}': {error}", file=sys.stderr)
        return 2
    cfg = plan.config
    failed = False
    for release, values in plan.values.items():
        source, namespace = _addon_chart(cfg, release) or (release_chart(cfg, release), release_namespace(cfg, release))
        chart = locate_chart(source)
        if chart is None and args.pull:
            chart = pull_chart(source, helm)
        if chart is None and (found := locate_chart_or_stand_in(source)) is not None:
            chart, used = found
            print(f"  {release}: {chart_file(source)} is not here; rendering with {chart.name}, {used and used.why}")
        if chart is None:
            print(f"{release}: chart {chart_file(source)} not found; {ENABLE_HINT}")
            failed = True
            continue
        try:
            rendered = render(helm, chart, release, namespace, values, cfg.kubernetes.version)
        except RenderError as error:
            print(f"✘ {error}")
            failed = True
            continue
        problems = schema_problems(rendered.objects, cfg.kubernetes.version)
        mark = "✘" if problems else "✔"
        print(f"{mark} {release}: {len(rendered.objects)} objects from {chart.name}")
        for problem in problems:
            print(f"    {problem}")
        failed = failed or bool(problems)
    failed = _check_network_policies(cfg, plan.values) or failed
    return 1 if failed else 0


def _check_network_policies(cfg: Any, values: dict[str, Any]) -> bool:
    """The NetworkPolicies the program registers beside the releases, against the same schemas; True when bad."""
    from components.k8s.netpol import network_policies
    from components.k8s.values import WIRE_SERVER

    policies = network_policies(cfg, values.get(WIRE_SERVER) or {})
    if not policies:
        return False
    problems = schema_problems(policies, cfg.kubernetes.version)
    print(f"{'✘' if problems else '✔'} network policies: {len(policies)} objects")
    for problem in problems:
        print(f"    {problem}")
    return bool(problems)


if __name__ == "__main__":
    raise SystemExit(main())

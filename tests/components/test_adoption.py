"""wire:adopt under the mocks: exactly the named resources are imported, under their component, with the
stack's provider; the names and namespaces it is checked against are the program's own."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from components.adoption import aws_names, planned_records, release_namespaces
from components.config.adopt import AWS_ROLES, RECORD_TYPE, RELEASE_TYPE
from plan.registrations import KNOWN_AFTER_APPLY, LIVE_VALUE, Registration, Secret
from plan.runner import Plan, evaluate
from tests.corpus import PROGRAM, good_stacks, project_root

ADOPTING = "adopt-terraform"
# Stacks between them creating every adoptable role, record kind and release.
VARIANTS = ["dns-hostname", "dns-alias", "dns-ips-metallb", "websocket-lb-tls", "push-create", "features-kms-replicas"]
# Inputs the SDKs add themselves (pulumi-kubernetes' `compat` flag), not the program.
SDK_INPUTS = {"compat", "__defaults"}
# The input holding the name each role's resource is given.
NAME_INPUT = {
    "aws:s3/bucket:Bucket": "bucket",
    "aws:sesv2/emailIdentity:EmailIdentity": "emailIdentity",
    "aws:sesv2/configurationSet:ConfigurationSet": "configurationSetName",
}


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    stacks = {name: path for name, path in good_stacks().items() if name in [ADOPTING, *VARIANTS]}
    base = project_root(tmp_path_factory.mktemp("adopt"), stacks)
    for example in ("dev", "prod"):
        (base / f"Pulumi.{example}.yaml").write_text((PROGRAM / f"Pulumi.{example}.yaml").read_text())
    return base


@pytest.fixture(scope="module")
def plans(root: Path) -> dict[str, Plan]:
    """Each stack as its first `pulumi preview` sees it (the preview-faithful mocks): created resources know
    only their inputs, imported ones are read by their import id."""
    return {stack: evaluate(stack, root, preview=True) for stack in [ADOPTING, *VARIANTS, "prod"]}


def parent_type(registration: Registration) -> str:
    assert registration.parent is not None
    return registration.parent.split("::")[-2].split("$")[-1]


def adopted(plan: Plan) -> list[Registration]:
    return [r for r in plan.evaluation.resources if r.import_id]


def test_the_example_stacks_adopt_nothing(plans: dict[str, Plan], root: Path) -> None:
    assert not adopted(plans["prod"]) and not adopted(evaluate("dev", root))


def test_each_entry_is_imported_once_under_its_component_with_the_stacks_provider(plans: dict[str, Plan]) -> None:
    plan = plans[ADOPTING]
    adopt = plan.config.adopt
    wanted = {**adopt.aws, **adopt.releases}
    imported = {r.import_id: r for r in adopted(plan)}
    assert set(imported) == set(wanted.values()) | set(adopt.dns_records)
    for role, import_id in adopt.aws.items():
        registration = imported[import_id]
        assert registration.type == AWS_ROLES[role][0]
        assert registration.provider is not None and "pulumi:providers:aws::aws::" in registration.provider
        assert parent_type(registration).startswith("wire:aws:")
    for release, import_id in adopt.releases.items():
        registration = imported[import_id]
        assert (registration.type, registration.inputs["name"]) == (RELEASE_TYPE, release)
        assert registration.provider is not None and "pulumi:providers:kubernetes::" in registration.provider
        assert parent_type(registration) == "wire:k8s:WireReleases"
    for record_id in adopt.dns_records:
        assert imported[record_id].type == RECORD_TYPE


def test_step_import_ignores_every_input_the_program_sets(plans: dict[str, Plan]) -> None:
    for registration in adopted(plans[ADOPTING]):
        given = {key for key, value in registration.inputs.items() if key not in SDK_INPUTS and value is not None}
        assert given <= set(registration.ignore_changes), registration.name


def args_class(token: str) -> type:
    """The SDK's Args class of a resource type token (`aws:sqs/queue:Queue` -> pulumi_aws.sqs.QueueArgs)."""
    import importlib

    package, module, name = token.split(":")
    if package == "kubernetes":
        path = "pulumi_kubernetes." + module.replace("helm.sh", "helm").replace("/", ".")
    else:
        path = f"pulumi_{package}.{module.split('/')[0]}"
    return getattr(importlib.import_module(path), f"{name}Args")


def test_every_ignore_changes_entry_is_a_property_of_the_resources_args(plans: dict[str, Plan]) -> None:
    """The SDK translates ignore_changes through the Args names and sends any other name as it is, where it
    matches nothing (pulumi/runtime/resource.py `_translate_ignore_changes`): every entry must be one."""
    from pulumi._types import input_type_py_to_pulumi_names

    checked = 0
    for stack in [ADOPTING, *VARIANTS]:
        for registration in adopted(plans[stack]):
            properties = set(input_type_py_to_pulumi_names(args_class(registration.type)).values())
            assert set(registration.ignore_changes) <= properties, (
                registration.name,
                sorted(set(registration.ignore_changes) - properties),
            )
            checked += len(registration.ignore_changes)
    assert checked


def _step_apply(root: Path) -> Plan:
    stack = yaml.safe_load((root / f"Pulumi.{ADOPTING}.yaml").read_text())
    changed = copy.deepcopy(stack)
    changed["config"]["wire:adopt"]["step"] = "apply"
    (root / "Pulumi.adopt-apply.yaml").write_text(yaml.safe_dump(changed))
    return evaluate("adopt-apply", root, preview=True)


def test_step_apply_keeps_the_import_ids_and_ignores_nothing(root: Path) -> None:
    plan = _step_apply(root)
    found = adopted(plan)
    assert len(found) == 12 and not [r for r in found if r.ignore_changes]
    assert any("remove wire:adopt" in warning for warning in plan.warnings)


def test_an_imported_resource_is_read_by_its_import_id_at_preview(plans: dict[str, Plan]) -> None:
    """The engine reads an imported resource in the preview: its outputs are known (a create's are not)."""
    for registration in adopted(plans[ADOPTING]):
        computed = {key: value for key, value in registration.outputs.items() if key not in registration.inputs}
        assert computed and KNOWN_AFTER_APPLY not in computed.values(), registration.name


def test_an_adopted_release_registers_its_values_as_one_secret(plans: dict[str, Plan], root: Path) -> None:
    """No plaintext values in a registered input of an adopted release, in either step; the import checkpoint
    (what the engine stores at step import) holds the live release's values, as docs/migration.md says."""
    releases = [r for r in adopted(plans[ADOPTING]) if r.type == RELEASE_TYPE]
    assert releases
    for release in releases:
        assert isinstance(release.inputs["values"], Secret), release.name
        assert release.stored_inputs()["values"] == LIVE_VALUE
    for release in [r for r in adopted(_step_apply(root)) if r.type == RELEASE_TYPE]:
        assert isinstance(release.stored_inputs()["values"], Secret), release.name
        assert {"chart", "version", "repositoryOpts"} <= set(release.stored_inputs()), release.name


def test_the_plan_json_names_each_adopted_resource_and_its_id(plans: dict[str, Plan]) -> None:
    document = plans[ADOPTING].document()
    imported = {r["import"]: r for r in document["resources"] if "import" in r}
    assert len(imported) == 12
    assert imported["wire/wire-server"]["ignoreChanges"]
    assert not [r for r in plans["prod"].document()["resources"] if "import" in r]


def _named(registration: Registration) -> Any:
    return registration.inputs.get(NAME_INPUT.get(registration.type, "name"))


@pytest.mark.parametrize("stack", [ADOPTING, *VARIANTS, "prod"])
def test_the_names_checked_are_the_names_the_program_gives(plans: dict[str, Plan], stack: str) -> None:
    plan = plans[stack]
    for role, name in aws_names(plan.config).items():
        token = AWS_ROLES[role][0]
        assert [r for r in plan.evaluation.find(token) if _named(r) == name], (role, name)


@pytest.mark.parametrize("stack", [ADOPTING, *VARIANTS, "prod"])
def test_the_records_and_releases_checked_are_the_programs(plans: dict[str, Plan], stack: str) -> None:
    plan = plans[stack]
    found = [r for r in plan.evaluation.find(RECORD_TYPE) if not r.name.startswith("ses-dkim-")]
    # At preview a record typed by a load balancer's address has its type known only after apply.
    records = {
        (str(r.inputs["name"]).lower(), r.inputs["type"]) for r in found if r.inputs["type"] != KNOWN_AFTER_APPLY
    }
    planned = planned_records(plan.config)
    assert records <= planned and {name for name, _ in planned} == {str(r.inputs["name"]).lower() for r in found}
    releases = {r.inputs["name"]: r.inputs["namespace"] for r in plan.evaluation.find(RELEASE_TYPE)}
    assert release_namespaces(plan.config) == releases


def test_the_plan_summary_lists_what_is_adopted_and_how(plans: dict[str, Plan]) -> None:
    from plan.summary import summary

    text = summary(plans[ADOPTING].document(), plans[ADOPTING].values)
    section = text.split("Adopted (imported, not created):\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert len(section) == 12
    assert "  Release wire-server <- wire/wire-server  as it is (step import)" in section
    assert "Adopted" not in summary(plans["prod"].document(), plans["prod"].values)


def test_an_adopted_identitys_dkim_records_are_taken_over_and_no_other_record_is(plans: dict[str, Plan]) -> None:
    def overwrites(plan: Plan) -> dict[str, bool]:
        return {r.name: bool(r.inputs.get("allowOverwrite")) for r in plan.evaluation.find(RECORD_TYPE)}

    adopting = overwrites(plans[ADOPTING])
    dkim = {name for name in adopting if name.startswith("ses-dkim-")}
    assert len(dkim) == 3 and all(adopting[name] for name in dkim)
    assert not [name for name, overwrite in adopting.items() if overwrite and name not in dkim]
    assert not any(overwrites(plans["prod"]).values())

"""Service identities: IRSA roles with exact trust, or users with secret access keys; least privilege."""

from __future__ import annotations

from pydantic import SecretStr

from plan.registrations import Secret
from policy import iam_lint
from tests.components.aws.aws_support import (
    ACCOUNT,
    CMK,
    ISSUER,
    OIDC,
    REGION,
    actions,
    config,
    dev_config,
    doc,
    evaluate,
)

ROLE = "aws:iam/role:Role"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
FULL = {"prekeyTable": True, "userJournal": True, "teamEventsJournal": True}


def wildcard_only(action: str) -> bool:
    from policy_sentry.querying.actions import get_actions_that_support_wildcard_arns_only

    service = action.split(":")[0]
    return action.lower() in {a.lower() for a in get_actions_that_support_wildcard_arns_only(service)}


def test_irsa_roles_trust_exactly_one_service_account_each() -> None:
    evaluation = evaluate(config(kubernetes={"namespace": "wire-prod"}))
    roles = {r.inputs["name"]: r for r in evaluation.find(ROLE)}
    assert set(roles) == {"prod-brig", "prod-gundeck", "prod-cargohold", "prod-galley"}
    for service in ("brig", "gundeck", "cargohold", "galley"):
        trust = doc(roles[f"prod-{service}"], "assumeRolePolicy")
        (only,) = trust["Statement"]
        assert only["Effect"] == "Allow"
        assert only["Principal"] == {"Federated": OIDC}
        assert only["Action"] == "sts:AssumeRoleWithWebIdentity"
        assert only["Condition"] == {
            "StringEquals": {
                f"{ISSUER}:sub": f"system:serviceaccount:wire-prod:{service}",
                f"{ISSUER}:aud": "sts.amazonaws.com",
            }
        }
    assert not evaluation.find("aws:iam/user:User")
    assert not evaluation.find("aws:iam/accessKey:AccessKey")
    assert evaluation.result.role_arns == {
        s: f"arn:aws:iam::{ACCOUNT}:role/prod-{s}" for s in roles and ("brig", "gundeck", "cargohold", "galley")
    }
    assert evaluation.result.access_keys == {}
    assert evaluation.stack_outputs["serviceRoleArns"]["brig"] == f"arn:aws:iam::{ACCOUNT}:role/prod-brig"


def test_inline_policies_are_least_privilege_on_the_created_resources() -> None:
    evaluation = evaluate(config(features=FULL, push={"mode": "create"}))
    arn = {q.inputs["name"]: q.outputs["arn"] for q in evaluation.find("aws:sqs/queue:Queue")}
    policies = {r.inputs["name"]: doc(r) for r in evaluation.find(ROLE_POLICY)}
    for document in policies.values():
        for statement in document["Statement"]:
            assert statement["Action"] != "*" and "*" not in statement["Action"]
            assert not any(a.endswith(":*") for a in statement["Action"])
            if "*" in statement["Resource"]:
                # Only where IAM's database says the action cannot be scoped (gundeck's endpoint actions).
                assert statement["Resource"] == ["*"]
                assert all(wildcard_only(action) for action in statement["Action"]), statement
        assert iam_lint.resource_type_findings(document) == []

    brig = {s["Sid"]: s for s in policies["prod-brig"]["Statement"]}
    assert brig["InternalEvents"]["Resource"] == [arn["prod-brig-events-internal"]]
    assert brig["EmailFeedback"]["Resource"] == [arn["prod-brig-email-events"]]
    assert brig["UserJournal"]["Resource"] == [arn["prod-user-events.fifo"]]
    assert brig["PrekeyLocks"]["Resource"] == [f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/prod-brig-prekeys"]
    assert brig["SendEmail"]["Resource"] == [
        f"arn:aws:ses:{REGION}:{ACCOUNT}:identity/example.com",
        f"arn:aws:ses:{REGION}:{ACCOUNT}:configuration-set/prod-brig",
    ]
    assert brig["SendEmail"]["Condition"] == {"StringEquals": {"ses:FromAddress": "no-reply@example.com"}}

    gundeck = {s["Sid"]: s for s in policies["prod-gundeck"]["Statement"]}
    assert gundeck["PushEvents"]["Resource"] == [arn["prod-gundeck-events"]]
    assert gundeck["ManageEndpoints"]["Resource"] == ["*"]
    assert gundeck["PublishToEndpoints"]["Resource"][0] == f"arn:aws:sns:{REGION}:{ACCOUNT}:endpoint/*/prod-*/*"

    galley = policies["prod-galley"]["Statement"]
    assert galley == [
        {
            "Sid": "TeamEvents",
            "Effect": "Allow",
            "Action": ["sqs:GetQueueUrl", "sqs:SendMessage"],
            "Resource": [arn["prod-team-events.fifo"]],
        }
    ]
    cargohold = {s["Sid"]: s for s in policies["prod-cargohold"]["Statement"]}
    assert cargohold["Assets"]["Resource"] == ["arn:aws:s3:::prod-example-com-wire-assets/*"]
    assert not any(a.startswith("kms:") for d in policies.values() for a in actions(d))


def test_policies_attach_to_their_own_role() -> None:
    evaluation = evaluate(config())
    for policy in evaluation.find(ROLE_POLICY):
        assert policy.inputs["role"] == policy.inputs["name"]
        assert evaluation.by_urn(policy.parent).type == "wire:aws:ServiceIdentity"


def test_galley_without_journal_has_a_role_but_no_policy() -> None:
    evaluation = evaluate(config())
    assert evaluation.find(ROLE, "prod-galley")
    assert not evaluation.find(ROLE_POLICY, "prod-galley")


def test_cmk_grants_go_to_every_service_that_touches_encrypted_data() -> None:
    evaluation = evaluate(
        config(features=FULL, serviceCredentials={"mode": "irsa", "oidcProviderArn": OIDC, "kmsKeyArn": CMK})
    )
    for policy in evaluation.find(ROLE_POLICY):
        kms = [s for s in doc(policy)["Statement"] if s["Sid"] == "UseCustomerManagedKey"]
        assert kms == [
            {
                "Sid": "UseCustomerManagedKey",
                "Effect": "Allow",
                "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
                "Resource": [CMK],
            }
        ]


def test_static_keys_users_with_secret_access_keys() -> None:
    evaluation = evaluate(dev_config(features={"teamEventsJournal": True}))
    users = {u.inputs["name"] for u in evaluation.find("aws:iam/user:User")}
    assert users == {"dev-brig", "dev-gundeck", "dev-cargohold", "dev-galley"}
    assert not evaluation.find(ROLE)
    keys = evaluation.find("aws:iam/accessKey:AccessKey")
    assert len(keys) == 4
    for key in keys:
        assert "secret" in key.additional_secret_outputs
        assert isinstance(key.outputs["secret"], Secret)
    assert {p.inputs["user"] for p in evaluation.find("aws:iam/userPolicy:UserPolicy")} == users

    outputs = evaluation.stack_outputs
    assert "serviceSecretAccessKeys" in evaluation.secret_outputs
    assert "serviceAccessKeyIds" not in evaluation.secret_outputs
    assert set(outputs["serviceAccessKeyIds"]) == {"brig", "gundeck", "cargohold", "galley"}
    record = evaluation.result
    assert set(record.access_keys) == {"brig", "gundeck", "cargohold", "galley"}
    for service, key in record.access_keys.items():
        assert isinstance(key.secret, SecretStr)
        assert key.secret.get_secret_value().startswith("mock-secret-")
        assert key.key_id == outputs["serviceAccessKeyIds"][service]
    assert record.role_arns == {}

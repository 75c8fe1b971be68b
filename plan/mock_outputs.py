"""What the mocks answer: deterministic, realistic outputs per AWS and Kubernetes type, and invokes with camelCase
keys (ARNs, queue URLs, DKIM tokens, a load balancer hostname for a Service read, ...).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from pulumi.runtime import mocks as pulumi_mocks

from plan.registrations import from_rpc, reveal_secrets

ACCOUNT_ID = "123456789012"
DEFAULT_REGION = "eu-central-1"


def _digest(*parts: str, length: int = 8) -> str:
    return hashlib.sha256("/".join(parts).encode()).hexdigest()[:length]


class WireMocks(pulumi_mocks.Mocks):
    """Deterministic outputs per resource type and invoke."""

    def __init__(self, region: str = DEFAULT_REGION, account_id: str = ACCOUNT_ID) -> None:
        self.region = region
        self.account = account_id

    # -- resources ---------------------------------------------------------------------------------

    def new_resource(self, args: pulumi_mocks.MockResourceArgs) -> tuple[str | None, dict]:
        if (
            not args.custom
            and args.resource_id is None
            and not args.typ.startswith(("aws:", "kubernetes:", "pulumi:", "random:"))
        ):
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
    return reveal_secrets(from_rpc(inputs))


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


def _random_password(_m: WireMocks, name: str, inputs: dict, _read: str | None) -> dict:
    # Letters and digits only: valid for every store (the mock marks nothing; the SDK keeps `result` secret).
    length = int(inputs.get("length") or 32)
    result = ("Mock" + _digest(name, "password", length=64) + "X9")[: max(length - 1, 3)] + "1"
    return {"id": "none", "result": result, "bcryptHash": f"$2a$10$mock{_digest(name, 'bcrypt', length=49)}"}


def _security_group(m: WireMocks, name: str, _inputs: dict, _read: str | None) -> dict:
    group_id = f"sg-{_digest(name, 'sg', length=17)}"
    return {"id": group_id, "arn": f"arn:aws:ec2:{m.region}:{m.account}:security-group/{group_id}"}


def _rds_instance(m: WireMocks, name: str, inputs: dict, _read: str | None) -> dict:
    identifier = inputs.get("identifier") or name
    address = f"{identifier}.mock{_digest(identifier, length=8)}.{m.region}.rds.amazonaws.com"
    port = int(inputs.get("port") or 5432)
    return {
        "id": identifier,
        "arn": f"arn:aws:rds:{m.region}:{m.account}:db:{identifier}",
        "address": address,
        "endpoint": f"{address}:{port}",
        "port": port,
    }


def _replication_group(m: WireMocks, name: str, inputs: dict, _read: str | None) -> dict:
    group = inputs.get("replicationGroupId") or name
    return {
        "id": group,
        "arn": f"arn:aws:elasticache:{m.region}:{m.account}:replicationgroup:{group}",
        "primaryEndpointAddress": f"master.{group}.mock{_digest(group, length=6)}.euc1.cache.amazonaws.com",
        "readerEndpointAddress": f"replica.{group}.mock{_digest(group, length=6)}.euc1.cache.amazonaws.com",
    }


def _mq_broker(m: WireMocks, name: str, inputs: dict, _read: str | None) -> dict:
    broker_id = f"b-{_digest(name, length=8)}-mock-4000-8000-{_digest(name, 'mq', length=12)}"
    host = f"{broker_id}.mq.{m.region}.on.aws"
    return {
        "id": broker_id,
        "arn": f"arn:aws:mq:{m.region}:{m.account}:broker:{inputs.get('brokerName') or name}:{broker_id}",
        "instances": [{"consoleUrl": f"https://{host}", "endpoints": [f"amqps://{host}:5671"], "ipAddress": ""}],
    }


def _opensearch_domain(m: WireMocks, name: str, inputs: dict, _read: str | None) -> dict:
    domain = inputs.get("domainName") or name
    return {
        "id": f"arn:aws:es:{m.region}:{m.account}:domain/{domain}",
        "arn": f"arn:aws:es:{m.region}:{m.account}:domain/{domain}",
        "domainId": f"{m.account}/{domain}",
        "endpoint": f"vpc-{domain}-mock{_digest(domain, length=22)}.{m.region}.es.amazonaws.com",
    }


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
    "random:index/randomPassword:RandomPassword": _random_password,
    "aws:ec2/securityGroup:SecurityGroup": _security_group,
    "aws:rds/instance:Instance": _rds_instance,
    "aws:elasticache/replicationGroup:ReplicationGroup": _replication_group,
    "aws:mq/broker:Broker": _mq_broker,
    "aws:opensearch/domain:Domain": _opensearch_domain,
}

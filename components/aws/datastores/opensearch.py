"""Amazon OpenSearch Service (OpenSearch 1.3) for brig's user search and the index jobs, in the VPC.

brig cannot sign requests with SigV4, so it logs in with basic auth against fine-grained access
control's internal user database (the master user); the access policy admits any principal, and the
security group only the cluster. Fine-grained access control needs HTTPS, node-to-node and at-rest encryption.
"""

from __future__ import annotations

import json

import pulumi
import pulumi_aws as aws

from components.aws.common import stateful, tags
from components.aws.datastores.common import COMPONENT, ManagedStore, required
from components.aws.datastores.credentials import store_password
from components.config import StackConfig
from components.config.datastore_rules import store_subnets
from components.config.managed_stores import OPENSEARCH_PORT, OPENSEARCH_VERSION

DEFAULT_USERNAME = "wire"
TLS_POLICY = "Policy-Min-TLS-1-2-2019-07"


def open_access_policy(domain_arn: str) -> str:
    """Any principal may send HTTP requests: basic auth (fine-grained access control) decides who gets in."""
    statement = {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "es:ESHttp*", "Resource": f"{domain_arn}/*"}
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


class OpensearchStore(ManagedStore):
    domain: aws.opensearch.Domain

    def __init__(
        self,
        name: str,
        cfg: StackConfig,
        *,
        account_id: pulumi.Input[str],
        partition: pulumi.Input[str],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        what = "Amazon OpenSearch Service"
        super().__init__("OpensearchStore", name, cfg, opts, store="elasticsearch", ports=[OPENSEARCH_PORT], what=what)
        es = cfg.databases.elasticsearch
        aws_name, subnets = self.aws_name, self.subnets
        sizing = required(es.managed, "elasticsearch").sizing(cfg.is_production, len(subnets))
        username = es.username or DEFAULT_USERNAME
        # OpenSearch wants an upper- and a lower-case letter, a digit and a special character.
        self.password = store_password(self, f"{aws_name}-password", es.password, length=32, specials="-_.")
        zone_aware = sizing.zones > 1
        domain_arn = pulumi.Output.concat("arn:", partition, ":es:", cfg.region, ":", account_id, ":domain/", aws_name)
        self.domain = aws.opensearch.Domain(
            aws_name,
            domain_name=aws_name,
            engine_version=OPENSEARCH_VERSION,
            cluster_config=aws.opensearch.DomainClusterConfigArgs(
                instance_type=sizing.instance_type,
                instance_count=sizing.instance_count,
                zone_awareness_enabled=zone_aware,
                zone_awareness_config=(
                    aws.opensearch.DomainClusterConfigZoneAwarenessConfigArgs(availability_zone_count=sizing.zones)
                    if zone_aware
                    else None
                ),
                dedicated_master_enabled=sizing.dedicated_master_type is not None,
                dedicated_master_type=sizing.dedicated_master_type,
                dedicated_master_count=sizing.dedicated_master_count or None,
            ),
            ebs_options=aws.opensearch.DomainEbsOptionsArgs(
                ebs_enabled=True, volume_size=sizing.volume_gib, volume_type="gp3"
            ),
            # One subnet per zone the domain spans.
            vpc_options=aws.opensearch.DomainVpcOptionsArgs(
                subnet_ids=store_subnets(cfg, "elasticsearch"), security_group_ids=[self.security_group.id]
            ),
            encrypt_at_rest=aws.opensearch.DomainEncryptAtRestArgs(
                enabled=True, kms_key_id=cfg.service_credentials.kms_key_arn
            ),
            node_to_node_encryption=aws.opensearch.DomainNodeToNodeEncryptionArgs(enabled=True),
            domain_endpoint_options=aws.opensearch.DomainDomainEndpointOptionsArgs(
                enforce_https=True, tls_security_policy=TLS_POLICY
            ),
            advanced_security_options=aws.opensearch.DomainAdvancedSecurityOptionsArgs(
                enabled=True,
                internal_user_database_enabled=True,
                master_user_options=aws.opensearch.DomainAdvancedSecurityOptionsMasterUserOptionsArgs(
                    master_user_name=username, master_user_password=self.password
                ),
            ),
            access_policies=domain_arn.apply(open_access_policy),
            tags=tags(COMPONENT),
            opts=stateful(self, cfg),
        )
        # The VPC endpoint is a bare hostname (vpc-….<region>.es.amazonaws.com); brig adds https:// and :443.
        self.host = self.domain.endpoint
        self.port = OPENSEARCH_PORT
        self.username = username
        self.finish(self.domain)

"""brig: AWS queues and tables, email (SES or SMTP), URLs in its emails, zauth and TURN secrets."""

from __future__ import annotations

from typing import Any

from components import naming
from components.config import EmailMode, StackConfig, WireHost
from components.config.federation import federation_domain
from components.k8s.values.common import (
    cassandra_endpoint,
    database_secrets,
    db_endpoint,
    https_url,
    postgresql_endpoint,
    rabbitmq_endpoint,
    service_identity,
    set_if,
    set_proxy_env,
)
from components.outputs import AwsOutputs


def brig_values(cfg: StackConfig, aws: AwsOutputs) -> dict[str, Any]:
    es = cfg.databases.elasticsearch
    aws_config: dict[str, Any] = {
        "region": aws.region,
        "sqsEndpoint": aws.sqs_endpoint,
        "internalQueue": aws.brig_internal_queue,
        # brig's config parser requires prekeyTable even with random prekeys: never empty.
        "prekeyTable": aws.prekey_table or naming.prekey_table(cfg.environment),
    }
    use_table = cfg.features.prekey_table
    if use_table:
        aws_config["dynamoDBEndpoint"] = aws.dynamodb_endpoint or cfg.endpoint("dynamodb")
    use_ses = cfg.email.mode == EmailMode.SES
    if use_ses:
        if not aws.ses_queue:
            raise ValueError("SES mode needs the SES feedback queue in the AWS outputs (brig.config.aws.sesQueue)")
        aws_config["sesQueue"] = aws.ses_queue
        aws_config["sesEndpoint"] = aws.ses_endpoint
    set_if(aws_config, "userJournalQueue", aws.user_journal_queue)

    opt_settings: dict[str, Any] = {
        "setFederationDomain": federation_domain(cfg),
        "setMaxConvSize": cfg.teams.max_conversation_size,
    }
    set_if(opt_settings, "setMaxTeamSize", cfg.teams.max_team_size)

    account = https_url(cfg, WireHost.ACCOUNT)
    teams = https_url(cfg, WireHost.TEAMS)
    webapp = https_url(cfg, WireHost.WEBAPP)
    external_urls: dict[str, Any] = {
        "nginz": https_url(cfg, WireHost.NGINZ_HTTPS),
        "teamCreatorWelcome": f"{teams}/login" if cfg.web_apps.team_settings else f"{webapp}/",
        "teamMemberWelcome": f"{webapp}/",
    }
    if cfg.web_apps.team_settings:
        external_urls["teamSettings"] = teams

    config: dict[str, Any] = {
        "cassandra": cassandra_endpoint(cfg),
        "elasticsearch": db_endpoint(es.host, es.port),
        "rabbitmq": rabbitmq_endpoint(cfg),
        "postgresql": postgresql_endpoint(cfg),
        "aws": aws_config,
        "randomPrekeys": not use_table,
        # Always explicit: the chart defaults to true, which demands an SES queue even in SMTP mode.
        "useSES": use_ses,
        "externalUrls": external_urls,
        "optSettings": opt_settings,
        "emailSMS": {
            "general": {"emailSender": cfg.email.sender},
            # Links in the emails brig sends point at account-pages.
            "user": {
                "passwordResetUrl": f"{account}/reset/?key=${{key}}&code=${{code}}",
                "activationUrl": f"{account}/verify/?key=${{key}}&code=${{code}}",
                "smsActivationUrl": f"{account}/v/${{code}}",
                "deletionUrl": f"{account}/d/?key=${{key}}&code=${{code}}",
                "invitationUrl": f"{account}/i/${{code}}",
            },
        },
    }
    secrets: dict[str, Any] = {}
    zauth: dict[str, Any] = {}
    set_if(zauth, "publicKeys", cfg.secrets.zauth_public_keys)
    set_if(zauth, "privateKeys", cfg.secrets.zauth_private_keys)
    if zauth:
        secrets["zAuth"] = zauth
    if cfg.secrets.turn_secret is not None:
        secrets["turn"] = {"secret": cfg.secrets.turn_secret}
    secrets.update(database_secrets(cfg, postgres=True))

    if cfg.email.mode == EmailMode.SMTP and cfg.email.smtp is not None:
        smtp = cfg.email.smtp
        config["smtp"] = {"host": smtp.host, "port": smtp.port, "connType": smtp.conn_type}
        if smtp.username:
            # The chart renders smtpCredentials (and brig reads the password file) only with a username.
            config["smtp"]["username"] = smtp.username
            set_if(secrets, "smtpPassword", smtp.password)
        else:
            # A relay without a user: the chart still writes smtp-password.txt whenever useSES is false,
            # and fails without a value; brig never reads it.
            secrets["smtpPassword"] = ""
    set_proxy_env(cfg, "brig", config)

    values: dict[str, Any] = {"replicaCount": cfg.replicas.brig, "config": config, "secrets": secrets}
    service_identity(cfg, aws, "brig", values)
    return values

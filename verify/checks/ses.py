"""SES: brig's sending identity (verification, DKIM, sandbox quota) and its feedback topics."""

from __future__ import annotations

from typing import Any

from verify.aws import NOT_FOUND, AwsError, error_code
from verify.checks.failures import denied_or
from verify.expected import SesTarget
from verify.results import Result, fail, ok, warn

# SES accounts in the sandbox may send 200 messages a day, to verified addresses only.
SANDBOX_DAILY_QUOTA = 200


def ses(client: Any, target: SesTarget, *, check: str = "brig ses") -> list[Result]:
    identity = target.identity
    results: list[Result] = []
    try:
        attrs = client.get_identity_verification_attributes(Identities=[identity])["VerificationAttributes"]
        status = attrs.get(identity, {}).get("VerificationStatus")
        if status == "Success":
            results.append(ok(check, identity, "domain identity verified"))
        elif status is None:
            results.append(fail(check, identity, "not an SES identity in this region: create it (pulumi up)"))
        else:
            results.append(
                fail(check, identity, f"domain identity {status}: publish the _amazonses TXT record and wait")
            )
        dkim = client.get_identity_dkim_attributes(Identities=[identity])["DkimAttributes"].get(identity, {})
        if dkim.get("DkimEnabled") and dkim.get("DkimVerificationStatus") == "Success":
            results.append(ok(check, identity, "DKIM verified"))
        else:
            state = dkim.get("DkimVerificationStatus", "NotStarted")
            results.append(fail(check, identity, f"DKIM {state}: publish the <token>._domainkey CNAME records"))
        quota = client.get_send_quota()
        if float(quota.get("Max24HourSend", 0)) <= SANDBOX_DAILY_QUOTA:
            results.append(
                warn(
                    check,
                    "sending quota",
                    f"{quota.get('Max24HourSend'):g} emails/24 h: the account is still in the SES sandbox (mail "
                    "only to verified addresses); request production access in the SES console",
                )
            )
        else:
            results.append(ok(check, "sending quota", f"{quota['Max24HourSend']:g} emails/24 h (production access)"))
        results.append(_notification_topics(client, target, check))
    except AwsError as error:
        results.append(denied_or(error, check, identity, "ses:GetIdentity*", "cannot read the SES identity"))
    return results


def _notification_topics(client: Any, target: SesTarget, check: str) -> Result:
    attrs = client.get_identity_notification_attributes(Identities=[target.identity])["NotificationAttributes"]
    current = attrs.get(target.identity, {})
    wrong = [kind for kind in ("Bounce", "Complaint") if current.get(f"{kind}Topic") != target.topic_arn]
    if wrong:
        # Feedback may also flow through a configuration set's event destination: a warning only.
        return warn(
            check,
            target.identity,
            f"{' and '.join(wrong)} notifications do not go to {target.topic_arn}; brig will not see them",
        )
    return ok(check, target.identity, f"bounces and complaints go to {target.topic_arn}")


def mail_from(client: Any, target: SesTarget, *, check: str = "brig ses") -> Result:
    """SES sends brig's mail with the MAIL FROM domain the program sets (bounces go there, SPF aligns with it)."""
    try:
        attrs = client.get_identity_mail_from_domain_attributes(Identities=[target.identity])
    except AwsError as error:
        return denied_or(error, check, target.identity, "ses:GetIdentityMailFromDomainAttributes", "cannot read it")
    found = attrs["MailFromDomainAttributes"].get(target.identity, {}).get("MailFromDomain")
    if found != target.mail_from:
        return fail(
            check,
            target.identity,
            f"MAIL FROM domain is {found or 'unset'}, the program sets {target.mail_from}: brig's mail fails SPF "
            "alignment (DMARC); pulumi up",
        )
    return ok(check, target.identity, f"MAIL FROM {target.mail_from}")


def dkim_tokens(client: Any, target: SesTarget, *, check: str = "brig ses") -> tuple[list[str], Result | None]:
    """The identity's current Easy DKIM tokens: the CNAMEs must carry exactly these."""
    try:
        attrs = client.get_identity_dkim_attributes(Identities=[target.identity])["DkimAttributes"]
    except AwsError as error:
        return [], denied_or(error, check, target.identity, "ses:GetIdentityDkimAttributes", "cannot read it")
    tokens = [str(token) for token in attrs.get(target.identity, {}).get("DkimTokens", [])]
    if not tokens:
        return [], fail(check, target.identity, "the identity has no DKIM tokens: pulumi up (Easy DKIM)")
    return tokens, None


def configuration_set(sesv2: Any, target: SesTarget, *, check: str = "brig ses") -> Result:
    """The identity's default configuration set: SES stops mailing addresses that bounced or complained."""
    name = target.configuration_set
    try:
        found = sesv2.get_configuration_set(ConfigurationSetName=name)
    except AwsError as error:
        if error_code(error) in NOT_FOUND:
            return fail(
                check,
                name,
                "configuration set missing: brig's mail keeps going to addresses that bounced or complained, which "
                "hurts the account's reputation (SES may pause sending); pulumi up",
            )
        return denied_or(error, check, name, "ses:GetConfigurationSet", "cannot read the configuration set")
    reasons = set(found.get("SuppressionOptions", {}).get("SuppressedReasons", []))
    if not {"BOUNCE", "COMPLAINT"} <= reasons:
        return fail(
            check,
            name,
            f"suppresses {', '.join(sorted(reasons)) or 'nothing'}: brig's mail keeps going to addresses that bounced "
            "or complained; pulumi up sets BOUNCE and COMPLAINT",
        )
    return ok(check, name, "suppresses addresses that bounced or complained")

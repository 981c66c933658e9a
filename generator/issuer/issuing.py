"""`issue`: sign one Open Badges 3.0 credential per new recipient of a badge, and write them
into the content repository's assertions/ (with the issuer's status list, the first time)."""

from __future__ import annotations

import calendar
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

from generator.clock import build_time
from generator.issuer.consent import update_person
from generator.issuer.keys import current_key_id, read_private_key
from generator.issuer.person_conflicts import check_people
from generator.issuer.recipients import Recipient
from generator.issuer.revoking import write_status_list
from generator.issuer.tools import ToolError, iso, issuer_named, load_checked_network
from generator.openbadges.credential import (
    identity_hash,
    recipient_identity,
    status_entry,
    unsigned_credential,
)
from generator.openbadges.dataintegrity import sign
from generator.progress import Progress, unseen
from generator.site.draw.badge_images import image_path
from generator.site.load.repository import ASSERTIONS
from generator.site.model.network import Badge, Duration, Issuer, Network
from generator.site.model.output import json_bytes
from generator.site.model.problems import Problems, suggest
from generator.site.model.urls import Urls
from generator.site.render import documents


@dataclass(frozen=True)
class IssuedAward:
    """A recipient's award of the badge, and the addresses its earner is given."""

    recipient: Recipient
    page: str
    """The award's page, in the site's language: the address an earner shares."""
    credential: str
    """Its signed credential (credential.json), for a wallet."""
    path: Path | None
    """The credential's file, written by this run; None when the recipient already had it."""


def add_duration(start: datetime, duration: Duration) -> datetime:
    """start + years, months, then days (a day past the month's end becomes its last day)."""
    month = start.month - 1 + duration.months + 12 * duration.years
    year, month = start.year + month // 12, month % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return start.replace(year=year, month=month, day=day) + timedelta(days=duration.days)


def issue(
    source: Path,
    issuer_slug: str,
    badge_slug: str,
    key_file: Path,
    recipients: Sequence[Recipient],
    progress: Progress = unseen,
    *,
    same_person: bool = False,
) -> list[IssuedAward]:
    """Sign and write one credential per new recipient; the award of every recipient, the
    new ones with the file written (a recipient who already has the badge, or is repeated,
    gets the award they have).

    Nothing is written while a recipient is refused: a date, or a person it would change by
    accident (another name or address; with same_person, the person is renamed or given the
    new address's award)."""
    network = load_checked_network(source)
    issuer = issuer_named(network, issuer_slug)
    badge = _awardable_badge(network, issuer, badge_slug)
    now = build_time()
    private_key = read_private_key(key_file)
    key = current_key_id(issuer, private_key, now)
    urls = Urls(network.site.base_url, network.site.language)
    problems = Problems()
    for item in recipients:
        _check_dates(item, badge, now, problems)
    check_people(network, recipients, same_person, problems)
    problems.raise_if_errors()
    existing = [doc for (i, _), doc in network.credentials.items() if i == issuer.slug]
    standing = [
        f.document
        for (i, slug), f in network.credentials.items()
        if i == issuer.slug and _still_standing(network, issuer, slug, f.document, now)
    ]
    next_index = 1 + max(
        (entry[1] for f in existing if (entry := status_entry(f.document))), default=-1
    )
    folder = source / ASSERTIONS / issuer.slug
    awards: list[IssuedAward] = []
    seen: dict[str, IssuedAward] = {}
    for item in progress(recipients, "issuing", total=len(recipients)):
        earlier = seen.get(item.email) or _already_issued(item, badge, urls, standing)
        if earlier is not None:
            awards.append(replace(earlier, recipient=item, path=None))
            continue
        award_slug = f"{(item.issued_on or now.date()).strftime('%Y%m%d')}-{secrets.token_hex(4)}"
        document = _credential(network, urls, issuer, badge, item, award_slug, next_index, now)
        signed = sign(document, private_key, f"{urls.did(issuer.slug)}#{key}", iso(now))
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{award_slug}.json"
        path.write_bytes(json_bytes(signed))
        seen[item.email] = _issued(urls, item, (issuer.slug, award_slug), path)
        awards.append(seen[item.email])
        next_index += 1
        if item.person:
            update_person(
                source,
                item.person,
                name=item.name,
                grant=item.consent,
                awards=[(issuer.slug, award_slug)],
            )
    if any(award.path for award in awards) and issuer.slug not in network.status_lists:
        write_status_list(source, urls, issuer, private_key, key, set(), now)
    return awards


def _issued(urls: Urls, item: Recipient, award: tuple[str, str], path: Path | None) -> IssuedAward:
    return IssuedAward(
        recipient=item,
        page=urls.absolute(urls.award_page(*award, urls.default_language)),
        credential=urls.absolute(urls.credential(*award)),
        path=path,
    )


def _awardable_badge(network: Network, issuer: Issuer, slug: str) -> Badge:
    badge = network.badges.get(slug)
    if badge is None:
        raise ToolError(f"unknown badge '{slug}'{suggest(slug, network.badges)}; see badges/")
    if badge.status != "approved":
        raise ToolError(f"badge '{slug}' is {badge.status}; only approved badges can be awarded")
    if badge not in network.awarded_by(issuer):
        raise ToolError(
            f"{issuer.slug} does not award '{slug}'; add it to 'awards' in content/issuers/{issuer.slug}.yaml"
            if badge.is_network_badge
            else f"badge '{slug}' belongs to {badge.scope}; {issuer.slug} cannot award it"
        )
    return badge


def _check_dates(item: Recipient, badge: Badge, now: datetime, problems: Problems) -> None:
    if item.issued_on and item.issued_on > now.date():
        problems.error(item.where, f"issued-on {item.issued_on} is in the future")
    if item.issued_on and badge.approved_on and item.issued_on < badge.approved_on:
        problems.error(
            item.where,
            f"issued-on {item.issued_on} is before the badge was approved ({badge.approved_on})",
        )
    if item.expires and item.expires <= (item.issued_on or now.date()):
        problems.error(item.where, f"expires {item.expires} is not after the award date")


def _still_standing(
    network: Network, issuer: Issuer, slug: str, document: Any, now: datetime
) -> bool:
    """Whether an existing credential still counts: not revoked, not expired, not signed
    with a compromised key (those may be issued again)."""
    if (issuer.slug, slug) in network.revocations:
        return False
    until = document.get("validUntil")
    if isinstance(until, str) and _instant(until) is not None and _instant(until) <= now:  # type: ignore[operator]
        return False
    proof = document.get("proof")
    proof = proof[0] if isinstance(proof, list) and proof else proof
    if isinstance(proof, dict):
        fragment = str(proof.get("verificationMethod", "")).partition("#")[2]
        created = _instant(str(proof.get("created", "")))
        key = next((k for k in issuer.keys if k.id == fragment), None)
        if key and key.compromised_at and created and created >= key.compromised_at:
            return False
    return True


def _instant(text: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else None


def _already_issued(
    item: Recipient, badge: Badge, urls: Urls, documents: list[Any]
) -> IssuedAward | None:
    """The award of this badge the recipient already has, if any."""
    achievement = urls.absolute(urls.achievement(badge.slug))
    for document in documents:
        identity = recipient_identity(document)
        subject = document.get("credentialSubject", {})
        if (
            identity
            and subject.get("achievement", {}).get("id") == achievement
            and identity_hash(item.email, identity[0]) == identity[1]
        ):
            path = urls.path_of(str(document.get("id", "")))
            award = urls.award_of_file(path) if path is not None else None
            if award is not None:
                return _issued(urls, item, award, None)
    return None


def _credential(
    network: Network,
    urls: Urls,
    issuer: Issuer,
    badge: Badge,
    item: Recipient,
    award_slug: str,
    index: int,
    now: datetime,
) -> dict[str, Any]:
    valid_from = datetime.combine(item.issued_on, time(), UTC) if item.issued_on else now
    if item.expires:
        valid_until: datetime | None = datetime.combine(item.expires, time(), UTC)
    else:
        valid_until = add_duration(valid_from, badge.valid_for) if badge.valid_for else None
    salt = secrets.token_hex(16)
    achievement = documents.achievement(network, badge, urls, image_path(badge), with_context=False)
    return unsigned_credential(
        credential_id=urls.absolute(urls.credential(issuer.slug, award_slug)),
        issuer_profile=documents.credential_issuer(issuer, urls),
        achievement=achievement,
        salt=salt,
        identity=identity_hash(item.email, salt),
        valid_from=iso(valid_from),
        valid_until=iso(valid_until) if valid_until else None,
        evidence=item.evidence,
        status_list_id=urls.absolute(urls.status_list(issuer.slug)),
        status_index=index,
    )

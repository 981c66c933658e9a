"""The issuer's tools: create a key, sign credentials, revoke them. They write the content
repository (never the site); the build then verifies and publishes what they wrote."""

from __future__ import annotations

import calendar
import csv
import io
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from generator.issuer import yaml_edit as issuer_yaml
from generator.issuer.consent import PersonError, parse_scopes, person_path, update_person
from generator.issuer.keys import (
    KeyFileError,
    next_key_id,
    read_private_key,
    signing_key,
    write_private_key,
)
from generator.openbadges import statuslist
from generator.openbadges.credential import (
    EMAIL,
    Evidence,
    identity_hash,
    normalise_email,
    recipient_identity,
    revocation_record,
    status_entry,
    status_list_credential,
    unsigned_credential,
)
from generator.openbadges.dataintegrity import sign
from generator.openbadges.multikey import public_key_multibase
from generator.site import documents
from generator.site.badge_images import image_path
from generator.site.build import build_time
from generator.site.check.content import check_content
from generator.site.load.assertions import REVOCATIONS, STATUS_LIST_FILE
from generator.site.load.network import load_network
from generator.site.load.repository import ASSERTIONS, BADGES, CONTENT, THEME
from generator.site.model import Badge, Duration, Issuer, Network
from generator.site.outputs import json_bytes
from generator.site.problems import Location, Problems, one_of, suggest
from generator.site.progress import progress
from generator.site.urls import Urls


class ToolError(Exception):
    """A refusal of an issuer tool; the message says what to do."""


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _load_valid(source: Path) -> Network:
    problems = Problems()
    network = load_network(source, problems)
    check_content(network, problems)
    problems.raise_if_errors()
    return network


def _issuer(network: Network, slug: str) -> Issuer:
    issuer = network.issuers.get(slug)
    if issuer is None or slug == network.site.network:
        choices = [s for s in network.issuers if s != network.site.network]
        raise ToolError(f"unknown issuer '{slug}'{suggest(slug, choices)}; {one_of(choices)}")
    return issuer


# keygen ----------------------------------------------------------------------------------


def keygen(source: Path, issuer_slug: str, key_file: Path) -> str:
    """Create an Ed25519 key: private part to key_file, public part into the issuer's YAML."""
    network = _load_valid(source)
    issuer = _issuer(network, issuer_slug)
    target = key_file.resolve()
    for folder in (CONTENT, BADGES, ASSERTIONS, THEME):
        if target.is_relative_to((source / folder).resolve()):
            raise ToolError(
                f"{key_file}: a private key must never be inside {folder}/ (it would be published "
                "or committed); keep it outside the repository, e.g. ~/.fababrest/"
                f"{issuer_slug}.pem"
            )
    if target.exists():
        raise ToolError(
            f"{key_file} already exists; keygen never overwrites a key, choose another path"
        )
    now = build_time()
    key = Ed25519PrivateKey.generate()
    key_id = next_key_id(issuer.keys)
    previous = signing_key(issuer.keys, now)
    yaml_path = source / issuer.source.path
    # Prepare the YAML edit first: if the file cannot be edited, no key file is left behind.
    edited = issuer_yaml.with_key(
        yaml_path,
        key_id=key_id,
        multibase=public_key_multibase(key),
        valid_from=_iso(now),
        retire=(previous.id, _iso(now)) if previous else None,
    )
    write_private_key(target, key)
    yaml_path.write_text(edited, "utf-8")
    return key_id


# issue -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Recipient:
    """One row to issue: an email and what goes with it."""

    email: str
    evidence: Evidence
    issued_on: date | None
    expires: date | None
    where: Location
    person: str | None = None
    name: str | None = None
    consent: frozenset[str] = frozenset()


def recipients_from_csv(path: Path, problems: Problems) -> list[Recipient]:
    """The rows of a CSV file (header: email, evidence, narrative, issued_on, expires)."""
    allowed = {
        "email",
        "evidence",
        "narrative",
        "issued_on",
        "expires",
        "person",
        "name",
        "consent",
    }
    try:
        text = path.read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise ToolError(f"{path}: cannot read the CSV file ({error}); save it as UTF-8") from None
    # newline="" keeps line breaks inside quoted cells (a narrative may have several lines).
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = reader.fieldnames or []
    if "email" not in header:
        raise ToolError(
            f"{path}:1: the header has no 'email' column; columns: {', '.join(sorted(allowed))}"
        )
    for column in header:
        if column not in allowed:
            problems.error(
                Location(str(path), 1), f"unknown column '{column}'{suggest(column, allowed)}"
            )
    rows = []
    lines = text.splitlines()
    end_of_previous = reader.line_num
    for row in reader:
        # A row starts on the first non-blank line after the previous row (csv skips blanks).
        start = end_of_previous + 1
        while start <= len(lines) and not lines[start - 1].strip():
            start += 1
        end_of_previous = reader.line_num
        where = Location(str(path), start)
        item = recipient(
            row.get("email") or "",
            row.get("evidence") or None,
            row.get("narrative") or None,
            row.get("issued_on") or None,
            row.get("expires") or None,
            where,
            problems,
        )
        rows.append(
            with_person(item, row.get("person"), row.get("name"), row.get("consent"), problems)
        )
    return rows


def recipient(
    email: str,
    evidence: str | None,
    narrative: str | None,
    issued_on: str | None,
    expires: str | None,
    where: Location,
    problems: Problems,
) -> Recipient:
    """A recipient, with each malformed value reported at its row."""
    if not EMAIL.match(normalise_email(email)):
        problems.error(where, f"'{email}' is not an email address; check the recipient")
    address = normalise_email(email)
    if address and any(address in (text or "").lower() for text in (evidence, narrative)):
        problems.error(
            where, "the evidence or narrative contains the recipient's email; remove it (privacy)"
        )
    if evidence and not evidence.startswith(("https://", "http://")):
        problems.error(where, f"evidence '{evidence}' is not a URL; give an https:// address")
    return Recipient(
        email=normalise_email(email),
        evidence=Evidence(evidence, narrative),
        issued_on=_date(issued_on, "issued-on", where, problems),
        expires=_date(expires, "expires", where, problems),
        where=where,
    )


def with_person(
    item: Recipient, person: str | None, name: str | None, consent: str | None, problems: Problems
) -> Recipient:
    """The recipient linked to a person (pseudonymous slug), with the consent they gave."""
    if not person:
        if name or consent:
            problems.error(
                item.where, "a name or consent needs a person slug (--person / 'person')"
            )
        return item
    try:
        person_path(Path("."), person)
        scopes = parse_scopes(consent)
    except PersonError as error:
        problems.error(item.where, str(error))
        return item
    if name and "@" in name:
        problems.error(item.where, "a display name must not be an email address")
    return replace(item, person=person, name=name or None, consent=scopes)


def _date(text: str | None, what: str, where: Location, problems: Problems) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        problems.error(where, f"{what} '{text}' is not a date; write it as YYYY-MM-DD")
        return None


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
) -> tuple[list[Path], list[Recipient]]:
    """Sign and write one credential per new recipient; (written files, skipped duplicates)."""
    network = _load_valid(source)
    issuer = _issuer(network, issuer_slug)
    badge = _awardable_badge(network, issuer, badge_slug)
    now = build_time()
    private_key = read_private_key(key_file)
    key = _check_key(issuer, private_key, now)
    urls = Urls(network.site.base_url, network.site.language)
    problems = Problems()
    for item in recipients:
        _check_dates(item, badge, now, problems)
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
    written, skipped, seen = [], [], set()
    for item in progress(recipients, "issuing", total=len(recipients)):
        if _already_issued(item, badge, urls, standing) or (item.email, badge.slug) in seen:
            skipped.append(item)
            continue
        seen.add((item.email, badge.slug))
        award_slug = f"{(item.issued_on or now.date()).strftime('%Y%m%d')}-{secrets.token_hex(4)}"
        document = _credential(network, urls, issuer, badge, item, award_slug, next_index, now)
        signed = sign(document, private_key, f"{urls.did(issuer.slug)}#{key}", _iso(now))
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{award_slug}.json"
        path.write_bytes(json_bytes(signed))
        written.append(path)
        next_index += 1
        if item.person:
            update_person(
                source,
                item.person,
                name=item.name,
                grant=item.consent,
                awards=[(issuer.slug, award_slug)],
            )
    if written and issuer.slug not in network.status_lists:
        _write_status_list(source, urls, issuer, private_key, key, set(), now)
    return written, skipped


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


def _check_key(issuer: Issuer, private_key: Ed25519PrivateKey, now: datetime) -> str:
    current = signing_key(issuer.keys, now)
    if current is None:
        raise ToolError(
            f"{issuer.slug} has no valid key; create one with 'build.py keygen {issuer.slug}'"
        )
    if current.public_key_multibase != public_key_multibase(private_key):
        raise KeyFileError(
            f"this key file does not match {issuer.slug}'s current published key '{current.id}'; "
            "use the key file written by the last keygen"
        )
    return current.id


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


def _already_issued(item: Recipient, badge: Badge, urls: Urls, documents: list[Any]) -> bool:
    achievement = urls.absolute(urls.achievement(badge.slug))
    for document in documents:
        identity = recipient_identity(document)
        subject = document.get("credentialSubject", {})
        if (
            identity
            and subject.get("achievement", {}).get("id") == achievement
            and identity_hash(item.email, identity[0]) == identity[1]
        ):
            return True
    return False


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
        valid_from=_iso(valid_from),
        valid_until=_iso(valid_until) if valid_until else None,
        evidence=item.evidence,
        status_list_id=urls.absolute(urls.status_list(issuer.slug)),
        status_index=index,
        revocation_list_id=urls.absolute(urls.revocation_list(issuer.slug)),
    )


def _write_status_list(
    source: Path,
    urls: Urls,
    issuer: Issuer,
    private_key: Ed25519PrivateKey,
    key_id: str,
    revoked: set[int],
    now: datetime,
) -> None:
    document = status_list_credential(
        list_id=urls.absolute(urls.status_list(issuer.slug)),
        issuer_did=urls.did(issuer.slug),
        valid_from=_iso(now),
        encoded_list=statuslist.encode_status_list(revoked),
    )
    signed = sign(document, private_key, f"{urls.did(issuer.slug)}#{key_id}", _iso(now))
    path = source / ASSERTIONS / issuer.slug / STATUS_LIST_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(json_bytes(signed))


# revoke ----------------------------------------------------------------------------------


def revoke(source: Path, credential: str, reason: str, key_file: Path) -> Path:
    """Record a signed revocation and set the credential's bit in the signed status list."""
    if not reason.strip():
        raise ToolError("give a --reason: it is shown to anyone who checks the badge")
    network = _load_valid(source)
    urls = Urls(network.site.base_url, network.site.language)
    signed_file = _find_credential(network, urls, source, credential)
    issuer = _issuer(network, signed_file.issuer)
    if (issuer.slug, signed_file.slug) in network.revocations:
        raise ToolError(f"{signed_file.source.path} is already revoked")
    now = build_time()
    private_key = read_private_key(key_file)
    key_id = _check_key(issuer, private_key, now)
    entry = status_entry(signed_file.document)
    if entry is None:
        raise ToolError(f"{signed_file.source.path} has no status list entry; it cannot be revoked")
    record = revocation_record(
        credential_id=signed_file.document["id"],
        issuer_did=urls.did(issuer.slug),
        revoked_on=_iso(now),
        reason=reason.strip(),
    )
    path = source / ASSERTIONS / issuer.slug / REVOCATIONS / f"{signed_file.slug}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(
        json_bytes(sign(record, private_key, f"{urls.did(issuer.slug)}#{key_id}", _iso(now)))
    )
    revoked = {
        index
        for (i, slug), f in network.credentials.items()
        if i == issuer.slug
        and (i, slug) in network.revocations
        and (index := _index(f.document)) is not None
    }
    _write_status_list(source, urls, issuer, private_key, key_id, revoked | {entry[1]}, now)
    return path


def _index(document: Any) -> int | None:
    entry = status_entry(document)
    return entry[1] if entry else None


def _find_credential(network: Network, urls: Urls, source: Path, credential: str) -> Any:
    for signed in network.credentials.values():
        if signed.document.get("id") == credential:
            return signed
    path = Path(credential)
    candidates = [path, source / path] if not path.is_absolute() else [path]
    for candidate in candidates:
        if candidate.is_file():
            resolved = candidate.resolve()
            for signed in network.credentials.values():
                if (source / signed.source.path).resolve() == resolved:
                    return signed
    raise ToolError(
        f"no credential '{credential}' in assertions/; give its file path or its id URL"
    )

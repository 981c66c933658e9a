"""`endorse` and `revoke-endorsement`: an endorser signs an Open Badges 3.0
EndorsementCredential of a badge, a structure or the network, written into
assertions/<endorser>/endorsements/ (with its status list, the first time), as `issue` signs
awards; and revokes one, with a signed record of its reason and its bit set in that list.

An endorser is the network or a structure (with its issuer DID and keys), or an outside
organisation of content/endorsers/ (with the DID the site hosts for it, or its own domain's).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from generator.clock import build_time
from generator.issuer.keys import current_key_id, read_private_key
from generator.issuer.tools import KeyHolder, ToolError, iso, load_checked_network
from generator.openbadges import statuslist
from generator.openbadges.credential import revocation_record, status_entry, status_list_credential
from generator.openbadges.dataintegrity import sign
from generator.openbadges.endorsement import endorser_profile, unsigned_endorsement
from generator.site.load.assertions import ENDORSEMENTS, REVOCATIONS, STATUS_LIST_FILE
from generator.site.load.repository import ASSERTIONS
from generator.site.model.network import Endorser, Network
from generator.site.model.output import json_bytes
from generator.site.model.problems import one_of, suggest
from generator.site.model.signed import SignedFile
from generator.site.model.urls import Urls
from generator.site.render import documents


@dataclass(frozen=True)
class Signing:
    """An endorser ready to sign: who it is in its endorsements, its DID and current key."""

    holder: KeyHolder
    profile: dict[str, Any]
    did: str
    private_key: Ed25519PrivateKey
    key_id: str

    def sign(self, document: dict[str, Any], now: datetime) -> bytes:
        """The document signed with the endorser's current key, as the file holds it."""
        return json_bytes(sign(document, self.private_key, f"{self.did}#{self.key_id}", iso(now)))


@dataclass(frozen=True)
class EndorsementMade:
    """An endorsement written by `endorse`: its file and the URL it is published at."""

    path: Path
    url: str


def endorse(
    source: Path,
    endorser_slug: str,
    key_file: Path,
    *,
    badge: str | None,
    issuer: str | None,
    comment: str,
    issued_on: str | None = None,
    expires: str | None = None,
) -> EndorsementMade:
    """Sign and write an endorsement of a badge or of a structure (the network's slug for the
    network); nothing is written when anything is refused."""
    if (badge is None) == (issuer is None):
        raise ToolError("endorse one thing: give --badge SLUG, or --issuer SLUG (or --network)")
    if not comment.strip():
        raise ToolError("give a --comment: it is what the endorsement says, shown on the page")
    network = load_checked_network(source)
    urls = Urls(network.site.base_url, network.site.language)
    now = build_time()
    subject_id, subject_name = _endorsed(network, urls, badge, issuer, endorser_slug)
    day, until = _day(issued_on, "--issued-on"), _day(expires, "--expires")
    valid_from = datetime.combine(day, time(), UTC) if day else now
    if valid_from > now:
        raise ToolError(f"--issued-on {issued_on} is in the future")
    if until is not None and until <= valid_from.date():
        raise ToolError(f"--expires {expires} is not after the endorsement's date")
    signing = _signing(network, urls, endorser_slug, key_file, now)
    existing = network.endorsements.credentials
    index = 1 + max(
        (
            entry[1]
            for (slug, _), file in existing.items()
            if slug == endorser_slug and (entry := status_entry(file.document))
        ),
        default=-1,
    )
    taken = {slug for _, slug in existing}
    while (endorsement_id := f"{valid_from:%Y%m%d}-{secrets.token_hex(4)}") in taken:
        continue
    document = unsigned_endorsement(
        credential_id=urls.absolute(urls.endorsement(endorsement_id)),
        issuer_profile=signing.profile,
        name=f"{signing.profile['name']} recommande « {subject_name} »",
        subject_id=subject_id,
        comment=comment.strip(),
        valid_from=iso(valid_from),
        valid_until=iso(datetime.combine(until, time(), UTC)) if until else None,
        status_list_id=urls.absolute(urls.endorsement_status_list(endorser_slug)),
        status_index=index,
    )
    folder = source / ASSERTIONS / endorser_slug / ENDORSEMENTS
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{endorsement_id}.json"
    path.write_bytes(signing.sign(document, now))
    if endorser_slug not in network.endorsements.status_lists:
        _write_status_list(source, urls, signing, set(), now)
    return EndorsementMade(path, urls.absolute(urls.endorsement(endorsement_id)))


def revoke_endorsement(source: Path, endorsement: str, reason: str, key_file: Path) -> Path:
    """Record a signed revocation of an endorsement (a file path or its URL) and set its bit
    in its endorser's signed status list."""
    if not reason.strip():
        raise ToolError("give a --reason: it is shown on the pages that list the endorsement")
    network = load_checked_network(source)
    urls = Urls(network.site.base_url, network.site.language)
    file = _find(network, source, endorsement)
    endorser = file.issuer
    if (endorser, file.slug) in network.endorsements.revocations:
        raise ToolError(f"{file.source.path} is already revoked")
    entry = status_entry(file.document)
    if entry is None:
        raise ToolError(f"{file.source.path} has no status list entry; it cannot be revoked")
    now = build_time()
    signing = _signing(network, urls, endorser, key_file, now)
    record = revocation_record(
        credential_id=str(file.document["id"]),
        issuer_did=signing.did,
        revoked_on=iso(now),
        reason=reason.strip(),
    )
    folder = source / ASSERTIONS / endorser / ENDORSEMENTS / REVOCATIONS
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{file.slug}.json"
    path.write_bytes(signing.sign(record, now))
    revoked = {
        found[1]
        for key, signed in network.endorsements.credentials.items()
        if key[0] == endorser
        and key in network.endorsements.revocations
        and (found := status_entry(signed.document))
    }
    _write_status_list(source, urls, signing, revoked | {entry[1]}, now)
    return path


def _day(text: str | None, option: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        raise ToolError(f"{option} '{text}' is not a date; write it as YYYY-MM-DD") from None


def _signing(network: Network, urls: Urls, slug: str, key_file: Path, now: datetime) -> Signing:
    """The endorser of this slug, with the key file of its current key."""
    issuer = network.issuers.get(slug)
    endorser = network.endorsers.get(slug)
    holder: KeyHolder
    if issuer is not None:
        holder, did = issuer, urls.did(slug)
        profile = documents.credential_issuer(issuer, urls)
    elif endorser is not None:
        holder, did = endorser, endorser.did or urls.endorser_did(slug)
        profile = _outside_profile(network, urls, endorser, did)
    else:
        choices = [*network.issuers, *network.endorsers]
        raise ToolError(
            f"unknown endorser '{slug}'{suggest(slug, choices)}; {one_of(choices)}, or add "
            f"content/endorsers/{slug}.yaml"
        )
    private_key = read_private_key(key_file)
    return Signing(holder, profile, did, private_key, current_key_id(holder, private_key, now))


def _outside_profile(network: Network, urls: Urls, endorser: Endorser, did: str) -> dict[str, Any]:
    logo = endorser.logo
    return endorser_profile(
        profile_id=did,
        name=endorser.name,
        url=endorser.url,
        description=endorser.description.get(network.site.language) or None,
        image_id=urls.absolute(urls.endorser_logo(endorser.slug, logo.extension)) if logo else None,
    )


def _endorsed(
    network: Network, urls: Urls, badge: str | None, issuer: str | None, endorser: str
) -> tuple[str, str]:
    """The id and the name of what is endorsed."""
    language = network.site.language
    if badge is not None:
        found = network.badges.get(badge)
        if found is None:
            raise ToolError(f"unknown badge '{badge}'{suggest(badge, network.badges)}; see badges/")
        if found.status == "proposed":
            raise ToolError(f"badge '{badge}' is only proposed; endorse it once it is approved")
        return urls.absolute(urls.achievement(badge)), found.name.get(language)
    assert issuer is not None
    structure = network.issuers.get(issuer)
    if structure is None:
        raise ToolError(
            f"unknown structure '{issuer}'{suggest(issuer, network.issuers)}; "
            f"{one_of(network.issuers)}"
        )
    if issuer == endorser:
        raise ToolError(f"{endorser} cannot endorse itself; an endorsement vouches for another")
    return urls.absolute(urls.issuer_profile_ob3(issuer)), structure.name


def _write_status_list(
    source: Path, urls: Urls, signing: Signing, revoked: set[int], now: datetime
) -> None:
    slug = signing.holder.slug
    document = status_list_credential(
        list_id=urls.absolute(urls.endorsement_status_list(slug)),
        issuer_did=signing.did,
        valid_from=iso(now),
        encoded_list=statuslist.encode_status_list(revoked),
    )
    path = source / ASSERTIONS / slug / ENDORSEMENTS / STATUS_LIST_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(signing.sign(document, now))


def _find(network: Network, source: Path, endorsement: str) -> SignedFile:
    for file in network.endorsements.credentials.values():
        if file.document.get("id") == endorsement:
            return file
    path = Path(endorsement)
    for candidate in [path] if path.is_absolute() else [path, source / path]:
        if candidate.is_file():
            for file in network.endorsements.credentials.values():
                if (source / file.source.path).resolve() == candidate.resolve():
                    return file
    raise ToolError(
        f"no endorsement '{endorsement}' in assertions/*/endorsements/; give its file path or "
        "its URL"
    )

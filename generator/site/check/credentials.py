"""Verify the signed files of assertions/: only what checks out becomes an Award.

For every credential: its folder is its issuer, its id is the URL the build publishes it
at, the proof verifies with one of the issuer's published keys that was valid when it
signed, every JSON-LD term is defined, the badge exists and could be awarded by this
issuer at that date, dates are coherent, status indexes are unique. Status lists and
revocation records are verified the same way. Any failure is an error: nothing is published.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from generator.openbadges import statuslist
from generator.openbadges.credential import CREDENTIAL_CONTEXT, recipient_identity, status_entry
from generator.openbadges.dataintegrity import ProofError, proof_of, verify
from generator.openbadges.multikey import decode_public_key
from generator.site import parallel
from generator.site.check.verification_cache import VerificationCache, entry_key
from generator.site.model import Award, Badge, Issuer, Network, PublicKey, Revocation, SignedFile
from generator.site.problems import Problems
from generator.site.urls import Urls


class Refused(Exception):
    """A signed file that must not be published; the message says why."""


@dataclass(frozen=True)
class Signature:
    """Who signed a document, with which key, when."""

    key: PublicKey
    created: datetime


def check_signature(
    document: Mapping[str, Any],
    issuer: Issuer,
    urls: Urls,
    cache: VerificationCache | None = None,
    data: bytes | None = None,
) -> Signature:
    """Verify a document's proof against the issuer's keys valid at the proof's date.

    With a cache and the file's bytes, a proof already verified for these bytes and this
    key is not canonicalised again; every other check still runs.
    """
    proof, key = _signing_key(document, issuer, urls)
    created = parse_instant(str(proof["created"]), "proof created")
    if key.compromised_at is not None and created >= key.compromised_at:
        raise Refused(
            f"signed on {proof['created']} with key '{key.id}', compromised since "
            f"{key.compromised_at.isoformat()}; delete this file and issue the badge again with the new key"
        )
    if not key.valid_at(created):
        raise Refused(
            f"signed on {proof['created']} with key '{key.id}', which was not valid then "
            f"(valid from {key.valid_from.isoformat()}"
            + (f" until {key.valid_until.isoformat()}" if key.valid_until else "")
            + ")"
        )
    cached = entry_key(data, key.public_key_multibase) if cache is not None and data else None
    if cache is None or cached is None or cached not in cache:
        try:
            verify(document, decode_public_key(key.public_key_multibase))
        except (ProofError, ValueError) as error:
            raise Refused(str(error)) from None
        if cache is not None and cached is not None:
            cache.add(cached)
    return Signature(key, created)


def _signing_key(
    document: Mapping[str, Any], issuer: Issuer, urls: Urls
) -> tuple[dict[str, Any], PublicKey]:
    """The document's proof and the issuer's published key it names, or Refused."""
    try:
        proof = proof_of(document)
    except ProofError as error:
        raise Refused(str(error)) from None
    method = str(proof["verificationMethod"])
    did, _, fragment = method.partition("#")
    if did != urls.did(issuer.slug):
        raise Refused(
            f"signed with '{method}', which is not a key of {issuer.slug} ({urls.did(issuer.slug)}); "
            "sign with the structure's own key"
        )
    key = next((key for key in issuer.keys if key.id == fragment), None)
    if key is None:
        raise Refused(f"key '{fragment}' is not published in content/issuers/{issuer.slug}.yaml")
    return proof, key


def parse_instant(text: str, what: str) -> datetime:
    """An ISO 8601 date-time with a time zone, or Refused."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise Refused(f"{what} '{text}' is not an ISO 8601 date and time") from None
    if moment.tzinfo is None:
        raise Refused(f"{what} '{text}' has no time zone; verifiers reject it")
    return moment


def verify_credentials(
    network: Network,
    urls: Urls,
    now: datetime,
    problems: Problems,
    cache: VerificationCache | None = None,
) -> dict[tuple[str, str], Award]:
    """Every credential that verifies, as an Award; a problem for every one that does not."""
    awards: dict[tuple[str, str], Award] = {}
    indexes: dict[tuple[str, int], str] = {}
    if cache is not None:
        _verify_proofs_ahead(network, urls, cache)
    revoked = _verify_status(network, urls, problems, cache)
    for key, signed in sorted(network.credentials.items()):
        award = _accepted(network, urls, now, signed, cache, problems, indexes, revoked)
        if award is not None:
            awards[key] = award
    _check_revocations_match(network, awards, revoked, problems)
    return awards


def verify_changed_credentials(
    network: Network,
    awards: Mapping[tuple[str, str], Award],
    changed: set[tuple[str, str]],
    urls: Urls,
    now: datetime,
    problems: Problems,
    cache: VerificationCache,
) -> dict[tuple[str, str], Award]:
    """The awards of a checked network after some credentials were added or changed (serve).

    Only the changed credentials are verified, against the same rules as a full build: the
    others, their status indexes and the verified status lists stand as they were checked.
    """
    result = {key: award for key, award in awards.items() if key not in changed}
    indexes = {(issuer, award.status_index): slug for (issuer, slug), award in result.items()}
    revoked = _verify_status(network, urls, problems, cache)
    for key in sorted(changed):
        signed = network.credentials[key]
        award = _accepted(network, urls, now, signed, cache, problems, indexes, revoked)
        if award is None:
            continue
        result[key] = award
        status = network.status_lists.get(key[0])
        if status is None:
            problems.error(
                signed.source,
                f"assertions/{key[0]}/status-list.json is missing; 'build.py issue' creates it",
            )
        else:
            _check_status_bit(status, award, key in revoked, problems)
    return result


def _accepted(
    network: Network,
    urls: Urls,
    now: datetime,
    signed: SignedFile,
    cache: VerificationCache | None,
    problems: Problems,
    indexes: dict[tuple[str, int], str],
    revoked: Mapping[tuple[str, str], Revocation],
) -> Award | None:
    """The award of a credential that verifies and takes a free status index, else None."""
    try:
        award = _verify_credential(network, urls, now, signed, cache)
    except Refused as refusal:
        problems.error(signed.source, f"{refusal}; this credential is not published")
        return None
    taken = indexes.setdefault((signed.issuer, award.status_index), signed.slug)
    if taken != signed.slug:
        problems.error(
            signed.source,
            f"status list index {award.status_index} is already used by {taken}.json; "
            "every credential of a structure needs its own index (re-issue it)",
        )
        return None
    _warn_if_image_moved(award, urls, problems)
    return _with_revocation(award, revoked.get((signed.issuer, signed.slug)))


def _verify_proofs_ahead(network: Network, urls: Urls, cache: VerificationCache) -> None:
    """Verify, across the cores, the proofs that the cache does not know yet.

    Only proofs that verify are recorded; the checks that follow find them in the cache and
    still run every other rule. A proof that fails is verified again there, one by one, to
    say why (failures are rare, and that keeps one place for the messages).
    """
    pending: list[tuple[str, bytes, str]] = []
    signed_files = [
        *network.credentials.values(),
        *network.status_lists.values(),
        *network.revocations.values(),
    ]
    for signed in signed_files:
        issuer = network.issuers.get(signed.issuer)
        if issuer is None:
            continue
        try:
            _, key = _signing_key(signed.document, issuer, urls)
        except Refused:
            continue
        entry = entry_key(signed.data, key.public_key_multibase)
        if entry not in cache:
            pending.append((entry, signed.data, key.public_key_multibase))
    if not parallel.pays_off(len(pending)):
        return  # cheaper in this process, during the checks themselves
    for verified in parallel.map_ordered(_verified_entries, pending, chunk_size=50):
        for entry in verified:
            cache.add(entry)


def _verified_entries(pending: Sequence[tuple[str, bytes, str]]) -> list[str]:
    """The cache entries of the proofs that verify (runs in a worker process)."""
    verified = []
    for entry, data, public_key_multibase in pending:
        try:
            verify(json.loads(data), decode_public_key(public_key_multibase))
        except (ProofError, ValueError):
            continue
        verified.append(entry)
    return verified


def _warn_if_image_moved(award: Award, urls: Urls, problems: Problems) -> None:
    """A signed credential names its badge image's URL: changing the image's format unpublishes it."""
    badge = award.badge
    current = urls.absolute(
        urls.badge_image(badge.slug, badge.image.extension if badge.image else "png")
    )
    achievement = award.credential.document.get("credentialSubject", {}).get("achievement", {})
    image = achievement.get("image", {}) if isinstance(achievement, dict) else {}
    signed = image.get("id") if isinstance(image, dict) else None
    if signed and signed != current:
        problems.warning(
            badge.source,
            f"credentials name the image {signed}, which this build no longer publishes; "
            f"keep the badge's image format (now {current.rsplit('.', 1)[-1]})",
        )


def _verify_credential(
    network: Network, urls: Urls, now: datetime, signed: SignedFile, cache: VerificationCache | None
) -> Award:
    document = signed.document
    issuer = network.issuers.get(signed.issuer)
    if issuer is None:
        raise Refused(f"folder assertions/{signed.issuer}/ is not a structure of the network")
    if document.get("@context") != CREDENTIAL_CONTEXT:
        raise Refused(f"@context must be exactly {CREDENTIAL_CONTEXT}")
    if document.get("type") != ["VerifiableCredential", "OpenBadgeCredential"]:
        raise Refused("type must be ['VerifiableCredential', 'OpenBadgeCredential']")
    expected_id = urls.absolute(urls.credential(issuer.slug, signed.slug))
    if document.get("id") != expected_id:
        raise Refused(f"id is '{document.get('id')}' but this file is published at {expected_id}")
    issuer_id = (
        document.get("issuer", {}).get("id") if isinstance(document.get("issuer"), dict) else None
    )
    if issuer_id != urls.did(issuer.slug):
        raise Refused(
            f"issued by '{issuer_id}' but stored in the folder of {issuer.slug} ({urls.did(issuer.slug)})"
        )
    signature = check_signature(document, issuer, urls, cache, signed.data)
    badge = _badge_of(network, urls, issuer, document)
    valid_from = parse_instant(str(document.get("validFrom")), "validFrom")
    valid_until = (
        parse_instant(str(document["validUntil"]), "validUntil")
        if "validUntil" in document
        else None
    )
    if valid_until is not None and valid_until <= valid_from:
        raise Refused("validUntil is not after validFrom")
    if valid_from > now:
        raise Refused(f"validFrom {document['validFrom']} is in the future")
    _check_awardable(badge, valid_from)
    if recipient_identity(document) is None:
        raise Refused("credentialSubject has no hashed email identifier")
    entry = status_entry(document)
    if entry is None or entry[0] != urls.absolute(urls.status_list(issuer.slug)):
        raise Refused(
            f"credentialStatus must point to {urls.absolute(urls.status_list(issuer.slug))}"
        )
    return Award(
        issuer=issuer,
        badge=badge,
        slug=signed.slug,
        credential=signed,
        valid_from=valid_from,
        valid_until=valid_until,
        signed_at=signature.created,
        key_id=signature.key.id,
        status_index=entry[1],
        revocation=None,
    )


def _badge_of(network: Network, urls: Urls, issuer: Issuer, document: Mapping[str, Any]) -> Badge:
    subject = document.get("credentialSubject")
    achievement = subject.get("achievement") if isinstance(subject, dict) else None
    achievement_id = achievement.get("id") if isinstance(achievement, dict) else None
    badge = next(
        (
            b
            for slug, b in network.badges.items()
            if urls.absolute(urls.achievement(slug)) == achievement_id
        ),
        None,
    )
    if badge is None:
        raise Refused(f"achievement '{achievement_id}' is not a badge of this network")
    if badge not in network.awarded_by(issuer):
        raise Refused(
            f"{issuer.slug} does not award '{badge.slug}' (not in the 'awards' of "
            f"content/issuers/{issuer.slug}.yaml, and not its own badge)"
        )
    return badge


def _check_awardable(badge: Badge, valid_from: datetime) -> None:
    """Approved now, or approved at the award date and retired since."""
    day = valid_from.date()
    if badge.status == "proposed":
        raise Refused(f"badge '{badge.slug}' is only proposed; it cannot be awarded until approved")
    if badge.approved_on and day < badge.approved_on:
        raise Refused(
            f"awarded on {day}, before badge '{badge.slug}' was approved ({badge.approved_on})"
        )
    if badge.status == "retired" and badge.retired_on and day > badge.retired_on:
        raise Refused(
            f"awarded on {day}, after badge '{badge.slug}' was retired ({badge.retired_on})"
        )


def _verify_status(
    network: Network, urls: Urls, problems: Problems, cache: VerificationCache | None
) -> dict[tuple[str, str], Revocation]:
    """Verify status lists and revocation records; the revocations that check out."""
    for _, signed in sorted(network.status_lists.items()):
        try:
            _verify_status_list(network, urls, signed, cache)
        except Refused as refusal:
            problems.error(signed.source, f"{refusal}; the status list is not published")
    revoked: dict[tuple[str, str], Revocation] = {}
    for (issuer_slug, slug), signed in sorted(network.revocations.items()):
        try:
            revoked[(issuer_slug, slug)] = _verify_revocation(network, urls, signed, cache)
        except Refused as refusal:
            problems.error(signed.source, f"{refusal}; this revocation record is not valid")
    return revoked


def _verify_status_list(
    network: Network, urls: Urls, signed: SignedFile, cache: VerificationCache | None
) -> None:
    issuer = network.issuers.get(signed.issuer)
    if issuer is None:
        raise Refused(f"folder assertions/{signed.issuer}/ is not a structure of the network")
    expected = urls.absolute(urls.status_list(issuer.slug))
    if signed.document.get("id") != expected:
        raise Refused(f"id must be {expected}")
    if signed.document.get("issuer") != urls.did(issuer.slug):
        raise Refused(f"issuer must be {urls.did(issuer.slug)}")
    check_signature(signed.document, issuer, urls, cache, signed.data)
    try:
        statuslist.decode_status_list(str(signed.document["credentialSubject"]["encodedList"]))
    except (KeyError, TypeError, ValueError) as error:
        raise Refused(f"encodedList is unusable: {error}") from None


def _verify_revocation(
    network: Network, urls: Urls, signed: SignedFile, cache: VerificationCache | None
) -> Revocation:
    issuer = network.issuers.get(signed.issuer)
    if issuer is None:
        raise Refused(f"folder assertions/{signed.issuer}/ is not a structure of the network")
    if signed.document.get("issuer") != urls.did(issuer.slug):
        raise Refused(f"issuer must be {urls.did(issuer.slug)}")
    expected = urls.absolute(urls.credential(issuer.slug, signed.slug))
    subject = signed.document.get("credentialSubject")
    if not isinstance(subject, dict) or subject.get("id") != expected:
        raise Refused(f"credentialSubject.id must be the revoked credential, {expected}")
    signature = check_signature(signed.document, issuer, urls, cache, signed.data)
    return Revocation(
        reason=str(signed.document.get("description", "")),
        revoked_at=parse_instant(str(signed.document.get("validFrom")), "validFrom"),
        signed_at=signature.created,
    )


def _with_revocation(award: Award, revocation: Revocation | None) -> Award:
    if revocation is None:
        return award
    return Award(**{**award.__dict__, "revocation": revocation})


def _check_revocations_match(
    network: Network,
    awards: Mapping[tuple[str, str], Award],
    revoked: Mapping[tuple[str, str], Revocation],
    problems: Problems,
) -> None:
    """The status list bits and the revocation records must tell the same story."""
    for (issuer_slug, slug), signed in sorted(network.revocations.items()):
        if (issuer_slug, slug) not in network.credentials:
            problems.error(
                signed.source, f"revokes {slug}.json, which does not exist; remove the record"
            )
    by_issuer: dict[str, list[tuple[str, Award]]] = {}
    for (issuer_slug, slug), award in sorted(awards.items()):
        by_issuer.setdefault(issuer_slug, []).append((slug, award))
    for issuer_slug, issued in by_issuer.items():
        status = network.status_lists.get(issuer_slug)
        if status is None:
            problems.error(
                issued[0][1].credential.source,
                f"assertions/{issuer_slug}/status-list.json is missing; 'build.py issue' creates it",
            )
            continue
        for slug, award in issued:
            _check_status_bit(status, award, (issuer_slug, slug) in revoked, problems)


def _check_status_bit(
    status: SignedFile, award: Award, has_record: bool, problems: Problems
) -> None:
    """The award's bit in its issuer's status list must say what its revocation record says."""
    try:
        encoded = str(status.document["credentialSubject"]["encodedList"])
    except (KeyError, TypeError):
        return  # reported with the status list itself
    try:
        bit = statuslist.is_set(encoded, award.status_index)
    except ValueError as error:
        problems.error(award.credential.source, f"status list index unusable: {error}")
        return
    if bit and not has_record:
        problems.error(
            award.credential.source,
            "revoked in the status list but has no revocation record; revoke it with 'build.py revoke'",
        )
    elif not bit and has_record:
        problems.error(
            award.credential.source,
            "has a revocation record but is not revoked in the status list; revoke it again with 'build.py revoke'",
        )

"""Status lists and revocation records: verified like credentials, and telling the same story
(a revoked bit has its record, a record its bit)."""

from __future__ import annotations

from collections.abc import Mapping, Set

from generator.openbadges import statuslist
from generator.site.check.signatures import (
    ENCODED_LIST,
    STATUS_INDEX,
    SUBJECT_ID,
    VALID_FROM,
    Consequence,
    Refused,
    VerifiedProofs,
    check_signature,
    parse_instant,
    structure_of,
)
from generator.site.model.awards import Award, Revocation, revocation_reason
from generator.site.model.network import Network
from generator.site.model.problems import Problems
from generator.site.model.signed import SignedFile
from generator.site.model.urls import Urls


def check_status(
    network: Network, urls: Urls, problems: Problems, cache: VerifiedProofs | None
) -> dict[tuple[str, str], Revocation]:
    """Verify status lists and revocation records; the revocations that check out."""
    for _, signed in sorted(network.status_lists.items()):
        try:
            _check_status_list(network, urls, signed, cache)
        except Consequence:
            pass
        except Refused as refusal:
            problems.error(signed.at(refusal.at), f"{refusal}; the status list is not published")
    revoked: dict[tuple[str, str], Revocation] = {}
    for (issuer_slug, slug), signed in sorted(network.revocations.items()):
        try:
            revoked[(issuer_slug, slug)] = _check_revocation(network, urls, signed, cache)
        except Consequence:
            pass
        except Refused as refusal:
            problems.error(signed.at(refusal.at), f"{refusal}; this revocation record is not valid")
    return revoked


def _check_status_list(
    network: Network, urls: Urls, signed: SignedFile, cache: VerifiedProofs | None
) -> None:
    issuer = structure_of(network, signed)
    expected = urls.absolute(urls.status_list(issuer.slug))
    if signed.document.get("id") != expected:
        raise Refused(f"id must be {expected}", ("id",))
    if signed.document.get("issuer") != urls.did(issuer.slug):
        raise Refused(f"issuer must be {urls.did(issuer.slug)}", ("issuer",))
    check_signature(signed.document, issuer, urls, cache, signed.data)
    try:
        statuslist.decode_status_list(str(signed.document["credentialSubject"]["encodedList"]))
    except (KeyError, TypeError, ValueError) as error:
        raise Refused(f"encodedList is unusable: {error}", ENCODED_LIST) from None


def _check_revocation(
    network: Network, urls: Urls, signed: SignedFile, cache: VerifiedProofs | None
) -> Revocation:
    issuer = structure_of(network, signed)
    if signed.document.get("issuer") != urls.did(issuer.slug):
        raise Refused(f"issuer must be {urls.did(issuer.slug)}", ("issuer",))
    expected = urls.absolute(urls.credential(issuer.slug, signed.slug))
    subject = signed.document.get("credentialSubject")
    if not isinstance(subject, dict) or subject.get("id") != expected:
        raise Refused(
            f"credentialSubject.id must be the revoked credential, {expected}", SUBJECT_ID
        )
    signature = check_signature(signed.document, issuer, urls, cache, signed.data)
    return Revocation(
        reason=revocation_reason(signed),
        revoked_at=parse_instant(str(signed.document.get("validFrom")), "validFrom", VALID_FROM),
        signed_at=signature.created,
    )


def check_revocations_match(
    network: Network,
    awards: Mapping[tuple[str, str], Award],
    revoked: Mapping[tuple[str, str], Revocation],
    problems: Problems,
    only: Set[tuple[str, str]] | None = None,
) -> None:
    """The status list bits and the revocation records must tell the same story (for the
    awards in only, if given).

    A record whose credential was deleted is no contradiction: a revoked credential's file may
    go (at its earner's request), and its record alone keeps the award's addresses answering.
    """
    by_issuer: dict[str, list[tuple[str, Award]]] = {}
    for (issuer_slug, slug), award in sorted(awards.items()):
        if only is not None and (issuer_slug, slug) not in only:
            continue
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
            check_status_bit(status, award, (issuer_slug, slug) in revoked, problems)


def check_status_bit(
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
        problems.error(award.credential.at(STATUS_INDEX), f"status list index unusable: {error}")
        return
    if bit and not has_record:
        problems.error(
            award.credential.at(STATUS_INDEX),
            "revoked in the status list but has no revocation record; revoke it with 'build.py revoke'",
        )
    elif not bit and has_record:
        problems.error(
            award.credential.at(STATUS_INDEX),
            "has a revocation record but is not revoked in the status list; revoke it again with 'build.py revoke'",
        )

"""Check the signed endorsements of assertions/<endorser>/endorsements/: only what checks out
becomes an Endorsement, by the rules credentials follow (credentials.py).

For every endorsement: its folder is its endorser, its id is the URL the build publishes it
at (ids are unique across endorsers: the URL has no endorser in it), the proof verifies with
one of the endorser's proven keys valid when it signed, every JSON-LD term is defined, it
endorses a badge, a structure or the network (never its own endorser), its dates are
coherent, and its status entry is its own in the endorser's status list, whose bits tell
what the revocation records tell. Any failure is an error: nothing is published.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from generator.cache import Store
from generator.openbadges import statuslist
from generator.openbadges.credential import CREDENTIAL_CONTEXT, status_entry
from generator.openbadges.endorsement import (
    ENDORSEMENT_TYPE,
    SUBJECT_TYPE,
    endorsed_id,
    endorsement_comment,
)
from generator.site.check.endorsers import signer_of
from generator.site.check.signatures import (
    ENCODED_LIST,
    STATUS,
    STATUS_INDEX,
    SUBJECT,
    SUBJECT_ID,
    VALID_FROM,
    VALID_UNTIL,
    Consequence,
    Refused,
    VerifiedProofs,
    check_signature,
    parse_instant,
)
from generator.site.model.awards import Revocation, revocation_reason
from generator.site.model.endorsements import EndorsedKind, Endorsement
from generator.site.model.network import Network
from generator.site.model.problems import Problems
from generator.site.model.signed import SignedFile
from generator.site.model.urls import Urls

AGAIN = "delete this file and endorse again with 'build.py endorse'"


def check_endorsements(
    network: Network, urls: Urls, now: datetime, problems: Problems, store: Store
) -> dict[str, Endorsement]:
    """Every endorsement that verifies, by id; a problem for every file that does not."""
    signed = network.endorsements
    cache = VerifiedProofs(store)
    _check_status_lists(network, urls, cache, problems)
    revoked = _check_revocations(network, urls, cache, problems)
    endorsements: dict[str, Endorsement] = {}
    indexes: dict[tuple[str, int], str] = {}
    for (endorser, slug), file in sorted(signed.credentials.items()):
        try:
            endorsement = _check_endorsement(network, urls, now, file, cache)
        except Consequence:
            continue
        except Refused as refusal:
            problems.error(file.at(refusal.at), f"{refusal}; this endorsement is not published")
            continue
        if slug in endorsements:
            problems.error(
                file.at(("id",)),
                f"endorsement id {slug} is also {endorsements[slug].credential.source.path}: "
                f"both would be published at {urls.endorsement(slug)}; {AGAIN}",
            )
            continue
        taken = indexes.setdefault((endorser, endorsement.status_index), slug)
        if taken != slug:
            problems.error(
                file.at(STATUS_INDEX),
                f"status list index {endorsement.status_index} is already used by {taken}.json; "
                f"every endorsement of an endorser needs its own index: {AGAIN}",
            )
            continue
        revocation = revoked.get((endorser, slug))
        _check_status_bit(network, endorsement, revocation is not None, problems)
        endorsements[slug] = Endorsement(**{**endorsement.__dict__, "revocation": revocation})
    return endorsements


def _check_endorsement(
    network: Network, urls: Urls, now: datetime, file: SignedFile, cache: VerifiedProofs
) -> Endorsement:
    document = file.document
    signer = signer_of(network, urls, file.issuer)
    if document.get("@context") != CREDENTIAL_CONTEXT:
        raise Refused(f"@context must be exactly {CREDENTIAL_CONTEXT}", ("@context",))
    if document.get("type") != ENDORSEMENT_TYPE:
        raise Refused(f"type must be {ENDORSEMENT_TYPE}", ("type",))
    expected_id = urls.absolute(urls.endorsement(file.slug))
    if document.get("id") != expected_id:
        raise Refused(
            f"id is '{document.get('id')}' but this file is published at {expected_id}", ("id",)
        )
    issuer = document.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else None
    if issuer_id != signer.did:
        raise Refused(
            f"issued by '{issuer_id}' but stored in the folder of {signer.slug} ({signer.did})",
            ("issuer", "id"),
        )
    check_signature(document, signer, urls, cache, file.data)
    if not isinstance(document.get("name"), str) or not document["name"].strip():
        raise Refused(f"the endorsement has no name: {AGAIN}", ("name",))
    subject = document.get("credentialSubject")
    if not isinstance(subject, dict) or subject.get("type") != SUBJECT_TYPE:
        raise Refused(
            f"credentialSubject must have type {SUBJECT_TYPE}: {AGAIN}",
            (*SUBJECT, "type"),
        )
    endorsed = _endorsed(network, urls, endorsed_id(document))
    if endorsed == ("issuer", file.issuer):
        raise Refused(
            f"{file.issuer} endorses itself; an endorsement vouches for another", SUBJECT_ID
        )
    comment = endorsement_comment(document)
    if comment is None or not comment.strip():
        raise Refused(
            f"credentialSubject has no endorsementComment: {AGAIN}",
            (*SUBJECT, "endorsementComment"),
        )
    valid_from = parse_instant(str(document.get("validFrom")), "validFrom", VALID_FROM)
    valid_until = (
        parse_instant(str(document["validUntil"]), "validUntil", VALID_UNTIL)
        if "validUntil" in document
        else None
    )
    if valid_until is not None and valid_until <= valid_from:
        raise Refused("validUntil is not after validFrom", VALID_UNTIL)
    if valid_from > now:
        raise Refused(f"validFrom {document['validFrom']} is in the future", VALID_FROM)
    status_list = urls.absolute(urls.endorsement_status_list(file.issuer))
    entry = status_entry(document)
    status = document.get("credentialStatus")
    if (
        entry is None
        or entry[0] != status_list
        or not isinstance(status, dict)
        or status.get("statusPurpose") != "revocation"
    ):
        raise Refused(
            "credentialStatus must be one BitstringStatusListEntry for revocation in "
            f"{status_list}: {AGAIN}",
            STATUS,
        )
    return Endorsement(
        slug=file.slug,
        endorser=file.issuer,
        endorsed=endorsed,
        comment=comment,
        credential=file,
        valid_from=valid_from,
        valid_until=valid_until,
        status_index=entry[1],
    )


def _endorsed(network: Network, urls: Urls, subject_id: str | None) -> tuple[EndorsedKind, str]:
    """What an endorsement's subject id names: a badge's Achievement, or the Profile of a
    structure or of the network."""
    for slug in sorted(network.badges):
        if subject_id == urls.absolute(urls.achievement(slug)):
            return "badge", slug
    for slug in sorted(network.issuers):
        if subject_id == urls.absolute(urls.issuer_profile_ob3(slug)):
            return "issuer", slug
    for name in sorted(network.unreadable):
        kind, _, slug = name.partition(":")
        if (kind == "badge" and subject_id == urls.absolute(urls.achievement(slug))) or (
            kind == "issuer" and subject_id == urls.absolute(urls.issuer_profile_ob3(slug))
        ):
            raise Consequence(f"the file of '{slug}' could not be read")
    raise Refused(
        f"credentialSubject.id '{subject_id}' is neither a badge's Achievement "
        f"({urls.absolute(urls.achievement('<badge>'))}) nor the Profile of a structure or of "
        f"the network ({urls.absolute(urls.issuer_profile_ob3('<slug>'))})",
        SUBJECT_ID,
    )


def _check_status_lists(
    network: Network, urls: Urls, cache: VerifiedProofs, problems: Problems
) -> None:
    for endorser, file in sorted(network.endorsements.status_lists.items()):
        try:
            signer = signer_of(network, urls, endorser)
            expected = urls.absolute(urls.endorsement_status_list(endorser))
            if file.document.get("id") != expected:
                raise Refused(f"id must be {expected}", ("id",))
            if file.document.get("issuer") != signer.did:
                raise Refused(f"issuer must be {signer.did}", ("issuer",))
            check_signature(file.document, signer, urls, cache, file.data)
            statuslist.decode_status_list(_encoded(file.document))
        except Consequence:
            pass
        except (KeyError, TypeError, ValueError) as error:
            problems.error(file.at(ENCODED_LIST), f"encodedList is unusable: {error}")
        except Refused as refusal:
            problems.error(file.at(refusal.at), f"{refusal}; the status list is not published")


def _check_revocations(
    network: Network, urls: Urls, cache: VerifiedProofs, problems: Problems
) -> dict[tuple[str, str], Revocation]:
    revoked = {}
    for (endorser, slug), file in sorted(network.endorsements.revocations.items()):
        try:
            signer = signer_of(network, urls, endorser)
            if file.document.get("issuer") != signer.did:
                raise Refused(f"issuer must be {signer.did}", ("issuer",))
            expected = urls.absolute(urls.endorsement(slug))
            subject = file.document.get("credentialSubject")
            if not isinstance(subject, dict) or subject.get("id") != expected:
                raise Refused(
                    f"credentialSubject.id must be the revoked endorsement, {expected}", SUBJECT_ID
                )
            signature = check_signature(file.document, signer, urls, cache, file.data)
            revoked[(endorser, slug)] = Revocation(
                reason=revocation_reason(file),
                revoked_at=parse_instant(str(file.document.get("validFrom")), "validFrom"),
                signed_at=signature.created,
            )
        except Consequence:
            pass
        except Refused as refusal:
            problems.error(file.at(refusal.at), f"{refusal}; this revocation record is not valid")
    for endorser, slug in sorted(network.endorsements.revocations):
        if (endorser, slug) not in network.endorsements.credentials:
            problems.error(
                network.endorsements.revocations[(endorser, slug)].at(SUBJECT_ID),
                f"revokes {slug}.json, which is not in assertions/{endorser}/endorsements/; "
                "restore the endorsement (a revoked endorsement stays published, marked revoked)",
            )
    return revoked


def _encoded(document: Mapping[str, Any]) -> str:
    return str(document["credentialSubject"]["encodedList"])


def _check_status_bit(
    network: Network, endorsement: Endorsement, has_record: bool, problems: Problems
) -> None:
    """The endorsement's bit in its endorser's status list must say what its record says."""
    where = endorsement.credential.at(STATUS_INDEX)
    status = network.endorsements.status_lists.get(endorsement.endorser)
    if status is None:
        problems.error(
            endorsement.credential.at(STATUS),
            f"assertions/{endorsement.endorser}/endorsements/status-list.json is missing; "
            "'build.py endorse' creates it",
        )
        return
    try:
        bit = statuslist.is_set(_encoded(status.document), endorsement.status_index)
    except (KeyError, TypeError):
        return  # reported with the status list itself
    except ValueError as error:
        problems.error(where, f"status list index unusable: {error}")
        return
    if bit and not has_record:
        problems.error(
            where,
            "revoked in the status list but has no revocation record; revoke it with "
            "'build.py revoke-endorsement'",
        )
    elif not bit and has_record:
        problems.error(
            where,
            "has a revocation record but is not revoked in the status list; revoke it again "
            "with 'build.py revoke-endorsement'",
        )

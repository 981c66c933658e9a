"""Check the signed credentials of assertions/: only what checks out becomes an Award.

For every credential: its folder is its issuer, its id is the URL the build publishes it
at, the proof verifies with one of the issuer's published keys that was valid when it
signed (signatures.py), every JSON-LD term is defined, the badge exists and could be
awarded by this issuer at that date, dates are coherent, status indexes are unique. Status
lists and revocation records are checked the same way (status.py). Any failure is an
error: nothing is published.
"""

from __future__ import annotations

from collections.abc import Mapping, Set
from datetime import datetime
from typing import Any

from generator.cache import Store
from generator.openbadges.credential import (
    CREDENTIAL_CONTEXT,
    recipient_identity,
    status_entry,
    status_problem,
    unhashed_identifiers,
)
from generator.site.check.signatures import (
    STATUS,
    STATUS_INDEX,
    SUBJECT,
    VALID_FROM,
    VALID_UNTIL,
    Consequence,
    Refused,
    VerifiedProofs,
    check_signature,
    parse_instant,
    structure_of,
    verify_proofs_ahead,
)
from generator.site.check.status import check_revocations_match, check_status
from generator.site.model.awards import Award, Revocation
from generator.site.model.network import Badge, Issuer, Network
from generator.site.model.problems import Problems
from generator.site.model.signed import SignedFile
from generator.site.model.urls import Urls, is_web_link

ACHIEVEMENT = (*SUBJECT, "achievement")


def check_credentials(
    network: Network,
    urls: Urls,
    now: datetime,
    problems: Problems,
    store: Store,
) -> dict[tuple[str, str], Award]:
    """Every credential that verifies, as an Award; a problem for every one that does not.

    With a cache store, proofs verified by earlier builds are not verified again.
    """
    awards: dict[tuple[str, str], Award] = {}
    indexes: dict[tuple[str, int], str] = {}
    cache = VerifiedProofs(store)
    verify_proofs_ahead(network, urls, cache)
    revoked = check_status(network, urls, problems, cache)
    for key, signed in sorted(network.credentials.items()):
        award = _accepted(network, urls, now, signed, cache, problems, indexes, revoked)
        if award is not None:
            awards[key] = award
    check_revocations_match(network, awards, revoked, problems)
    return awards


def check_changed_credentials(
    network: Network,
    awards: Mapping[tuple[str, str], Award],
    changed: Set[tuple[str, str]],
    urls: Urls,
    now: datetime,
    problems: Problems,
    store: Store,
) -> dict[tuple[str, str], Award]:
    """The awards of a checked network after some of its signed files were read again.

    Only the changed credentials are checked, by the same rules as a full build; the
    others and their status indexes stand as they were checked. Status lists and revocation
    records are checked whole (their signatures are in the cache).
    """
    result = {key: award for key, award in awards.items() if key not in changed}
    indexes = {(issuer, award.status_index): slug for (issuer, slug), award in result.items()}
    cache = VerifiedProofs(store)
    revoked = check_status(network, urls, problems, cache)
    for key in sorted(changed):
        signed = network.credentials.get(key)
        if signed is None:
            continue
        award = _accepted(network, urls, now, signed, cache, problems, indexes, revoked)
        if award is not None:
            result[key] = award
    check_revocations_match(network, result, revoked, problems, only=changed)
    return result


def _accepted(
    network: Network,
    urls: Urls,
    now: datetime,
    signed: SignedFile,
    cache: VerifiedProofs | None,
    problems: Problems,
    indexes: dict[tuple[str, int], str],
    revoked: Mapping[tuple[str, str], Revocation],
) -> Award | None:
    """The award of a credential that verifies and takes a free status index, else None."""
    try:
        award = _check_credential(network, urls, now, signed, cache)
    except Consequence:
        return None
    except Refused as refusal:
        problems.error(signed.at(refusal.at), f"{refusal}; this credential is not published")
        return None
    taken = indexes.setdefault((signed.issuer, award.status_index), signed.slug)
    if taken != signed.slug:
        problems.error(
            signed.at(STATUS_INDEX),
            f"status list index {award.status_index} is already used by {taken}.json; "
            "every credential of a structure needs its own index (re-issue it)",
        )
        return None
    _warn_if_image_moved(award, urls, problems)
    return _with_revocation(award, revoked.get((signed.issuer, signed.slug)))


def check_credential(network: Network, urls: Urls, now: datetime, signed: SignedFile) -> Award:
    """One credential by every rule the build applies to it (the verify command's without a
    built site); Refused with the reason if the build would not publish it."""
    return _check_credential(network, urls, now, signed, None)


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


def _check_credential(
    network: Network, urls: Urls, now: datetime, signed: SignedFile, cache: VerifiedProofs | None
) -> Award:
    document = signed.document
    issuer = structure_of(network, signed)
    if isinstance(document.get("credentialStatus"), list):
        # The form signed before the format was frozen: say that first, and what to do.
        raise Refused(str(status_problem(document)), STATUS)
    if document.get("@context") != CREDENTIAL_CONTEXT:
        raise Refused(f"@context must be exactly {CREDENTIAL_CONTEXT}", ("@context",))
    if document.get("type") != ["VerifiableCredential", "OpenBadgeCredential"]:
        raise Refused("type must be ['VerifiableCredential', 'OpenBadgeCredential']", ("type",))
    expected_id = urls.absolute(urls.credential(issuer.slug, signed.slug))
    if document.get("id") != expected_id:
        raise Refused(
            f"id is '{document.get('id')}' but this file is published at {expected_id}", ("id",)
        )
    issuer_id = (
        document.get("issuer", {}).get("id") if isinstance(document.get("issuer"), dict) else None
    )
    if issuer_id != urls.did(issuer.slug):
        raise Refused(
            f"issued by '{issuer_id}' but stored in the folder of {issuer.slug} ({urls.did(issuer.slug)})",
            ("issuer", "id"),
        )
    signature = check_signature(document, issuer, urls, cache, signed.data)
    badge = _badge_of(network, urls, issuer, document)
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
    _check_awardable(badge, valid_from)
    if link := _link_not_on_the_web(document):
        raise Refused(
            f"{link[0]} is '{link[1]}', which is not an http(s) address; the site would publish "
            "it as a link: delete this credential and issue it again with a web address",
            link[2],
        )
    if unhashed := unhashed_identifiers(document):
        raise Refused(
            f"credentialSubject.identifier[{unhashed[0]}] is not a salted hash (sha256$…); a "
            "recipient's identity is never published as it is: delete this credential and "
            "issue it again with 'build.py issue'",
            (*SUBJECT, "identifier", unhashed[0]),
        )
    if recipient_identity(document) is None:
        raise Refused("credentialSubject has no hashed email identifier", SUBJECT)
    if problem := status_problem(document):
        raise Refused(problem, STATUS)
    entry = status_entry(document)
    if entry is None or entry[0] != urls.absolute(urls.status_list(issuer.slug)):
        raise Refused(
            f"credentialStatus must point to {urls.absolute(urls.status_list(issuer.slug))}",
            STATUS,
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


def _link_not_on_the_web(
    document: Mapping[str, Any],
) -> tuple[str, str, tuple[str | int, ...]] | None:
    """The first field the site shows as a link (evidence, alignment, image, criteria) whose
    value is not an http(s) URL: (where, value, its path in the document)."""
    evidence = document.get("evidence", [])
    subject = document.get("credentialSubject")
    achievement = subject.get("achievement") if isinstance(subject, dict) else None
    fields: list[tuple[str, Any, tuple[str | int, ...]]] = [
        (f"evidence[{index}].id", item.get("id"), ("evidence", index, "id"))
        for index, item in enumerate(evidence if isinstance(evidence, list) else [])
        if isinstance(item, dict) and "id" in item
    ]
    if isinstance(achievement, dict):
        for name in ("image", "criteria"):
            part = achievement.get(name)
            if isinstance(part, dict) and "id" in part:
                fields.append((f"achievement.{name}.id", part["id"], (*ACHIEVEMENT, name, "id")))
        alignments = achievement.get("alignment", [])
        for index, alignment in enumerate(alignments if isinstance(alignments, list) else []):
            if isinstance(alignment, dict) and "targetUrl" in alignment:
                fields.append(
                    (
                        f"achievement.alignment[{index}].targetUrl",
                        alignment["targetUrl"],
                        (*ACHIEVEMENT, "alignment", index, "targetUrl"),
                    )
                )
    return next(
        ((where, str(value), at) for where, value, at in fields if not is_web_link(value)), None
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
    if badge is None and any(
        urls.absolute(urls.achievement(name.removeprefix("badge:"))) == achievement_id
        for name in network.unreadable
        if name.startswith("badge:")
    ):
        raise Consequence(f"the file of badge '{achievement_id}' could not be read")
    if badge is None:
        raise Refused(f"achievement '{achievement_id}' is not a badge of this network", ACHIEVEMENT)
    if badge not in network.awarded_by(issuer):
        raise Refused(
            f"{issuer.slug} does not award '{badge.slug}' (not in the 'awards' of "
            f"content/issuers/{issuer.slug}.yaml, and not its own badge)",
            ACHIEVEMENT,
        )
    return badge


def _check_awardable(badge: Badge, valid_from: datetime) -> None:
    """Approved now, or approved at the award date and retired since."""
    day = valid_from.date()
    if badge.status == "proposed":
        raise Refused(
            f"badge '{badge.slug}' is only proposed; it cannot be awarded until approved",
            ACHIEVEMENT,
        )
    if badge.approved_on and day < badge.approved_on:
        raise Refused(
            f"awarded on {day}, before badge '{badge.slug}' was approved ({badge.approved_on})",
            VALID_FROM,
        )
    if badge.status == "retired" and badge.retired_on and day > badge.retired_on:
        raise Refused(
            f"awarded on {day}, after badge '{badge.slug}' was retired ({badge.retired_on})",
            VALID_FROM,
        )


def _with_revocation(award: Award, revocation: Revocation | None) -> Award:
    if revocation is None:
        return award
    return Award(**{**award.__dict__, "revocation": revocation})

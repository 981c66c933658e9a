"""Open Badges 3.0 credentials and what the build derives from them.

The signed OpenBadgeCredential is the single source of truth for an award; the OB 2.0
hosted assertion, the issuer's DID document, its status list and revocation list are
shaped here. Pure functions of their inputs: no files, no HTML.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from generator.openbadges.ob2 import CONTEXT as OB2_CONTEXT
from generator.openbadges.ob3 import CONTEXT as OB3_CONTEXT

# The contexts of the frozen format: VC 2.0 and OB 3.0.3 define every term a credential
# uses (1EdTech's extensions context, for 1EdTechRevocationList, is not needed any more).
CREDENTIAL_CONTEXT = list(OB3_CONTEXT)
DID_CONTEXT = ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"]
VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def normalise_email(email: str) -> str:
    """An email as hashed: trimmed and lower-cased (the specs are silent on case)."""
    return email.strip().lower()


def identity_hash(email: str, salt: str) -> str:
    """'sha256$' + hex(SHA-256(normalised email + salt)), as OB 2.0 and 3.0 define it."""
    digest = hashlib.sha256((normalise_email(email) + salt).encode("utf-8")).hexdigest()
    return f"sha256${digest}"


@dataclass(frozen=True)
class Evidence:
    """What an issuer attaches to an award: a URL and/or a narrative."""

    url: str | None = None
    narrative: str | None = None


def unsigned_credential(
    *,
    credential_id: str,
    issuer_profile: Mapping[str, Any],
    achievement: Mapping[str, Any],
    salt: str,
    identity: str,
    valid_from: str,
    valid_until: str | None,
    evidence: Evidence | None,
    status_list_id: str,
    status_index: int,
) -> dict[str, Any]:
    """An OpenBadgeCredential ready to be signed (no proof yet).

    Its shape is frozen (README, "The credential format"): every field here is signed, and
    a credential signed today must verify forever, so a change is a new version of the
    format that the build and `verify` must keep reading beside this one.
    """
    credential: dict[str, Any] = {
        "@context": list(CREDENTIAL_CONTEXT),
        "id": credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": dict(issuer_profile),
        "validFrom": valid_from,
    }
    if valid_until:
        credential["validUntil"] = valid_until
    credential |= {
        "awardedDate": valid_from,
        "name": achievement["name"],
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "emailAddress",
                    "hashed": True,
                    "salt": salt,
                    "identityHash": identity,
                }
            ],
            "achievement": dict(achievement),
        },
    }
    if evidence and (evidence.url or evidence.narrative):
        item: dict[str, Any] = {"type": ["Evidence"]}
        if evidence.url:
            item["id"] = evidence.url
        if evidence.narrative:
            item["narrative"] = evidence.narrative
        credential["evidence"] = [item]
    # ONE object: 1EdTech's AchievementCredential JSON schema defines credentialStatus as an
    # object and refuses a list, although VC 2.0 in general allows one. A W3C Bitstring
    # Status List entry, which the Digital Bazaar and DCC verifiers check; the reason of a
    # revocation is published apart, in the issuer's revocation-list.json.
    credential["credentialStatus"] = {
        "id": f"{status_list_id}#{status_index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": str(status_index),
        "statusListCredential": status_list_id,
    }
    return credential


def status_entry(credential: Mapping[str, Any]) -> tuple[str, int] | None:
    """The (status list id, index) of a credential's BitstringStatusListEntry; None if its
    credentialStatus is not one such entry (see status_problem)."""
    entry = credential.get("credentialStatus")
    if not isinstance(entry, dict) or entry.get("type") != "BitstringStatusListEntry":
        return None
    try:
        return str(entry["statusListCredential"]), int(entry["statusListIndex"])
    except (KeyError, ValueError, TypeError):
        return None


REISSUE = "delete this credential and issue it again with 'build.py issue'"


def status_problem(credential: Mapping[str, Any]) -> str | None:
    """What makes a credential's credentialStatus other than the one revocation entry of the
    frozen format, in words that say what to do; None when it is that entry."""
    entry = credential.get("credentialStatus")
    if isinstance(entry, list):
        return (
            "credentialStatus is a list, the form signed before the credential format was "
            "frozen; the format holds ONE BitstringStatusListEntry object (1EdTech's Open "
            f"Badges 3.0 schema refuses a list): {REISSUE}"
        )
    if not isinstance(entry, dict) or entry.get("type") != "BitstringStatusListEntry":
        return f"credentialStatus must be one BitstringStatusListEntry object: {REISSUE}"
    if entry.get("statusPurpose") != "revocation" or status_entry(credential) is None:
        return (
            "credentialStatus must have statusPurpose 'revocation', a statusListCredential "
            f"and a whole-number statusListIndex: {REISSUE}"
        )
    return None


def recipient_identity(credential: Mapping[str, Any]) -> tuple[str, str] | None:
    """The (salt, 'sha256$…') of a credential's hashed email identifier, if any."""
    subject = credential.get("credentialSubject", {})
    for identifier in subject.get("identifier", []) if isinstance(subject, dict) else []:
        if (
            isinstance(identifier, dict)
            and identifier.get("identityType") == "emailAddress"
            and identifier.get("hashed") is True
        ):
            return str(identifier.get("salt", "")), str(identifier.get("identityHash", ""))
    return None


_HASH = re.compile(r"^sha256\$[0-9a-f]{64}$")


def unhashed_identifiers(credential: Mapping[str, Any]) -> list[int]:
    """The positions of credentialSubject.identifier entries that are not a salted SHA-256
    hash (`hashed: true`, `identityHash: sha256$<64 hex>`): each would publish a person's
    identity as it is."""
    subject = credential.get("credentialSubject", {})
    identifiers = subject.get("identifier", []) if isinstance(subject, dict) else []
    if not isinstance(identifiers, list):
        return [0]
    return [
        index
        for index, identifier in enumerate(identifiers)
        if not (
            isinstance(identifier, dict)
            and identifier.get("hashed") is True
            and isinstance(identifier.get("identityHash"), str)
            and _HASH.match(identifier["identityHash"])
        )
    ]


def hosted_assertion(
    credential: Mapping[str, Any], *, assertion_id: str, badge_class_id: str, image_id: str
) -> dict[str, Any]:
    """The OB 2.0 hosted Assertion derived from a verified credential."""
    identity = recipient_identity(credential)
    assertion: dict[str, Any] = {
        "@context": OB2_CONTEXT,
        "type": "Assertion",
        "id": assertion_id,
        "recipient": {
            "type": "email",
            "hashed": True,
            "salt": identity[0] if identity else "",
            "identity": identity[1] if identity else "",
        },
        "badge": badge_class_id,
        "verification": {"type": "HostedBadge"},
        "issuedOn": credential.get("awardedDate", credential["validFrom"]),
        "image": image_id,
    }
    if "validUntil" in credential:
        assertion["expires"] = credential["validUntil"]
    evidence = [item for item in credential.get("evidence", []) if isinstance(item, dict)]
    if evidence:
        assertion["evidence"] = [
            {key: item[key] for key in ("id", "narrative") if key in item} for item in evidence
        ]
        narratives = [item["narrative"] for item in evidence if item.get("narrative")]
        if narratives:
            assertion["narrative"] = "\n\n".join(narratives)
    return assertion


def revoked_assertion(assertion_id: str, reason: str) -> dict[str, Any]:
    """The stripped body a revoked hosted assertion becomes (a static host cannot answer 410)."""
    return {
        "@context": OB2_CONTEXT,
        "id": assertion_id,
        "type": "Assertion",
        "revoked": True,
        "revocationReason": reason,
    }


@dataclass(frozen=True)
class PublishedKey:
    """A public key as listed in a DID document."""

    fragment: str
    public_key_multibase: str


def did_document(did: str, keys: Iterable[PublishedKey], also_known_as: str) -> dict[str, Any]:
    """The did:web document of an issuer: every key it ever used, all for assertions."""
    methods = [
        {
            "id": f"{did}#{key.fragment}",
            "type": "Multikey",
            "controller": did,
            "publicKeyMultibase": key.public_key_multibase,
        }
        for key in keys
    ]
    return {
        "@context": list(DID_CONTEXT),
        "id": did,
        "alsoKnownAs": [also_known_as],
        "verificationMethod": methods,
        "assertionMethod": [method["id"] for method in methods],
    }


def status_list_credential(
    *, list_id: str, issuer_did: str, valid_from: str, encoded_list: str
) -> dict[str, Any]:
    """An unsigned BitstringStatusListCredential for revocation."""
    return {
        "@context": [VC_CONTEXT],
        "id": list_id,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_did,
        "validFrom": valid_from,
        "credentialSubject": {
            "id": f"{list_id}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encoded_list,
        },
    }


def revocation_record(
    *, credential_id: str, issuer_did: str, revoked_on: str, reason: str
) -> dict[str, Any]:
    """An unsigned revocation record: an issuer's dated reason for revoking one credential."""
    return {
        "@context": [VC_CONTEXT],
        "type": ["VerifiableCredential"],
        "issuer": issuer_did,
        "validFrom": revoked_on,
        "name": "Revocation",
        "description": reason,
        "credentialSubject": {"id": credential_id},
    }


# No published context defines the 1EdTech revocation list's terms, and a JSON-LD processor
# in safe mode refuses a document without one: this embedded context names them in the
# namespace 1EdTech gives 1EdTechRevocationList (its extensions context).
_VCRL = "https://purl.imsglobal.org/spec/vcrl/v1p0/context.json#"
REVOCATION_LIST_CONTEXT = {
    "id": "@id",
    "issuer": {"@id": "https://www.w3.org/2018/credentials#issuer", "@type": "@id"},
    "revokedCredentials": {"@id": f"{_VCRL}revokedCredentials", "@container": "@set"},
    "revocationReason": f"{_VCRL}revocationReason",
}


def revocation_list(list_id: str, issuer_did: str, revoked: Mapping[str, str]) -> dict[str, Any]:
    """The 1EdTech revocation list: revoked credential ids and their reasons."""
    return {
        "@context": dict(REVOCATION_LIST_CONTEXT),
        "id": list_id,
        "issuer": issuer_did,
        "revokedCredentials": [
            {"id": credential_id, "revocationReason": reason}
            for credential_id, reason in sorted(revoked.items())
        ],
    }

"""Open Badges 3.0 EndorsementCredentials: what an endorser says of a badge (its Achievement),
of a structure or of the network (its Profile).

Spec: https://www.imsglobal.org/spec/ob/v3p0/#endorsementcredential . Signed with the same
Data Integrity proof as awards (dataintegrity.py), its status in the endorser's own
BitstringStatusList. Pure functions of plain data.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from generator.openbadges.credential import CREDENTIAL_CONTEXT

ENDORSEMENT_TYPE = ["VerifiableCredential", "EndorsementCredential"]
SUBJECT_TYPE = ["EndorsementSubject"]


def endorser_profile(
    *, profile_id: str, name: str, url: str, description: str | None, image_id: str | None
) -> dict[str, Any]:
    """An outside endorser as its endorsements name it: its did:web, name, web site, and what
    it is (no email: an organisation outside the network need not publish one)."""
    profile: dict[str, Any] = {"id": profile_id, "type": ["Profile"], "name": name, "url": url}
    if description:
        profile["description"] = description
    if image_id:
        profile["image"] = {"id": image_id, "type": "Image"}
    return profile


def unsigned_endorsement(
    *,
    credential_id: str,
    issuer_profile: Mapping[str, Any],
    name: str,
    subject_id: str,
    comment: str,
    valid_from: str,
    valid_until: str | None,
    status_list_id: str,
    status_index: int,
) -> dict[str, Any]:
    """An EndorsementCredential ready to be signed (no proof yet): the endorser (issuer) says
    `comment` (Markdown) of the object whose id is subject_id."""
    credential: dict[str, Any] = {
        "@context": list(CREDENTIAL_CONTEXT),
        "id": credential_id,
        "type": list(ENDORSEMENT_TYPE),
        "issuer": dict(issuer_profile),
        "validFrom": valid_from,
    }
    if valid_until:
        credential["validUntil"] = valid_until
    credential |= {
        "name": name,
        "credentialSubject": {
            "id": subject_id,
            "type": list(SUBJECT_TYPE),
            "endorsementComment": comment,
        },
        # ONE entry, as for awards (1EdTech's schemas define credentialStatus as an object).
        "credentialStatus": {
            "id": f"{status_list_id}#{status_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(status_index),
            "statusListCredential": status_list_id,
        },
    }
    return credential


def endorsement_comment(credential: Mapping[str, Any]) -> str | None:
    """The comment of an EndorsementCredential, if it has one."""
    subject = credential.get("credentialSubject")
    comment = subject.get("endorsementComment") if isinstance(subject, Mapping) else None
    return comment if isinstance(comment, str) else None


def endorsed_id(credential: Mapping[str, Any]) -> str | None:
    """The id of what an EndorsementCredential endorses, if it names one."""
    subject = credential.get("credentialSubject")
    subject_id = subject.get("id") if isinstance(subject, Mapping) else None
    return subject_id if isinstance(subject_id, str) else None

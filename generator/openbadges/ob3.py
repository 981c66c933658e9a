"""Open Badges 3.0 documents: Profiles and Achievements.

Spec: https://www.imsglobal.org/spec/ob/v3p0/ . Network badges are defined once: the network
is the Achievement's `creator`, and each structure is the issuer of what it awards.
Pure functions of plain data (ids are absolute URLs, texts are in the document's language).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from generator.openbadges.ob2 import Alignment

CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]


def profile(
    *,
    profile_id: str,
    name: str,
    url: str,
    email: str,
    description: str | None = None,
    image_id: str | None = None,
    street_address: str | None = None,
    coordinates: tuple[float, float] | None = None,
    with_context: bool = True,
) -> dict[str, Any]:
    """The OB 3.0 Profile of a structure (or of the network); coordinates are (lat, lon)."""
    document: dict[str, Any] = {"@context": CONTEXT} if with_context else {}
    document |= {"id": profile_id, "type": ["Profile"], "name": name, "url": url, "email": email}
    if description is not None:
        document["description"] = description
    if image_id:
        document["image"] = {"id": image_id, "type": "Image"}
    if street_address or coordinates:
        address: dict[str, Any] = {"type": ["Address"]}
        if street_address:
            address["streetAddress"] = street_address
        if coordinates:
            latitude, longitude = coordinates
            address["geo"] = {
                "type": "GeoCoordinates",
                "latitude": latitude,
                "longitude": longitude,
            }
        document["address"] = address
    return document


def achievement(
    *,
    achievement_id: str,
    name: str,
    description: str,
    criteria_id: str,
    criteria_narrative: str,
    image_id: str,
    creator: Mapping[str, Any],
    language: str,
    tags: Sequence[str],
    alignments: Sequence[Alignment],
    with_context: bool = True,
    achievement_type: str = "Badge",
    human_code: str | None = None,
    field_of_study: str | None = None,
    credits_available: float | None = None,
) -> dict[str, Any]:
    """The OB 3.0 Achievement of a badge; creator is the Profile of who defined it. The
    optional fields (humanCode, fieldOfStudy, creditsAvailable) are left out when None."""
    document: dict[str, Any] = {"@context": CONTEXT} if with_context else {}
    document |= {
        "id": achievement_id,
        "type": ["Achievement"],
        "achievementType": achievement_type,
        "name": name,
        "description": description,
        "criteria": {"id": criteria_id, "narrative": criteria_narrative},
        "image": {"id": image_id, "type": "Image"},
        "creator": dict(creator),
        "inLanguage": language,
    }
    optional = {
        "humanCode": human_code,
        "fieldOfStudy": field_of_study,
        "creditsAvailable": credits_available,
    }
    document |= {key: value for key, value in optional.items() if value is not None}
    if tags:
        document["tag"] = list(tags)
    if alignments:
        document["alignment"] = [alignment_ob3(alignment) for alignment in alignments]
    return document


def alignment_ob3(alignment: Alignment) -> dict[str, Any]:
    """An OB 3.0 Alignment: its type, its target… properties and targetType when given."""
    document: dict[str, Any] = {"type": ["Alignment"], **alignment.targets()}
    if alignment.target_type is not None:
        document["targetType"] = alignment.target_type
    return document

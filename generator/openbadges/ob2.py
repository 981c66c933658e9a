"""Open Badges 2.0 documents (hosted verification): Issuer profiles and BadgeClasses.

Spec: https://www.imsglobal.org/spec/ob/v2p0/ . Every `id` is the absolute URL at which the
document is served; a verifier fetches it and refetches if the body declares another id.
Pure functions of plain data (ids are absolute URLs, texts are in the document's language).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

CONTEXT = "https://w3id.org/openbadges/v2"


@dataclass(frozen=True)
class Alignment:
    """An entry of a framework a badge aligns with (OB 2.0 AlignmentObject, OB 3.0 Alignment)."""

    name: str
    url: str
    description: str | None = None
    framework: str | None = None
    code: str | None = None
    target_type: str | None = None
    """Open Badges 3.0 only (2.0's AlignmentObject has no targetType)."""

    def targets(self) -> dict[str, str]:
        """Its target… properties that both versions name; those not given are left out."""
        targets = {
            "targetName": self.name,
            "targetUrl": self.url,
            "targetDescription": self.description,
            "targetFramework": self.framework,
            "targetCode": self.code,
        }
        return {key: value for key, value in targets.items() if value is not None}


def issuer_profile(
    *,
    profile_id: str,
    name: str,
    url: str,
    email: str,
    description: str,
    image_id: str | None,
    assertions_under: str,
) -> dict[str, Any]:
    """The OB 2.0 Issuer profile of a structure, allowing assertions under one URL prefix."""
    profile: dict[str, Any] = {
        "@context": CONTEXT,
        "type": "Issuer",
        "id": profile_id,
        "name": name,
        "url": url,
        "email": email,
        "description": description,
        # On a project site (org.github.io/repo/) the host is shared with other repos, so
        # hosted assertions are scoped by URL prefix rather than by origin.
        "verification": {"type": "VerificationObject", "startsWith": [assertions_under]},
    }
    if image_id:
        profile["image"] = image_id
    return profile


def badge_class(
    *,
    class_id: str,
    name: str,
    description: str,
    image_id: str,
    criteria_id: str,
    criteria_narrative: str,
    issuer_id: str,
    achievement_id: str,
    tags: Sequence[str],
    alignments: Sequence[Alignment],
) -> dict[str, Any]:
    """The OB 2.0 BadgeClass of a badge as awarded by one structure (one issuer per BadgeClass)."""
    document: dict[str, Any] = {
        "@context": CONTEXT,
        "type": "BadgeClass",
        "id": class_id,
        "name": name,
        "description": description,
        "image": image_id,
        "criteria": {"id": criteria_id, "narrative": criteria_narrative},
        "issuer": issuer_id,
        # The shared definition this structure's BadgeClass derives from.
        "related": [{"id": achievement_id}],
    }
    if tags:
        document["tags"] = list(tags)
    if alignments:
        document["alignment"] = [alignment.targets() for alignment in alignments]
    return document


def badge_tags(*, domain: str | None, level: str | None, tags: Sequence[str]) -> list[str]:
    """A badge's tags: its domain and level names, then its own tags not already among them."""
    names = [name for name in (domain, level) if name is not None]
    return names + [tag for tag in tags if tag not in names]

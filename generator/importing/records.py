"""What an import reads from its sources, before anything is written: plain records of the
issuers, badge classes and awards as the original platform published them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from generator.site.model.imported import EarlierEvidence, EarlierRecipient
from generator.site.model.problems import Location

PLATFORMS = {
    "badgr.io": "Badgr",
    "badgr.com": "Badgr",
    "openbadgefactory.com": "Open Badge Factory",
}
"""Known hosts of the original platforms; any other source is named by its host."""


def platform_of(url: str) -> str:
    """The platform that published a URL: Badgr, Open Badge Factory, or the URL's host."""
    host = (urlsplit(url).hostname or "").lower()
    for known, name in PLATFORMS.items():
        if host == known or host.endswith("." + known):
            return name
    return host or "Open Badges 2.0"


@dataclass(frozen=True)
class ImportedIssuer:
    """An Open Badges 2.0 Issuer profile (or an OBF client)."""

    id: str
    name: str
    url: str | None
    email: str | None
    description: str | None
    image: str | None
    """A URL or a data: URI, as published."""
    source: Location


@dataclass(frozen=True)
class ImportedAlignment:
    """An alignment of a badge class, its fields named as a badge file names them."""

    name: str
    url: str
    description: str | None = None
    framework: str | None = None
    code: str | None = None
    type: str | None = None
    """Open Badges 3.0's targetType."""


@dataclass(frozen=True)
class ImportedBadge:
    """An Open Badges 2.0 BadgeClass."""

    id: str
    name: str
    description: str
    criteria: str | None
    """The criteria's narrative: Markdown, or HTML (converted and sanitised when written)."""
    criteria_url: str | None
    image: str | None
    """A URL or a data: URI, as published."""
    image_file: tuple[str, bytes] | None
    """An image given as a file beside the source (name, bytes), or extracted from it."""
    issuer: str | None
    """The issuer profile's id."""
    tags: tuple[str, ...]
    alignment: tuple[ImportedAlignment, ...]
    valid_for: tuple[tuple[str, int], ...]
    """The expiry rule: (unit, amount) pairs, units 'years', 'months' or 'days'."""
    platform: str
    source: Location
    languages: tuple[str, ...] = ()
    achievement: tuple[tuple[str, Any], ...] = ()
    """Open Badges 3.0 fields given (achievement_type, human_code, …), as a badge file
    names them."""


@dataclass(frozen=True)
class ImportedAward:
    """An Open Badges 2.0 Assertion (hosted), or what a revoked one still answers."""

    id: str
    badge: str | None
    """The badge class's id (None for a revoked assertion that no longer says)."""
    issued_on: str | None
    expires: str | None
    revoked: bool
    revocation_reason: str | None
    evidence: tuple[EarlierEvidence, ...]
    narrative: str | None
    recipient: EarlierRecipient | None
    platform: str
    source: Location


@dataclass
class Imported:
    """Everything read from the sources of one import, by original id."""

    issuers: dict[str, ImportedIssuer] = field(default_factory=dict)
    badges: dict[str, ImportedBadge] = field(default_factory=dict)
    awards: dict[str, ImportedAward] = field(default_factory=dict)

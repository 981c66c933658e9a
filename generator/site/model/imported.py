"""What came from another Open Badges platform: the original of an imported badge, and the
earlier awards that platform published (`build.py import`). Never signed by this site: the
original URL is the one that verifies."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from generator.site.model.problems import Location

EarlierStatus = Literal["valid", "expired", "revoked"]


@dataclass(frozen=True)
class Original:
    """Where an imported badge class was first published, and by which platform."""

    url: str
    platform: str


@dataclass(frozen=True)
class EarlierEvidence:
    """An evidence item of an earlier award: a URL and/or a narrative."""

    url: str | None
    narrative: str | None


@dataclass(frozen=True)
class EarlierRecipient:
    """The recipient's salted hash as the original published it: only for checking a
    request to re-issue (`issue --from-earlier`), never shown on the site."""

    type: str
    identity: str
    salt: str


@dataclass(frozen=True)
class EarlierAward:
    """An award published by another platform, from assertions/<issuer>/earlier/<slug>.yaml."""

    issuer: str
    slug: str
    original: str
    """The original hosted assertion's URL: the one that verifies."""
    platform: str
    badge: str
    issued_on: datetime
    expires: datetime | None
    revoked: bool
    revocation_reason: str | None
    evidence: tuple[EarlierEvidence, ...]
    narrative: str | None
    recipient: EarlierRecipient | None
    source: Location
    lines: Mapping[tuple[str | int, ...], int] = field(default_factory=dict, repr=False)

    def status(self, now: datetime) -> EarlierStatus:
        """Revoked, expired or valid at a moment; only a valid one counts as held."""
        if self.revoked:
            return "revoked"
        if self.expires is not None and self.expires <= now:
            return "expired"
        return "valid"

    def at(self, *path: str | int) -> Location:
        """The location of a field, or of the file."""
        line = self.lines.get(path)
        return self.source.at(line) if line is not None else self.source

"""Awards: the credentials the check stage accepted, with their status at a moment.

The model (network.py) is what the files say; an Award is what the build concluded from a
signed credential: who awarded which badge, valid when, revoked or not.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from generator.site.model.network import Badge, Issuer
from generator.site.model.signed import SignedFile

AwardStatus = Literal["valid", "expired", "revoked"]


@dataclass(frozen=True)
class Revocation:
    """Why and when an award was revoked, from its signed revocation record."""

    reason: str
    revoked_at: datetime
    signed_at: datetime


def revocation_reason(record: SignedFile) -> str:
    """The reason a signed revocation record gives, as the site shows it."""
    return str(record.document.get("description", ""))


@dataclass(frozen=True)
class Award:
    """A credential that verified: who awarded which badge, valid when, revoked or not."""

    issuer: Issuer
    badge: Badge
    slug: str
    credential: SignedFile
    valid_from: datetime
    valid_until: datetime | None
    signed_at: datetime
    key_id: str
    status_index: int
    revocation: Revocation | None

    def status(self, now: datetime) -> AwardStatus:
        """Revoked, expired or valid at a moment."""
        if self.revocation is not None:
            return "revoked"
        if self.valid_until is not None and now >= self.valid_until:
            return "expired"
        return "valid"

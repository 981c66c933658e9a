"""Endorsements: the EndorsementCredentials the check stage accepted, with their status at a
moment (as awards.py is for awards).

An endorser is the network, a structure (both sign with their issuer DID and keys), or an
outside organisation of content/endorsers/; what it endorses is a badge (its Achievement), a
structure or the network (its Profile).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from generator.site.model.awards import AwardStatus, Revocation
from generator.site.model.signed import SignedFile

EndorsedKind = Literal["badge", "issuer"]


@dataclass(frozen=True)
class Endorsement:
    """A signed endorsement that verified: who endorses what, valid when, revoked or not."""

    slug: str
    """Its id, the name of its file and of its published URL (endorsements/<slug>.json)."""
    endorser: str
    """The slug of a structure (or the network), or of an outside endorser."""
    endorsed: tuple[EndorsedKind, str]
    """What it endorses: ('badge', slug) or ('issuer', slug), the network being an issuer."""
    comment: str
    """What the endorser says, in Markdown (sanitised when shown)."""
    credential: SignedFile
    valid_from: datetime
    valid_until: datetime | None
    status_index: int
    revocation: Revocation | None = None

    def status(self, now: datetime) -> AwardStatus:
        """Revoked, expired or valid at a moment (only a valid one counts)."""
        if self.revocation is not None:
            return "revoked"
        if self.valid_until is not None and now >= self.valid_until:
            return "expired"
        return "valid"

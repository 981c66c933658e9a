"""A structure's earlier awards as its page lists them (partials/earlier_awards.html): the
awards another platform published before the structure came to this site, apart from the
awards it signed, never counted as held, revoked and expired ones marked."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from generator.site.model.network import Network


def earlier_of_issuer(network: Network, issuer: str, now: datetime) -> list[dict[str, Any]]:
    """A structure's earlier awards whose badge is known, newest first, with their status."""
    found = [
        {
            "earlier": award,
            "badge": network.badges[award.badge],
            "status": award.status(now),
            "issued_on": award.issued_on.date().isoformat(),
        }
        for (owner, _), award in network.earlier.items()
        if owner == issuer and award.badge in network.badges
    ]
    return sorted(found, key=lambda item: (item["issued_on"], item["earlier"].slug), reverse=True)

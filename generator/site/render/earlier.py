"""The pages of earlier awards: awards another platform published before the structure came
to this site (assertions/<issuer>/earlier/). Each says plainly that the original URL is the
one that verifies and that this site did not sign it; nothing about the recipient is shown
(their salted hash stays in the repository, for `issue --from-earlier`)."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import Any

from generator.site.model.imported import EarlierAward
from generator.site.model.output import Output
from generator.site.render.pages import PageRenderer

TEMPLATE = "earlier.html"


def render_earlier(renderer: PageRenderer) -> Iterator[Output]:
    """One page per earlier award whose structure and badge are known, in every language."""
    network, urls = renderer.network, renderer.urls
    for (issuer, slug), award in sorted(network.earlier.items()):
        if issuer in network.issuers and award.badge in network.badges:
            yield from renderer.render_each(
                TEMPLATE,
                partial(urls.earlier_award, issuer, slug),
                partial(earlier_context, renderer, award),
            )


def earlier_context(renderer: PageRenderer, award: EarlierAward, lang: str) -> dict[str, Any]:
    """What an earlier award's page shows, in one language (never its recipient)."""
    network, urls = renderer.network, renderer.urls
    page_url = urls.absolute(urls.earlier_award(award.issuer, award.slug, lang))
    badge = network.badges[award.badge]
    return {
        "earlier": award,
        "badge": badge,
        "issuer": network.issuers[award.issuer],
        "status": award.status(renderer.now),
        "issued_on": award.issued_on.date().isoformat(),
        "valid_until": award.expires.date().isoformat() if award.expires else None,
        "evidence": award.evidence,
        "page_url": page_url,
        "qr": renderer.qr_codes.image(page_url, badge.name.get(lang)),
    }

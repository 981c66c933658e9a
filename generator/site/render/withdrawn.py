"""Addresses that must answer although what they showed is gone: a short "no longer published"
page in every language, never a bare 404 (earners put these addresses on their CVs).

Two things may go: a person's portfolio, when they withdraw their consent (the person file
records it), and a revoked credential's file, deleted at its earner's request (its signed
revocation record stays). The portfolio's page reveals nothing about the person; the award's
OB 2.0 hosted assertion keeps answering as revoked, as it did before the file went.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from generator.openbadges.credential import revoked_assertion
from generator.site.model.awards import revocation_reason
from generator.site.model.network import Network
from generator.site.model.output import Output, json_bytes
from generator.site.model.urls import Urls
from generator.site.render.pages import PageRenderer

TEMPLATE = "withdrawn.html"


def render_withdrawn(renderer: PageRenderer) -> Iterator[Output]:
    """The pages (and revoked assertions) standing in for withdrawn portfolios and deleted,
    revoked credentials."""
    network, urls = renderer.network, renderer.urls
    for slug, person in sorted(network.people.items()):
        if person.portfolio_gone:
            yield from renderer.render(TEMPLATE, partial(urls.portfolio, slug), what="portfolio")
    for issuer, award in network.revoked_and_deleted:
        yield from renderer.render(TEMPLATE, partial(urls.award_page, issuer, award), what="award")
        yield Output(
            urls.assertion(issuer, award), json_bytes(_revoked(network, urls, issuer, award))
        )


def _revoked(network: Network, urls: Urls, issuer: str, award: str) -> dict[str, object]:
    """The OB 2.0 hosted assertion of a deleted credential: revoked, with its record's reason."""
    reason = revocation_reason(network.revocations[(issuer, award)])
    return revoked_assertion(urls.absolute(urls.assertion(issuer, award)), reason)

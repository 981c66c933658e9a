"""Check stage, earlier awards (assertions/<issuer>/earlier/): each names a known structure
and badge, dates that follow each other, and an original URL no other record claims."""

from __future__ import annotations

import re

from generator.site.model.network import Network
from generator.site.model.problems import Problems, one_of, suggest

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def check_earlier(network: Network, problems: Problems) -> None:
    """Report what is wrong with the earlier awards' records."""
    first_of: dict[str, str] = {}
    for (issuer, slug), award in sorted(network.earlier.items()):
        if not SLUG.match(slug):
            problems.error(
                award.source,
                "the file name is not a slug (lower-case letters, digits, '-'); it becomes the "
                "award's address: rename it",
            )
        if issuer not in network.issuers and f"issuer:{issuer}" not in network.unreadable:
            problems.error(
                award.source,
                f"'{issuer}' is no structure{suggest(issuer, network.issuers)}: move the record "
                f"to the folder of {one_of(network.issuers)}, or add content/issuers/{issuer}.yaml",
            )
        if award.badge not in network.badges and f"badge:{award.badge}" not in network.unreadable:
            problems.error(
                award.at("badge"),
                f"unknown badge '{award.badge}'{suggest(award.badge, network.badges)}; "
                "import its badge class too, or name the network badge it maps to",
            )
        if award.expires is not None and award.expires <= award.issued_on:
            problems.error(award.at("expires"), "expires before it was issued; fix the dates")
        if award.revocation_reason and not award.revoked:
            problems.error(
                award.at("revocation_reason"),
                "a revocation reason without 'revoked: true'; add it, or remove the reason",
            )
        earlier = first_of.setdefault(award.original, str(award.source))
        if earlier != str(award.source):
            problems.error(
                award.at("original"),
                f"the same original award is recorded in {earlier}; keep one of the two files",
            )

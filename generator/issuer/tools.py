"""What the issuer tools (keygen, issue, revoke) share: the refusal they raise, the checked
network they start from, the structure they act for, and how they write a moment.

The tools write the content repository (never the site); the build then verifies and
publishes what they wrote.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from generator.site.check.authority import prove_keys
from generator.site.check.content import check_content
from generator.site.load.network import load_network
from generator.site.model.network import Issuer, Network
from generator.site.model.problems import Problems, one_of, suggest


class ToolError(Exception):
    """A refusal of an issuer tool; the message says what to do."""


def iso(moment: datetime) -> str:
    """A moment as the tools write it in credentials and YAML: UTC, to the second."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def load_checked_network(source: Path) -> Network:
    """The content repository's network, loaded and checked, each structure with the keys
    its key history proves; its errors stop the tool."""
    problems = Problems()
    network = load_network(source, problems)
    check_content(network, problems)
    network = prove_keys(network, problems)
    problems.raise_if_errors()
    return network


def issuer_named(network: Network, slug: str) -> Issuer:
    """The structure a tool acts for; the network itself issues nothing."""
    issuer = network.issuers.get(slug)
    choices = [s for s in network.issuers if s != network.site.network]
    if slug == network.site.network:
        raise ToolError(
            f"'{slug}' is the network itself ('network: {slug}' in content/site.yaml): it defines "
            "the network's badges, but it signs no award; each structure signs the badges it "
            f"awards with its own key: give the structure's slug, {one_of(choices)}"
        )
    if issuer is None:
        raise ToolError(f"unknown issuer '{slug}'{suggest(slug, choices)}; {one_of(choices)}")
    return issuer

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
from generator.site.model.network import Endorser, Issuer, Network
from generator.site.model.problems import Problems, one_of, suggest


class ToolError(Exception):
    """A refusal of an issuer tool; the message says what to do."""


def iso(moment: datetime) -> str:
    """A moment as the tools write it in credentials and YAML: UTC, to the second."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


KeyHolder = Issuer | Endorser
"""Who holds keys the tools change: a structure, the network (which signs endorsements, never
awards), or an endorser whose DID the site hosts."""


def key_holder(network: Network, slug: str) -> KeyHolder:
    """The structure, the network or the endorser whose keys a tool creates or approves."""
    issuer = network.issuers.get(slug)
    if issuer is not None:
        return issuer
    endorser = network.endorsers.get(slug)
    if endorser is not None and endorser.did:
        raise ToolError(
            f"endorser '{slug}' signs with its own domain's DID ({endorser.did}): its keys are "
            f"in its DID document, vendored as content/endorsers/{slug}.did.json; to have the "
            f"site host its DID instead, remove 'did:' from content/endorsers/{slug}.yaml"
        )
    if endorser is not None:
        return endorser
    choices = [*network.issuers, *network.endorsers]
    raise ToolError(
        f"unknown structure or endorser '{slug}'{suggest(slug, choices)}; {one_of(choices)}"
    )


def key_history_file(holder: KeyHolder) -> str:
    """Where a key holder's history is, relative to the repository."""
    folder = "endorsers" if isinstance(holder, Endorser) else "issuers"
    return f"content/{folder}/{holder.slug}.keys.jsonl"


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

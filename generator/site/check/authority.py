"""Who may speak for a structure: its keys are those its key history proves, link by link
back to a first key the network's coordinators approved (key_history.py, coordinators.py);
its folder is its own, through the CODEOWNERS made from its maintainers (codeowners.py); and
with `--since`, nothing published is rewritten and every change of trust is shown
(authority_since.py).

`prove_keys` is what every command that reads keys runs (build, check, verify, the issuer
tools); `check_authority` adds what only the checks of a pull request need.
"""

from __future__ import annotations

from dataclasses import replace

from generator.site.check.authority_since import check_authority_since
from generator.site.check.codeowners import check_codeowners
from generator.site.check.coordinators import Coordinators, prove_coordinators
from generator.site.check.endorsers import with_vendored_keys
from generator.site.check.key_history import ProvenHistory, known_keys, prove_history
from generator.site.model.authority import KEY_HISTORY_SUFFIX, ProvenEntry
from generator.site.model.network import Issuer, Network
from generator.site.model.problems import Problems


def prove_keys(network: Network, problems: Problems) -> Network:
    """The network with each structure's keys as its key history proves them; the first
    refused entry of each log is reported at its line."""
    authority = network.authority
    coordinators = prove_coordinators(
        authority.coordinators, needed=bool(authority.histories), problems=problems
    )
    _check_owners(network, problems)
    known = known_keys(authority.histories)
    proven = {
        slug: prove_history(slug, history, coordinators, known, problems)
        for slug, history in sorted(authority.histories.items())
        if _has_owner(network, slug)
    }
    issuers = {
        slug: _with_keys(issuer, proven.get(slug, ProvenHistory()))
        for slug, issuer in network.issuers.items()
    }
    endorsers = {
        slug: endorser
        if endorser.did
        else replace(
            endorser,
            keys=(history := proven.get(slug, ProvenHistory())).keys,
            unproven=history.unproven,
        )
        for slug, endorser in network.endorsers.items()
    }
    entries: dict[str, tuple[ProvenEntry, ...]] = {
        slug: history.entries for slug, history in proven.items()
    }
    network = replace(
        network,
        issuers=issuers,
        endorsers=endorsers,
        authority=replace(authority, proven=entries),
    )
    return with_vendored_keys(network, problems)


def proven_coordinators(network: Network, problems: Problems) -> Coordinators:
    """The proven versions of the network's coordinators' log."""
    authority = network.authority
    return prove_coordinators(
        authority.coordinators, needed=bool(authority.histories), problems=problems
    )


def check_authority(
    network: Network, problems: Problems, before: Network | None = None, since: str | None = None
) -> Network:
    """prove_keys, then the structures' maintainers and CODEOWNERS, and with since (a git
    revision, `before` the network then) the logs kept append-only and the changes of trust
    as notices."""
    network = prove_keys(network, problems)
    check_codeowners(network, problems)
    if since is not None:
        check_authority_since(before, network, since, problems)
    return network


def _has_owner(network: Network, slug: str) -> bool:
    """Whether a key history has a structure's file beside it, or the file of an endorser whose
    DID the site hosts (read, or reported broken)."""
    endorser = network.endorsers.get(slug)
    return (
        slug in network.issuers
        or f"issuer:{slug}" in network.unreadable
        or (endorser is not None and not endorser.did)
        or f"endorser:{slug}" in network.unreadable
    )


def _check_owners(network: Network, problems: Problems) -> None:
    """A key history belongs to a structure of the network (the network itself included: it
    signs endorsements, never awards), or to an endorser whose DID the site hosts."""
    for slug, history in sorted(network.authority.histories.items()):
        endorser = network.endorsers.get(slug)
        if endorser is not None and endorser.did:
            problems.error(
                history.source,
                f"endorser '{slug}' signs with its own domain's DID ({endorser.did}), whose "
                "keys are in its vendored DID document: remove this file, or the 'did:' of "
                f"content/endorsers/{slug}.yaml for the site to host its DID",
            )
        elif not _has_owner(network, slug):
            problems.error(
                history.source,
                f"no structure '{slug}' (content/issuers/{slug}.yaml) nor endorser "
                f"(content/endorsers/{slug}.yaml) holds this key history; a "
                f"{KEY_HISTORY_SUFFIX} file is named after its owner's file",
            )


def _with_keys(issuer: Issuer, history: ProvenHistory) -> Issuer:
    return replace(issuer, keys=history.keys, unproven=history.unproven)

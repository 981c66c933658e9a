"""`approve`: a coordinator adds their proof to the last entry of a structure's key history (a
first key, a recovery), or of the network coordinators' log (a new version of it), once they
have checked who asks for it. Each proof counts once; an entry complete already, or refused
for another reason than its approvals, is not signed."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from generator.issuer.key_logs import last_line, signed, with_last_line, write_log
from generator.issuer.keys import KeyFileError, read_private_key
from generator.issuer.tools import ToolError, key_holder
from generator.openbadges.multikey import public_key_multibase
from generator.site.check.coordinators import (
    CoordinatorsState,
    judge_coordinators,
    prove_coordinators,
)
from generator.site.check.key_history import judge_entry, known_keys
from generator.site.check.key_logs import Judgement, verified_proofs
from generator.site.load.network import load_network
from generator.site.model.authority import CoordinatorsEntry, KeyHistoryEntry, Log
from generator.site.model.network import Network
from generator.site.model.problems import BuildFailed, Problem, Problems

Entry = TypeVar("Entry", KeyHistoryEntry, CoordinatorsEntry)


@dataclass(frozen=True)
class Approved:
    """What an approval did: the log and entry it signed, and what the entry still lacks
    (None: it is complete)."""

    what: str
    version: int
    still: str | None


def approve(source: Path, slug: str | None, key_file: Path) -> Approved:
    """Add a coordinator's proof to the last entry of a structure's key history (slug), or of
    the coordinators' log (slug None)."""
    key = read_private_key(key_file)
    # The content's own problems are the checks' business: an approval needs the logs only.
    network = load_network(source, Problems())
    if slug is None:
        return _approve_coordinators(source, network, key, key_file)
    issuer = key_holder(network, slug)
    history = network.authority.histories.get(issuer.slug)
    if history is None or not history.entries:
        raise ToolError(
            f"{issuer.slug} has no key history yet: the structure creates its key with "
            f"'build.py keygen {issuer.slug} --key-file …', then asks for approval"
        )
    coordinators = prove_coordinators(network.authority.coordinators, True, Problems())
    known = known_keys(network.authority.histories)

    def judge(entry: KeyHistoryEntry, before: KeyHistoryEntry | None) -> Judgement:
        return judge_entry(issuer.slug, entry, before, coordinators, known)[0]

    entry = _pending(history, judge)
    state = coordinators.at(entry.date)
    multibase = public_key_multibase(key)
    if state is None or state.coordinator(multibase) is None:
        raise KeyFileError(_not_a_coordinator(key_file, state))
    return _sign(source, history, entry, key, key_file, judge, f"{issuer.slug}'s key history")


def _approve_coordinators(
    source: Path, network: Network, key: Ed25519PrivateKey, key_file: Path
) -> Approved:
    log = network.authority.coordinators
    if log is None or not log.entries:
        raise ToolError(
            "the network has no coordinators' log yet; create it with 'build.py init-trust'"
        )
    entry = _pending(log, judge_coordinators)
    before = log.entries[-2] if len(log.entries) > 1 else None
    multibase = public_key_multibase(key)
    named = [e for e in (before, entry) if e is not None]
    if not any(c.public_key_multibase == multibase for e in named for c in e.coordinators):
        raise KeyFileError(
            f"{key_file}: not the key of a coordinator of version {entry.version}"
            + (f" or of version {before.version}" if before else "")
            + "; give your own coordinator's key"
        )
    return _sign(source, log, entry, key, key_file, judge_coordinators, "the coordinators' log")


def _pending(log: Log[Entry], judge: Callable[[Entry, Entry | None], Judgement]) -> Entry:
    """The log's last entry, which must be its first refused one, lacking approvals only."""
    last_line(log)
    before: Entry | None = None
    for entry in log.entries:
        judgement = judge(entry, before)
        if judgement.problem is not None:
            if entry is not log.entries[-1] or not judgement.awaiting:
                why = "" if entry is not log.entries[-1] else "; it cannot be approved as it is"
                raise BuildFailed([Problem(entry.line.source, "error", judgement.problem + why)])
            return entry
        before = entry
    raise ToolError(
        f"{log.source}: version {log.entries[-1].version} is approved already; there is "
        "nothing to approve"
    )


def _sign(
    source: Path,
    log: Log[Entry],
    entry: Entry,
    key: Ed25519PrivateKey,
    key_file: Path,
    judge: Callable[[Entry, Entry | None], Judgement],
    what: str,
) -> Approved:
    """Add the key's proof to the log's last entry, and say what it still lacks."""
    if public_key_multibase(key) in verified_proofs(entry.line).signers:
        raise ToolError(f"{key_file}: this key has approved this entry already; it counts once")
    document = signed(entry.line.document, [key])
    write_log(source / log.source.path, with_last_line(log, document))
    before = log.entries[-2] if len(log.entries) > 1 else None
    after = judge(_with_document(entry, document), before)
    return Approved(what, entry.version, after.problem)


def _with_document(entry: Entry, document: Mapping[str, Any]) -> Entry:
    """The entry with its new proofs (judging it needs its JSON, not its bytes)."""
    return replace(entry, line=replace(entry.line, document=document))


def _not_a_coordinator(key_file: Path, state: CoordinatorsState | None) -> str:
    if state is None:
        return f"{key_file}: no coordinators were in force when the entry was made"
    return (
        f"{key_file}: not the key of a coordinator in force when the entry was made (version "
        f"{state.version} of the coordinators' log: {state.names()}); give your own "
        "coordinator's key"
    )

"""Trust against what was published (`check --since REV`, `build --since REV`): every key
history and the coordinators' log published at REV are prefixes of today's (the first root is
the first version as committed, and every later one is checked against it), and every
change of who may speak for a structure since REV is shown as a notice, valid or not: a key
history's new entries, a new structure, changed maintainers, a new version of the
coordinators' log. Pull-request checks print them on the diff, for the coordinators to see."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from generator.openbadges.dataintegrity import ProofError
from generator.openbadges.eddsa_jcs import proofs_of, signer_of
from generator.site.check.codeowners import owners
from generator.site.check.key_history import describe_changes, key_changes, known_keys
from generator.site.check.key_logs import short
from generator.site.model.authority import (
    CoordinatorsEntry,
    KeyHistoryEntry,
    Log,
    LogLine,
)
from generator.site.model.network import Network
from generator.site.model.problems import Problems

Entry = TypeVar("Entry", KeyHistoryEntry, CoordinatorsEntry)


def check_authority_since(
    before: Network | None, now: Network, revision: str, problems: Problems
) -> None:
    """Refuse a log rewritten since the revision; report each change of trust as a notice."""
    old = before.authority if before is not None else None
    names = _coordinator_names(now)
    keys = {**names, **known_keys(now.authority.histories)}
    for slug, history in sorted(now.authority.histories.items()):
        published = old.histories.get(slug) if old else None
        kept = _kept(published, history, f"{slug}'s key history", revision, problems)
        if kept is None:
            continue
        for index in range(kept, len(history.entries)):
            entry, previous = history.entries[index], history.entries[index - 1] if index else None
            problems.notice(entry.line.source, _history_notice(slug, entry, previous, keys))
    for slug, history in sorted(old.histories.items() if old else ()):
        if slug not in now.authority.histories:
            problems.error(
                history.source,
                f"{slug}'s key history was published at {revision} and is deleted: it proves "
                "every key that signed the structure's credentials; restore it",
            )
    _coordinators_since(old.coordinators if old else None, now, revision, names, problems)
    _structures_since(before, now, problems)


def _kept(
    published: Log[Entry] | None, log: Log[Entry], what: str, revision: str, problems: Problems
) -> int | None:
    """How many entries the log held at the revision (they must be its first lines, byte for
    byte); None when it was rewritten (reported)."""
    if published is None:
        return 0
    then, today = _lines(published.data), _lines(log.data)
    for number, line in enumerate(then, start=1):
        if number > len(today) or today[number - 1] != line:
            problems.error(
                log.source.at(min(number, len(today) + 1)),
                f"{what} published at {revision} is rewritten at line {number}; a key log is "
                f"append-only: restore it as it was at {revision} and add entries after it",
            )
            return None
    return min(len(then), len(log.entries))


def _lines(data: bytes) -> list[bytes]:
    lines = [line.removesuffix(b"\r") for line in data.split(b"\n")]
    return lines[:-1] if lines and lines[-1] == b"" else lines


def _history_notice(
    slug: str, entry: KeyHistoryEntry, previous: KeyHistoryEntry | None, names: Mapping[str, str]
) -> str:
    keys = {key.id: key for key in previous.keys} if previous else {}
    changes, _ = key_changes(keys, entry)
    what = describe_changes(changes) or "changes no key"
    own = {key.public_key_multibase: f"its key '{key.id}'" for key in [*keys.values(), *entry.keys]}
    signed = _signers(entry.line, {**names, **own})
    kind = "first key" if entry.version == 1 else "key change"
    return (
        f"{kind} of {slug}: version {entry.version} {what}; signed by {signed}; check that "
        f"{slug} asked for it (and, for a first key or a recovery, who holds the new key)"
    )


def _coordinators_since(
    published: Log[CoordinatorsEntry] | None,
    now: Network,
    revision: str,
    names: Mapping[str, str],
    problems: Problems,
) -> None:
    log = now.authority.coordinators
    if log is None:
        if published is not None:
            problems.error(
                published.source,
                f"the coordinators' log was published at {revision} and is deleted: it is "
                "the root every key history is proven from; restore it",
            )
        return
    kept = _kept(published, log, "the coordinators' log", revision, problems)
    if kept is None:
        return
    for index in range(kept, len(log.entries)):
        entry = log.entries[index]
        previous = log.entries[index - 1] if index else None
        members = ", ".join(c.id for c in entry.coordinators)
        change = _membership(previous, entry)
        problems.notice(
            entry.line.source,
            f"the network's coordinators: version {entry.version} names {members}, "
            f"{entry.threshold} of whom must approve{change}; signed by "
            f"{_signers(entry.line, names)}; every structure's first key and recovery is "
            "approved by them",
        )


def _membership(previous: CoordinatorsEntry | None, entry: CoordinatorsEntry) -> str:
    if previous is None:
        return " (the first version: the network's root of trust)"
    before = {c.id for c in previous.coordinators}
    after = {c.id for c in entry.coordinators}
    parts = [f"adds {c}" for c in sorted(after - before)]
    parts += [f"removes {c}" for c in sorted(before - after)]
    keys = {c.id: c.public_key_multibase for c in previous.coordinators}
    parts += [
        f"changes the key of {c.id}"
        for c in entry.coordinators
        if c.id in keys and keys[c.id] != c.public_key_multibase
    ]
    if previous.threshold != entry.threshold:
        parts.append(f"threshold {previous.threshold} → {entry.threshold}")
    return f" ({', '.join(parts)})" if parts else ""


def _structures_since(before: Network | None, now: Network, problems: Problems) -> None:
    old = before.issuers if before is not None else {}
    unreadable = before.unreadable if before is not None else frozenset()
    for slug, issuer in sorted(now.issuers.items()):
        maintainers = owners(issuer.maintainers) or "nobody yet"
        if slug not in old and f"issuer:{slug}" not in unreadable:
            problems.notice(
                issuer.at(),
                f"new structure '{slug}', maintained by {maintainers}: check that the request "
                "comes from the structure itself before its first key is approved",
            )
        elif slug in old and old[slug].maintainers != issuer.maintainers:
            whose = "the network's" if slug == now.site.network else f"{slug}'s"
            problems.notice(
                issuer.at("maintainers"),
                f"{whose} maintainers change from {owners(old[slug].maintainers) or 'nobody'} "
                f"to {maintainers}: they approve every change to its files; check that "
                f"{slug} asked for it",
            )


def _coordinator_names(network: Network) -> dict[str, str]:
    """Every key a version of the coordinators' log names: publicKeyMultibase -> who."""
    log = network.authority.coordinators
    return {
        c.public_key_multibase: f"coordinator {c.id}"
        for entry in (log.entries if log else ())
        for c in entry.coordinators
    }


def _signers(line: LogLine, names: Mapping[str, str]) -> str:
    """Who signed an entry, in words (a proof that does not verify is said so)."""
    try:
        proofs = proofs_of(line.document)
    except ProofError:
        return "nobody"
    said = []
    for proof in proofs:
        try:
            signer = signer_of(line.document, proof)
        except (ProofError, ValueError):
            said.append("a proof that does not verify")
            continue
        said.append(names.get(signer, f"an unknown key ({short(signer)})"))
    return ", ".join(said) if said else "nobody"

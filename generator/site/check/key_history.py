"""A structure's key history: which keys may sign for it, proven entry by entry.

Each entry states the structure's whole key set after a change and is checked against the
entry before it (the rules below); the structure's keys are those of its last proven entry,
and an entry that is refused stops the history there (its keys, and those of the entries
after it, sign nothing).

- Version 1 (the first keys) is approved by the network's coordinators' threshold.
- An entry that grants authority (adds a key, or extends one's validity) is signed by a key
  of the entry before that is valid at the entry's date (a rotation), or approved by the
  coordinators' threshold (a recovery after a lost key).
- An entry that only takes authority away (retires a key, marks it compromised) is signed by
  any key of the entry before not compromised by then, even the one it marks, or approved by
  the coordinators' threshold.
- Every key an entry adds signs it too (proof of possession); keys published before the
  coordinators' log began, carried over by `init-trust`, are vouched for by its approval.
- A key is never removed, nor its public part changed: everything it signed names it.
- No other key may sign (another structure's keys included).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from generator.site.check.coordinators import Coordinators, CoordinatorsState
from generator.site.check.key_logs import (
    APPEND_ONLY,
    Judgement,
    Link,
    Proofs,
    chain_problem,
    short,
    verified_proofs,
)
from generator.site.model.authority import (
    KEY_HISTORY_SUFFIX,
    KeyChange,
    KeyHistory,
    KeyHistoryEntry,
    ProvenEntry,
    PublicKey,
)
from generator.site.model.problems import Problems


@dataclass(frozen=True)
class ProvenHistory:
    """What a key history proves: the structure's keys, the entries proven, and the keys it
    names without proving them (by id: why)."""

    keys: tuple[PublicKey, ...] = ()
    entries: tuple[ProvenEntry, ...] = ()
    unproven: Mapping[str, str] = field(default_factory=dict)


def known_keys(histories: Mapping[str, KeyHistory]) -> dict[str, str]:
    """Every key the network's key histories name: publicKeyMultibase -> "key 'key-1' of
    biklab" (to name another structure's key that signed what it may not)."""
    return {
        key.public_key_multibase: f"key '{key.id}' of {slug}"
        for slug, history in sorted(histories.items())
        for entry in history.entries
        for key in entry.keys
    }


def approve_command(slug: str) -> str:
    """What a coordinator runs to approve a structure's last entry."""
    return f"'build.py approve {slug} --key-file COORDINATOR.pem'"


def prove_history(
    slug: str,
    history: KeyHistory,
    coordinators: Coordinators,
    known: Mapping[str, str],
    problems: Problems,
) -> ProvenHistory:
    """Prove a structure's key history entry by entry; the first entry refused is reported
    at its line (unless its cause is the coordinators' log's, reported there).

    known: every key the network's histories name (publicKeyMultibase: "key 'key-1' of
    biklab"), to say whose key signed what it may not."""
    before: KeyHistoryEntry | None = None
    proven: list[ProvenEntry] = []
    for index, entry in enumerate(history.entries):
        judgement, done = judge_entry(slug, entry, before, coordinators, known)
        if done is None:
            if not judgement.elsewhere:
                problems.error(entry.line.source, str(judgement.problem))
            reason = f"has no valid proof in {entry.line.source}: {judgement.problem}"
            kept = before.keys if before else ()
            unproven = {
                key.id: f"key '{key.id}' of {slug} {reason}"
                for later in history.entries[index:]
                for key in later.keys
                if key.id not in {proven_key.id for proven_key in kept}
            }
            return ProvenHistory(kept, tuple(proven), unproven)
        proven.append(done)
        before = entry
    return ProvenHistory(before.keys if before else (), tuple(proven))


def judge_entry(
    slug: str,
    entry: KeyHistoryEntry,
    before: KeyHistoryEntry | None,
    coordinators: Coordinators,
    known: Mapping[str, str],
) -> tuple[Judgement, ProvenEntry | None]:
    """What the rules say of one entry, given the proven entry before it; the entry in words
    when it is proven."""
    problem = _place_problem(slug, entry, before) or _keys_problem(entry, before)
    if problem is not None:
        return Judgement(problem), None
    previous = {key.id: key for key in before.keys} if before else {}
    changes, grants = key_changes(previous, entry)
    if not changes:
        return Judgement(f"version {entry.version} changes no key; remove it"), None
    proofs = verified_proofs(entry.line)
    if proofs.problems:
        return Judgement("; ".join(proofs.problems)), None
    state = coordinators.at(entry.date)
    added = [key for key in entry.keys if key.id not in previous]
    problem = _signers_problem(slug, entry, proofs, previous, added, state, known)
    if problem is None:
        problem = _possession_problem(entry, proofs, added, coordinators)
    if problem is not None:
        return Judgement(problem), None
    signer = _structure_signer(entry, proofs, previous, grants)
    approving = state.approving(proofs.signers) if state else ()
    approved = state is not None and len(approving) >= state.threshold
    if (signer is None or entry.version == 1) and not approved:
        return _not_authorised(slug, entry, changes, grants, proofs, state, coordinators), None
    return Judgement(), ProvenEntry(
        entry.version,
        entry.date,
        tuple(changes),
        signer.id if signer else None,
        approving if approved else (),
        entry.line.source,
    )


def _place_problem(slug: str, entry: KeyHistoryEntry, before: KeyHistoryEntry | None) -> str | None:
    if entry.issuer != slug:
        return (
            f"this entry is of structure '{entry.issuer}', not of {slug}: a key history "
            f"stays in its own structure's file ({entry.issuer}{KEY_HISTORY_SUFFIX}); "
            "a structure's keys are never taken from another's history; " + APPEND_ONLY
        )
    return chain_problem(_link(entry), _link(before) if before else None)


def _keys_problem(entry: KeyHistoryEntry, before: KeyHistoryEntry | None) -> str | None:
    ids = [key.id for key in entry.keys]
    if len(set(ids)) != len(ids):
        return "a key id is used twice; each key has its own id"
    if len({key.public_key_multibase for key in entry.keys}) != len(ids):
        return "the same public key is listed twice; list each key once"
    now = {key.id: key for key in entry.keys}
    for key in before.keys if before else ():
        if key.id not in now:
            return (
                f"key '{key.id}' of version {before.version if before else 0} is missing: a key "
                "is never removed (its DID document keeps it: what it signed names it); mark "
                "it retired or compromised instead"
            )
        if now[key.id].public_key_multibase != key.public_key_multibase:
            return (
                f"key '{key.id}' changes its public key: an id names one key forever (what "
                "it signed names it); add the new key under a new id with 'build.py keygen'"
            )
    return None


def key_changes(
    previous: Mapping[str, PublicKey], entry: KeyHistoryEntry
) -> tuple[list[KeyChange], bool]:
    """What an entry does to each key, and whether it grants any authority (adds a key or
    extends one's validity) rather than only taking some away."""
    changes: list[KeyChange] = []
    grants = False
    for key in entry.keys:
        old = previous.get(key.id)
        if old is None:
            changes.append(KeyChange(key.id, "added", key.valid_from))
            grants = True
        elif _extends(old, key):
            changes.append(KeyChange(key.id, "extended", entry.date))
            grants = True
        elif key.valid_from > old.valid_from:
            changes.append(KeyChange(key.id, "restricted", entry.date))
        if key.valid_until and _sooner(key.valid_until, old.valid_until if old else None):
            changes.append(KeyChange(key.id, "retired", key.valid_until))
        if key.compromised_at and _sooner(key.compromised_at, old.compromised_at if old else None):
            changes.append(KeyChange(key.id, "compromised", key.compromised_at))
    changes.sort(key=lambda change: (change.moment, change.change != "added"))
    return changes, grants


def _sooner(moment: datetime, before: datetime | None) -> bool:
    """Whether an end (retired, compromised) is new, or earlier than the one before."""
    return before is None or moment < before


def _extends(old: PublicKey, new: PublicKey) -> bool:
    """Whether a key may sign at a moment it could not before."""
    later_until = old.valid_until is not None and (
        new.valid_until is None or new.valid_until > old.valid_until
    )
    later_compromise = old.compromised_at is not None and (
        new.compromised_at is None or new.compromised_at > old.compromised_at
    )
    return new.valid_from < old.valid_from or later_until or later_compromise


def _signers_problem(
    slug: str,
    entry: KeyHistoryEntry,
    proofs: Proofs,
    previous: Mapping[str, PublicKey],
    added: Sequence[PublicKey],
    state: CoordinatorsState | None,
    known: Mapping[str, str],
) -> str | None:
    """A proof by a key that may not sign for this structure at all."""
    own = {key.public_key_multibase for key in [*previous.values(), *added]}
    for number, signer in enumerate(proofs.signers, start=1):
        if signer in own or (state is not None and state.coordinator(signer)):
            continue
        whose = known.get(signer, f"a key that is neither {slug}'s nor a coordinator's")
        may = ", ".join(f"'{key}'" for key in previous) or "none yet"
        coordinators = state.names() if state else "none were in force on that date"
        return (
            f"proof {number} is by {whose} ({short(signer)}), which may not sign for {slug}; "
            f"may sign: {slug}'s keys ({may}), the keys it adds, and the network's "
            f"coordinators ({coordinators}); remove the proof"
        )
    return None


def _possession_problem(
    entry: KeyHistoryEntry,
    proofs: Proofs,
    added: Sequence[PublicKey],
    coordinators: Coordinators,
) -> str | None:
    """An added key that did not sign: nobody showed they hold it."""
    root = coordinators.root_date
    for key in added:
        carried = entry.version == 1 and root is not None and key.valid_from < root
        if key.public_key_multibase not in proofs.signers and not carried:
            return (
                f"key '{key.id}' is added without its own proof: a new key signs the entry "
                "that adds it (so that no one adds a key they do not hold); add keys with "
                "'build.py keygen', which signs with them"
            )
    return None


def _structure_signer(
    entry: KeyHistoryEntry, proofs: Proofs, previous: Mapping[str, PublicKey], grants: bool
) -> PublicKey | None:
    """The structure's own key whose proof gives the entry its authority: one valid at the
    entry's date to grant authority; one not compromised by then to take some away."""
    for key in previous.values():
        if key.public_key_multibase not in proofs.signers:
            continue
        if key.valid_at(entry.date) if grants else not _compromised_by(key, entry):
            return key
    return None


def _compromised_by(key: PublicKey, entry: KeyHistoryEntry) -> bool:
    return key.compromised_at is not None and key.compromised_at <= entry.date


def _not_authorised(
    slug: str,
    entry: KeyHistoryEntry,
    changes: Sequence[KeyChange],
    grants: bool,
    proofs: Proofs,
    state: CoordinatorsState | None,
    coordinators: Coordinators,
) -> Judgement:
    """Why an entry lacks the authority it needs, and who can give it."""
    if state is None and coordinators.refused is not None:
        return Judgement(
            f"the network's coordinators cannot approve it: {coordinators.refused}",
            elsewhere=True,
        )
    if state is None:
        return Judgement(
            f"no coordinators were in force on {entry.date.isoformat()} to approve version "
            f"{entry.version} (the coordinators' log begins on {coordinators.root_date}); "
            + APPEND_ONLY
        )
    approving = state.approving(proofs.signers)
    so_far = f"{len(approving)} so far" + (f": {', '.join(approving)}" if approving else "")
    coordinators_say = (
        f"approved by {state.threshold} of the network's coordinators ({state.names()}; "
        f"{so_far}), each running {approve_command(slug)}"
    )
    what = describe_changes(changes)
    if entry.version == 1:
        return Judgement(
            f"version 1 ({what}) is not approved yet: a structure's first key is "
            + coordinators_say,
            awaiting=True,
        )
    if grants:
        return Judgement(
            f"version {entry.version} ({what}) is signed by no key of {slug} valid on "
            f"{entry.date.isoformat()}: a rotation is signed with the current key "
            f"('build.py keygen {slug} --key-file NEW --current-key-file OLD'); a first key "
            "or a recovery is " + coordinators_say,
            awaiting=True,
        )
    return Judgement(
        f"version {entry.version} ({what}) is signed by no key of {slug}: it is signed with "
        f"any of the structure's keys ('build.py mark-compromised {slug} …'), or "
        + coordinators_say,
        awaiting=True,
    )


def _describe(change: KeyChange) -> str:
    verb = {
        "added": "adds",
        "retired": "retires",
        "compromised": "marks compromised",
        "extended": "extends the validity of",
        "restricted": "restricts the validity of",
    }[change.change]
    return f"{verb} key '{change.key_id}'"


def describe_changes(changes: Sequence[KeyChange]) -> str:
    """'adds key 'key-2', retires key 'key-1''."""
    return ", ".join(_describe(change) for change in changes)


def _link(entry: KeyHistoryEntry) -> Link:
    return Link(entry.line, entry.version, entry.previous, entry.date)

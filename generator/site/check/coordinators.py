"""The network's root of trust: content/trust/coordinators.jsonl, the coordinators who approve
a structure's first key and its recovery, and how many of them must (TUF's root: each
version is approved by the threshold of the coordinators before it, and by its own threshold
of the coordinators it names, so that no version names keys nobody holds). The first version
is what the repository held when the log was made; `--since` keeps every later version
appended to it (authority_since.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from generator.site.check.key_logs import Judgement, Link, chain_problem, short, verified_proofs
from generator.site.model.authority import COORDINATORS_LOG, Coordinator, CoordinatorsEntry, Log
from generator.site.model.problems import Location, Problems

APPROVE_COORDINATORS = "'build.py approve --coordinators --key-file YOUR-KEY.pem'"


@dataclass(frozen=True)
class CoordinatorsState:
    """The coordinators of one proven version of the log."""

    version: int
    date: datetime
    threshold: int
    coordinators: tuple[Coordinator, ...]
    source: Location

    def coordinator(self, multibase: str) -> Coordinator | None:
        """The coordinator holding a key, if one does."""
        return next((c for c in self.coordinators if c.public_key_multibase == multibase), None)

    def approving(self, signers: Sequence[str]) -> tuple[str, ...]:
        """The ids of the coordinators among some signers."""
        return tuple(c.id for key in signers if (c := self.coordinator(key)) is not None)

    def names(self) -> str:
        """'alice, bob, carol'."""
        return ", ".join(c.id for c in self.coordinators)


@dataclass(frozen=True)
class Coordinators:
    """The proven versions of the coordinators' log, oldest first; `refused` says why there
    are no more (the cause is reported at the log), for the messages of its consequences."""

    states: tuple[CoordinatorsState, ...] = ()
    refused: str | None = None

    def at(self, moment: datetime) -> CoordinatorsState | None:
        """The coordinators in force at a moment: the last version dated at or before it."""
        return next((s for s in reversed(self.states) if s.date <= moment), None)

    @property
    def root_date(self) -> datetime | None:
        """When the first version was made: keys published before it were carried over."""
        return self.states[0].date if self.states else None


def prove_coordinators(
    log: Log[CoordinatorsEntry] | None, needed: bool, problems: Problems
) -> Coordinators:
    """The proven versions of the coordinators' log; the first refused entry is reported at
    its line (needed: some structure has a key history, so the log must exist)."""
    if log is None:
        if not needed:
            return Coordinators()
        problems.error(
            Location(COORDINATORS_LOG),
            "missing: the network's coordinators approve each structure's first key, and "
            "they are listed here; create it once with 'build.py init-trust' (README, "
            "'Keys: who may speak for a structure')",
        )
        return Coordinators(refused=f"{COORDINATORS_LOG} is missing")
    states: list[CoordinatorsState] = []
    before: CoordinatorsEntry | None = None
    for entry in log.entries:
        problem = judge_coordinators(entry, before).problem
        if problem is not None:
            problems.error(entry.line.source, problem)
            return Coordinators(tuple(states), f"{entry.line.source} is refused")
        states.append(_state(entry))
        before = entry
    if not log.complete:
        return Coordinators(tuple(states), f"{log.source} could not be read in full")
    return Coordinators(tuple(states))


def _state(entry: CoordinatorsEntry) -> CoordinatorsState:
    return CoordinatorsState(
        entry.version, entry.date, entry.threshold, entry.coordinators, entry.line.source
    )


def judge_coordinators(entry: CoordinatorsEntry, before: CoordinatorsEntry | None) -> Judgement:
    """What the rules say of one version of the coordinators' log, given the one before."""
    problem = chain_problem(_link(entry), _link(before) if before else None)
    if problem is not None or (problem := _shape_problem(entry)) is not None:
        return Judgement(problem)
    proofs = verified_proofs(entry.line)
    if proofs.problems:
        return Judgement("; ".join(proofs.problems))
    new = _state(entry)
    old = _state(before) if before is not None else None
    for number, signer in enumerate(proofs.signers, start=1):
        if new.coordinator(signer) is None and (old is None or old.coordinator(signer) is None):
            return Judgement(
                f"proof {number} is by a key that is not a coordinator's ({short(signer)}); "
                f"only the coordinators of version {entry.version}"
                + (f" and of version {old.version}" if old else "")
                + " may sign it; remove the proof"
            )
    shortfalls = []
    if old is not None and len(old.approving(proofs.signers)) < old.threshold:
        shortfalls.append(
            _shortfall(old, proofs.signers, f"the coordinators of version {old.version}")
        )
    if len(new.approving(proofs.signers)) < new.threshold:
        shortfalls.append(_shortfall(new, proofs.signers, "the coordinators it names"))
    if shortfalls:
        return Judgement(
            f"version {entry.version} is not approved yet: it has "
            + ", and ".join(shortfalls)
            + f"; each of them adds their approval with {APPROVE_COORDINATORS}"
            + (
                " (a new coordinator too: no one is named without holding their key)" if old else ""
            ),
            awaiting=True,
        )
    return Judgement()


def _shortfall(state: CoordinatorsState, signers: Sequence[str], who: str) -> str:
    approving = state.approving(signers)
    so_far = ", ".join(approving) if approving else "none yet"
    return (
        f"{len(approving)} of the {state.threshold} approvals of {who} ({state.names()}) it "
        f"needs ({so_far})"
    )


def _shape_problem(entry: CoordinatorsEntry) -> str | None:
    ids = [c.id for c in entry.coordinators]
    keys = [c.public_key_multibase for c in entry.coordinators]
    if len(set(ids)) != len(ids):
        return "a coordinator is named twice; name each once"
    if len(set(keys)) != len(keys):
        return "two coordinators hold the same key; each coordinator has a key of their own"
    if entry.threshold > len(ids):
        return (
            f"threshold {entry.threshold} is more than the {len(ids)} coordinators named; "
            "no version could ever be approved"
        )
    return None


def _link(entry: CoordinatorsEntry) -> Link:
    return Link(entry.line, entry.version, entry.previous, entry.date)

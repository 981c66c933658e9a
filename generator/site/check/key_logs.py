"""What every entry of a key history and of the coordinators' log must satisfy: its place in
the chain (version, the hash of the line before, date), and proofs that verify, each by a
different key. Who may sign which entry is for the log's own rules (key_history.py,
coordinators.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from generator.openbadges.dataintegrity import ProofError
from generator.openbadges.eddsa_jcs import SignatureMismatch, proofs_of, signer_of
from generator.site.model.authority import LogLine

APPEND_ONLY = (
    "restore the log as it was published: a log is append-only, a change is a new entry "
    "at its end, written by the tools"
)


@dataclass(frozen=True)
class Judgement:
    """What the rules say of one entry: why it is refused (None: proven), and whether it
    lacks only approvals (which `build.py approve` adds)."""

    problem: str | None = None
    awaiting: bool = False
    elsewhere: bool = False
    """The cause is another file's error (the coordinators' log): not reported again here."""


@dataclass(frozen=True)
class Link:
    """What the chain needs of an entry: its number, the hash it names, its date."""

    line: LogLine
    version: int
    previous: str | None
    date: datetime


def chain_problem(entry: Link, before: Link | None) -> str | None:
    """Why an entry does not follow the one before it (None: it does)."""
    number = entry.line.source.line or 1
    if before is None:
        if entry.version != 1:
            return (
                f"the log starts at version {entry.version}: its first entries were removed; "
                + APPEND_ONLY
            )
        if entry.previous is not None:
            return "version 1 names a line before it ('previous'), but it is the first; " + (
                APPEND_ONLY
            )
        return None
    if entry.version != before.version + 1:
        return (
            f"version {entry.version} follows version {before.version} (line {number - 1}); "
            f"an entry was removed or the lines were reordered; " + APPEND_ONLY
        )
    if entry.previous != before.line.digest:
        return (
            f"'previous' is not the hash of line {number - 1} ({before.line.digest}): that "
            "line, or one before it, was changed, or this entry was moved here from another "
            "log; " + APPEND_ONLY
        )
    if entry.date < before.date:
        return (
            f"date {entry.date.isoformat()} is before the date of version {before.version} "
            f"({before.date.isoformat()}); entries are in the order they were made; " + APPEND_ONLY
        )
    return None


@dataclass(frozen=True)
class Proofs:
    """An entry's proofs: the keys whose proofs verify (publicKeyMultibase, in order), and
    why the others do not."""

    signers: tuple[str, ...]
    problems: tuple[str, ...]


def verified_proofs(line: LogLine) -> Proofs:
    """Verify each proof of an entry's proof set (an entry may have none yet)."""
    if line.document.get("proof") == []:
        return Proofs((), ())
    try:
        proofs = proofs_of(line.document)
    except ProofError as error:
        return Proofs((), (str(error),))
    signers: list[str] = []
    problems: list[str] = []
    mismatched: list[int] = []
    for number, proof in enumerate(proofs, start=1):
        try:
            signer = signer_of(line.document, proof)
        except SignatureMismatch:
            mismatched.append(number)
            continue
        except (ProofError, ValueError) as error:
            problems.append(f"proof {number} is malformed: {error}; remove it")
            continue
        if signer in signers:
            problems.append(f"proof {number} repeats the proof of the same key; remove it")
            continue
        signers.append(signer)
    if mismatched:
        which = ", ".join(str(number) for number in mismatched)
        problems.insert(
            0,
            f"proof{'s' * (len(mismatched) > 1)} {which} of {len(proofs)} do"
            f"{'es' * (len(mismatched) == 1)} not verify: the entry was changed after it was "
            "signed, or a proof was made for another entry; " + APPEND_ONLY,
        )
    return Proofs(tuple(signers), tuple(problems))


def short(multibase: str) -> str:
    """A key as messages name one nobody knows: its first characters."""
    return multibase[:16] + "…"

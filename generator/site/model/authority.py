"""Who may speak for a structure, as read from the repository: each structure's key history
(content/issuers/<slug>.keys.jsonl), the network coordinators' log
(content/trust/coordinators.jsonl) and .github/CODEOWNERS; and, once checked
(check/authority.py), what each proven entry of a history did, for the structure's page.

Both logs are JSON Lines, one entry a line, each entry the whole state after a change (the
keys of a structure, the coordinators and their threshold), chained to the line before by
the hash of its bytes and signed with eddsa-jcs-2022 proofs, as did:webvh keeps a DID's
history and TUF its roots.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, Literal, TypeVar

from generator.site.model.problems import Location

KEY_HISTORY_SUFFIX = ".keys.jsonl"
KEY_HISTORY_ENTRY = "KeyHistoryEntry"
COORDINATORS_ENTRY = "CoordinatorsEntry"
COORDINATORS_LOG = "content/trust/coordinators.jsonl"
CODEOWNERS = ".github/CODEOWNERS"


@dataclass(frozen=True)
class PublicKey:
    """An Ed25519 public key of an issuer, as published in its DID document.

    It may sign from valid_from until valid_until (set when a newer key replaces it); a
    key marked compromised_at invalidates every signature dated from then on.
    """

    id: str
    public_key_multibase: str
    valid_from: datetime
    valid_until: datetime | None
    compromised_at: datetime | None
    source: Location

    def valid_at(self, moment: datetime) -> bool:
        """Whether a signature made at this moment may use this key."""
        if moment < self.valid_from:
            return False
        if self.valid_until is not None and moment >= self.valid_until:
            return False
        return self.compromised_at is None or moment < self.compromised_at


def line_digest(data: bytes) -> str:
    """How an entry names the line before it: `sha256:` and the hex SHA-256 of the line's
    bytes without its line ending (`sed -n 1p FILE | tr -d '\\r\\n' | sha256sum`)."""
    return "sha256:" + hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class LogLine:
    """One line of a log: its bytes (without the line ending), its JSON object, where it is."""

    data: bytes
    document: Mapping[str, Any]
    source: Location

    @property
    def digest(self) -> str:
        """What the next entry's `previous` must be."""
        return line_digest(self.data)


@dataclass(frozen=True)
class KeyHistoryEntry:
    """A structure's keys after one change, from one line of its key history."""

    line: LogLine
    issuer: str
    version: int
    previous: str | None
    date: datetime
    keys: tuple[PublicKey, ...]


@dataclass(frozen=True)
class Coordinator:
    """A coordinator of the network: one who approves first keys and recoveries."""

    id: str
    name: str | None
    public_key_multibase: str


@dataclass(frozen=True)
class CoordinatorsEntry:
    """The network's coordinators after one change, and how many must approve."""

    line: LogLine
    version: int
    previous: str | None
    date: datetime
    threshold: int
    coordinators: tuple[Coordinator, ...]


Entry = TypeVar("Entry", KeyHistoryEntry, CoordinatorsEntry)


@dataclass(frozen=True)
class Log(Generic[Entry]):
    """A log file as read: its bytes (published as they are) and its entries, up to the
    first line that could not be read (reported at its line: `complete` is then False)."""

    source: Location
    data: bytes
    entries: tuple[Entry, ...]
    complete: bool = True


KeyHistory = Log[KeyHistoryEntry]
CoordinatorsLog = Log[CoordinatorsEntry]

Change = Literal["added", "retired", "compromised", "extended", "restricted"]


@dataclass(frozen=True)
class KeyChange:
    """What an entry did to one key: added (valid from `moment`), retired or marked
    compromised (at `moment`), its validity extended or restricted (by the entry made at
    `moment`)."""

    key_id: str
    change: Change
    moment: datetime


@dataclass(frozen=True)
class ProvenEntry:
    """An entry of a key history whose proofs the checks accepted, in words for its page."""

    version: int
    date: datetime
    changes: tuple[KeyChange, ...]
    signed_by: str | None
    """The structure's own key whose proof gave the authority (a rotation), if one did."""
    approved_by: tuple[str, ...]
    """The coordinators whose proofs gave it (a first key, a recovery), if theirs did."""
    source: Location


@dataclass(frozen=True)
class Authority:
    """The trust files of a network: what load read, then what the checks proved."""

    histories: Mapping[str, KeyHistory] = field(default_factory=dict)
    """Each structure's key history, by slug (a structure without keys has none)."""
    coordinators: CoordinatorsLog | None = None
    codeowners: bytes | None = None
    """.github/CODEOWNERS as it is in the repository, if it is there."""
    proven: Mapping[str, tuple[ProvenEntry, ...]] = field(default_factory=dict)
    """Each structure's proven entries, oldest first (set by check/authority.py)."""

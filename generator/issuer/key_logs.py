"""Writing the trust logs (key histories, the coordinators' log): an entry made from the one
before, signed with eddsa-jcs-2022 proofs, written as one line; a proof added to the last line
(an approval). The build proves what they wrote (generator/site/check/authority.py)."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from generator.clock import build_time
from generator.issuer.tools import ToolError, iso
from generator.openbadges.eddsa_jcs import sign_proof, with_proof
from generator.site.model.authority import Log, LogLine


def next_entry(
    kind: str, log: Log[Any] | None, fields: Mapping[str, Any], issuer: str | None = None
) -> dict[str, Any]:
    """The entry after a log's last (the first of a new log), made now: its type, its
    structure, its version, the hash of the last line and its date, then the given fields."""
    last = log.entries[-1] if log is not None and log.entries else None
    entry: dict[str, Any] = {"type": kind}
    if issuer is not None:
        entry["issuer"] = issuer
    entry["version"] = last.version + 1 if last else 1
    if last is not None:
        entry["previous"] = last.line.digest
    entry["date"] = iso(build_time())
    return {**entry, **fields}


def signed(
    document: Mapping[str, Any], private_keys: Iterable[Ed25519PrivateKey]
) -> dict[str, Any]:
    """The entry with one proof more per key (now), in the order given."""
    entry = dict(document)
    entry.setdefault("proof", [])
    for key in private_keys:
        entry = with_proof(entry, sign_proof(entry, key, iso(build_time())))
    return entry


def line_bytes(document: Mapping[str, Any]) -> bytes:
    """An entry as one line of its log: compact JSON, UTF-8, with its line feed."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"


def appended(log: Log[Any] | None, document: Mapping[str, Any]) -> bytes:
    """A log's bytes with one more entry at its end."""
    return (log.data if log is not None else b"") + line_bytes(document)


def with_last_line(log: Log[Any], document: Mapping[str, Any]) -> bytes:
    """A log's bytes with its last line replaced (an approval added to it)."""
    data = log.data.removesuffix(b"\n")
    start = data.rfind(b"\n") + 1
    return data[:start] + line_bytes(document)


def last_line(log: Log[Any]) -> LogLine:
    """The line of a log's last entry, which must be its last line."""
    line: LogLine = log.entries[-1].line
    if not log.complete or line.source.line != log.data.count(b"\n"):
        raise ToolError(f"{log.source} cannot be read in full; run 'build.py check' and fix it")
    return line


def write_log(path: Path, data: bytes) -> None:
    """Replace a log with new bytes at once (never half-written: a temporary file swapped in)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.chmod(temporary, mode)  # mkstemp's file is its owner's only: a log is public
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise

"""The trust files: each structure's key history (content/issuers/<slug>.keys.jsonl), the
network coordinators' log (content/trust/coordinators.jsonl), both JSON Lines, and
.github/CODEOWNERS; read as they are, each line checked against its schema. Whether their
entries are proven is the checks' business (check/authority.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from generator.site.load import schema
from generator.site.load.json_strict import read_json
from generator.site.load.repository import CONTENT, Repository
from generator.site.model.authority import (
    CODEOWNERS,
    COORDINATORS_LOG,
    KEY_HISTORY_SUFFIX,
    Authority,
    Coordinator,
    CoordinatorsEntry,
    KeyHistory,
    KeyHistoryEntry,
    Log,
    LogLine,
    PublicKey,
)
from generator.site.model.problems import Location

Entry = TypeVar("Entry", KeyHistoryEntry, CoordinatorsEntry)


def load_authority(source: Repository) -> Authority:
    """The key histories, the coordinators' log and CODEOWNERS of a repository."""
    histories: dict[str, KeyHistory] = {}
    # A structure's, or an endorser's whose DID the site hosts (the same machinery); a slug
    # names one or the other (check/content.py), never both.
    for folder in (source.root / CONTENT / "issuers", source.root / CONTENT / "endorsers"):
        for path in sorted(folder.glob("*" + KEY_HISTORY_SUFFIX)) if folder.is_dir() else []:
            history = read_log(source, path, "key-history", key_history_entry)
            slug = path.name.removesuffix(KEY_HISTORY_SUFFIX)
            if history is not None and slug not in histories:
                histories[slug] = history
    coordinators_path = source.root / COORDINATORS_LOG
    coordinators = (
        read_log(source, coordinators_path, "coordinators", coordinators_entry)
        if coordinators_path.exists()
        else None
    )
    codeowners_path = source.root / CODEOWNERS
    codeowners = source.read_bytes(codeowners_path) if codeowners_path.exists() else None
    return Authority(histories=histories, coordinators=coordinators, codeowners=codeowners)


def read_log(
    source: Repository, path: Path, kind: str, entry: Callable[[LogLine], Entry]
) -> Log[Entry] | None:
    """A JSON Lines log: one entry a line, each ending with a line feed. Every line that
    cannot be read is reported; the entries stop before the first of them."""
    data = source.read_bytes(path)
    if data is None:
        return None
    location = source.location(path)
    entries: list[Entry] = []
    complete = True
    if data and not data.endswith(b"\n"):
        source.problems.error(
            location.at(data.count(b"\n") + 1),
            "the last line has no line feed; the tools end every entry with one: restore the "
            "file as they wrote it",
        )
        complete = False
    lines = data.split(b"\n")
    if lines[-1] == b"":
        lines.pop()  # what follows the last line feed
    for number, raw in enumerate(lines, start=1):
        line = _line(source, raw.removesuffix(b"\r"), location.at(number), kind)
        try:
            read = entry(line) if line is not None else None
        except ValueError as error:
            source.problems.error(location.at(number), str(error))
            read = None
        if read is None:
            complete = False
        elif complete:
            entries.append(read)
    if not data.strip():
        source.problems.error(location, "the log is empty; remove the file, or restore it")
        complete = False
    return Log(location, data, tuple(entries), complete)


def _line(source: Repository, raw: bytes, where: Location, kind: str) -> LogLine | None:
    """One line read and checked against its schema, or None (reported)."""
    problems = source.problems
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        problems.error(where, f"not valid UTF-8 ({error.reason}); restore the line")
        return None
    if not text.strip():
        problems.error(where, "an empty line; a log holds one entry a line: remove it")
        return None
    document = read_json(text, where, problems)
    if document.value is None:
        return None
    if schema.broken_parts(document, kind, problems) != frozenset():
        return None
    return LogLine(raw, document.value, where)


def _moment(text: str) -> datetime:
    """A date-time whose form the schema checked; ValueError for one that does not exist."""
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(
            f"'{text}' is not a valid date and time; restore the line as the tools wrote it"
        ) from None


def key_history_entry(line: LogLine) -> KeyHistoryEntry:
    """A structure's keys after one change, from a line its schema accepted."""
    value: dict[str, Any] = dict(line.document)
    return KeyHistoryEntry(
        line=line,
        issuer=value["issuer"],
        version=value["version"],
        previous=value.get("previous"),
        date=_moment(value["date"]),
        keys=tuple(
            PublicKey(
                id=key["id"],
                public_key_multibase=key["publicKeyMultibase"],
                valid_from=_moment(key["validFrom"]),
                valid_until=_moment(key["validUntil"]) if "validUntil" in key else None,
                compromised_at=_moment(key["compromisedAt"]) if "compromisedAt" in key else None,
                source=line.source,
            )
            for key in value["keys"]
        ),
    )


def coordinators_entry(line: LogLine) -> CoordinatorsEntry:
    """The network's coordinators after one change, from a line its schema accepted."""
    value: dict[str, Any] = dict(line.document)
    return CoordinatorsEntry(
        line=line,
        version=value["version"],
        previous=value.get("previous"),
        date=_moment(value["date"]),
        threshold=value["threshold"],
        coordinators=tuple(
            Coordinator(item["id"], item.get("name"), item["publicKeyMultibase"])
            for item in value["coordinators"]
        ),
    )

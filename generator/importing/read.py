"""The sources of an import, each a file or a folder: JSON (`.json`, `.jsonl`: one document,
or one per line, whichever the text is), a CSV list of awards (`.csv`), or a baked PNG or
SVG, read strictly (duplicate keys refused) into one Imported. What a JSON object is (Open
Badges 2.0, a Badgr entity, an Open Badge Factory badge...) is told by its shape
(badgr_export.py, shapes.py), never by the file's name."""

from __future__ import annotations

import json
from pathlib import Path

from generator.importing.award_csv import read_award_csv
from generator.importing.badgr_export import read_json_source
from generator.importing.baked import read_baked
from generator.importing.records import Imported
from generator.site.load.json_strict import JsonRefused, loads_strict, read_json
from generator.site.model.problems import Location, Problems

SUFFIXES = (".json", ".jsonl", ".csv", ".png", ".svg")
MAX_SOURCE_BYTES = 50 * 1024 * 1024  # an export of a few thousand awards fits many times


def read_sources(paths: list[Path], problems: Problems) -> Imported:
    """Everything the sources hold; each problem is reported at its source (and line)."""
    into = Imported()
    for path in paths:
        if path.is_dir():
            files = sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES
            )
            if not files:
                problems.error(
                    Location(str(path)), f"the folder holds no {', '.join(SUFFIXES)} file"
                )
            for file in files:
                read_file(file, into, problems)
        elif path.is_file():
            read_file(path, into, problems)
        else:
            problems.error(Location(str(path)), "no such file or folder; give an export's path")
    return into


def read_file(path: Path, into: Imported, problems: Problems) -> None:
    """One source file, by its extension."""
    location = Location(str(path))
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        problems.error(location, f"cannot import a '{suffix}' file; give {', '.join(SUFFIXES)}")
        return
    try:
        if path.stat().st_size > MAX_SOURCE_BYTES:
            problems.error(location, f"is larger than {MAX_SOURCE_BYTES:,} bytes; split it")
            return
        data = path.read_bytes()
    except OSError as error:
        problems.error(location, f"cannot be read: {error.strerror or error}")
        return
    if suffix in (".png", ".svg"):
        read_baked(path, data, into, problems)
        return
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        problems.error(location.at(line), "not valid UTF-8; export the file again as UTF-8")
        return
    if suffix == ".csv":
        read_award_csv(text, location, into, problems)
        return
    if _json_lines(text, suffix):
        _read_json_lines(text, location, into, problems, path.parent)
        return
    document = read_json(text, location, problems)
    if document.value is not None:
        read_json_source(document.value, location, into, problems, path.parent)


def _json_lines(text: str, suffix: str) -> bool:
    """Whether a JSON text is JSON lines (one document per line, as Open Badge Factory's API
    lists things): several lines that are not one document, the first being one alone (or,
    in a `.jsonl` file, whatever the first line holds)."""
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) < 2:
        return False
    try:
        loads_strict(text)
        return False
    except (json.JSONDecodeError, JsonRefused):
        pass
    if suffix == ".jsonl":
        return True
    try:
        loads_strict(lines[0])
        return True
    except (json.JSONDecodeError, JsonRefused):
        return False


def _read_json_lines(
    text: str, location: Location, into: Imported, problems: Problems, folder: Path
) -> None:
    """Every non-empty line of JSON lines, each problem reported at its line."""
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        at = location.at(number)
        try:
            value = loads_strict(line)
        except json.JSONDecodeError as error:
            problems.error(at, f"JSON syntax error: {error.msg}; each line holds one JSON object")
            continue
        except JsonRefused as refusal:
            problems.error(at, f"JSON refused: {refusal}; export the file again")
            continue
        read_json_source(value, at, into, problems, folder)

"""The sources of an import, each a file or a folder: Open Badges 2.0 JSON (`.json`), Open
Badge Factory's JSON lines (`.jsonl`), a Badgr export, a CSV list of awards (`.csv`), or a
baked PNG or SVG, read strictly (duplicate keys refused) into one Imported."""

from __future__ import annotations

from pathlib import Path

from generator.importing.award_csv import read_award_csv
from generator.importing.badgr_export import read_json_source
from generator.importing.baked import read_baked
from generator.importing.obf import read_json_lines
from generator.importing.records import Imported
from generator.site.load.json_strict import read_json
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
    if suffix == ".jsonl":
        read_json_lines(text, location, into, problems, path.parent)
        return
    document = read_json(text, location, problems)
    if document.value is not None:
        read_json_source(document.value, location, into, problems, path.parent)

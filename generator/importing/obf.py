"""JSON lines (`.jsonl`): one Open Badges 2.0 object per line, as Open Badge Factory's API
answers lists; each problem is reported at its line."""

from __future__ import annotations

import json
from pathlib import Path

from generator.importing.ob2 import Reader
from generator.importing.records import Imported
from generator.site.load.json_strict import JsonRefused, loads_strict
from generator.site.problems import Location, Problems


def read_json_lines(
    text: str, location: Location, into: Imported, problems: Problems, folder: Path
) -> None:
    """Read every non-empty line of a JSON lines source into `into`."""
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
        Reader(into, at, problems, folder).read(value)

"""A JSON source: Open Badges 2.0 objects as any platform hosts them (one, or a list), or
what Badgr's API answers around them: `{"status": …, "result": [ … ]}`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.importing.ob2 import Reader
from generator.importing.records import Imported
from generator.site.problems import Location, Problems


def read_json_source(
    value: Any, location: Location, into: Imported, problems: Problems, folder: Path
) -> None:
    """Read a parsed JSON source into `into`."""
    if isinstance(value, dict) and "result" in value and "type" not in value:
        status = value.get("status")
        if isinstance(status, dict) and status.get("success") is False:
            problems.error(
                location,
                f"the export is an error answer ({status.get('description')!r}), not badges; "
                "export again",
            )
            return
        value = value["result"]
    Reader(into, location, problems, folder).read(value)

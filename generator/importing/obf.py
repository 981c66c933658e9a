"""JSON lines (`.jsonl`), as Open Badge Factory's API answers lists: one object per line,
either an Open Badges 2.0 object, or an OBF badge (`id`, `name`, `description`, `image` as a
data: URI, `criteria_html`, `expires` in months, `tags`, `alignment`, and its texts per
language in `content`). Each problem is reported at its line.

An OBF badge's original address is taken to be its public Open Badges 2.0 BadgeClass,
https://openbadgefactory.com/v1/badge/_/<id>.json (what OBF's hosted assertions name).
Its events and assertions are read by `obf_awards`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from generator.importing.ob2 import Reader
from generator.importing.obf_awards import OBF_BADGE_CLASS, read_obf_award
from generator.importing.records import Imported, ImportedBadge
from generator.site.load.json_strict import JsonRefused, loads_strict
from generator.site.model.problems import Location, Problems


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
        if isinstance(value, dict) and "type" not in value and "criteria_html" in value:
            _obf_badge(value, Reader(into, at, problems, folder))
        elif isinstance(value, dict) and "type" not in value and "badge_id" in value:
            read_obf_award(value, Reader(into, at, problems, folder))
        else:
            Reader(into, at, problems, folder).read(value)


def _in_language(badge: dict[str, Any], language: str = "fr") -> dict[str, Any]:
    """The badge's texts in French if OBF has them, else in its default language."""
    content = [c for c in badge.get("content") or [] if isinstance(c, dict)]
    chosen = next((c for c in content if c.get("language") == language), None) or next(
        (c for c in content if c.get("default")), None
    )
    return {**badge, **{k: v for k, v in (chosen or {}).items() if v}}


def _obf_badge(value: dict[str, Any], reader: Reader) -> None:
    badge = _in_language(value)
    identifier = badge.get("id")
    if not isinstance(identifier, str) or not identifier.isalnum():
        reader.error(f"the OBF badge's id {identifier!r} is not an OBF identifier")
        return
    name = reader.text(badge, "name", "badge class")
    description = reader.text(badge, "description", "badge class")
    criteria = reader.text(badge, "criteria_html", "badge class")
    if name is None or description is None or criteria is None:
        return
    months = badge.get("expires")
    url = OBF_BADGE_CLASS.format(id=identifier)
    reader.into.badges[url] = ImportedBadge(
        id=url,
        name=name,
        description=description,
        criteria=criteria,
        criteria_url=None,
        image=badge.get("image") if isinstance(badge.get("image"), str) else None,
        image_file=None,
        issuer=None,
        tags=tuple(t for t in badge.get("tags") or [] if isinstance(t, str) and t.strip()),
        alignment=reader.alignments(
            [
                {
                    "targetName": a.get("name"),
                    "targetUrl": a.get("url"),
                    "targetDescription": a.get("description"),
                }
                for a in badge.get("alignment") or []
                if isinstance(a, dict)
            ]
        ),
        valid_for=(("months", months),) if isinstance(months, int) and months > 0 else (),
        platform="Open Badge Factory",
        source=reader.location,
        languages=tuple(
            str(c.get("language")) for c in value.get("content") or [] if isinstance(c, dict)
        ),
    )

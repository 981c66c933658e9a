"""An Open Badge Factory badge, as its API answers for one (GET /v1/badge/{client}/{badge}:
one JSON object) or lists them (one object per line): `id`, `name`, `description`, `image`
as a data: URI, `criteria_html`, `expires` in months, `tags`, `alignment`, and its texts per
language in `content`.

An OBF badge's original address is taken to be its public Open Badges 2.0 BadgeClass,
https://openbadgefactory.com/v1/badge/_/<id>.json (what OBF's hosted assertions name).
Its events and assertions are read by `obf_awards`.
"""

from __future__ import annotations

from typing import Any

from generator.importing.messages import said
from generator.importing.ob2 import Reader
from generator.importing.ob3 import achievement_fields
from generator.importing.obf_awards import OBF_BADGE_CLASS
from generator.importing.records import ImportedBadge


def _in_language(badge: dict[str, Any], language: str = "fr") -> dict[str, Any]:
    """The badge's texts in French if OBF has them, else in its default language."""
    content = [c for c in badge.get("content") or [] if isinstance(c, dict)]
    chosen = next((c for c in content if c.get("language") == language), None) or next(
        (c for c in content if c.get("default")), None
    )
    return {**badge, **{k: v for k, v in (chosen or {}).items() if v}}


def read_obf_badge(value: dict[str, Any], reader: Reader) -> None:
    """One Open Badge Factory badge, as its API answers for it."""
    badge = _in_language(value)
    identifier = badge.get("id")
    if not isinstance(identifier, str) or not identifier.isalnum():
        reader.error(
            f"the OBF badge's id {said(identifier)} is not an OBF identifier (letters and digits)"
            if identifier is not None
            else "the OBF badge has no 'id'; export it again from Open Badge Factory"
        )
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
        achievement=achievement_fields(badge, reader.error),
    )

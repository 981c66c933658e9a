"""Open Badges 3.0 Achievements as platforms export them (Open Badge Factory among them), read
as badge classes, and the Open Badges 3.0 fields a badge keeps wherever they come from:
`achievementType`, `humanCode`, `fieldOfStudy`, `creditsAvailable`, and an alignment's
`targetType`, its known framework named as a badge file names it.

Plain JSON in; every problem is reported through the reader's `error`, nothing is fetched.
https://www.imsglobal.org/spec/ob/v3p0/#achievement
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from generator.importing.messages import kind_of_value, said
from generator.site.model.frameworks import FRAMEWORKS, known_framework

# Each field's name in Open Badges 3.0 -> its name in badges/<slug>.yaml.
ACHIEVEMENT_FIELDS = {
    "achievementType": "achievement_type",
    "humanCode": "human_code",
    "fieldOfStudy": "field_of_study",
    "creditsAvailable": "credits_available",
}


def is_achievement(item: dict[str, Any]) -> bool:
    """Whether a JSON object is an Open Badges 3.0 Achievement (its type names one)."""
    types = item.get("type")
    return "Achievement" in (types if isinstance(types, list) else [types])


def as_badge_class(achievement: dict[str, Any]) -> dict[str, Any]:
    """An Achievement in the shape of an Open Badges 2.0 BadgeClass: `tag` as `tags`, and
    its `creator` (the Profile of who defined it) as its issuer."""
    badge_class = {**achievement, "type": "BadgeClass"}
    if "tags" not in achievement and isinstance(achievement.get("tag"), list):
        badge_class["tags"] = achievement["tag"]
    if "issuer" not in achievement and isinstance(achievement.get("creator"), dict | str):
        creator = achievement["creator"]
        badge_class["issuer"] = (
            {**creator, "type": "Profile"} if isinstance(creator, dict) else creator
        )
    return badge_class


def achievement_fields(
    item: dict[str, Any], error: Callable[[str], None]
) -> tuple[tuple[str, Any], ...]:
    """The Open Badges 3.0 fields a badge class or Achievement gives, as (field of the badge
    file, value); achievementType 'Badge', the site's default, is left out."""
    found: list[tuple[str, Any]] = []
    for name, field in ACHIEVEMENT_FIELDS.items():
        value = item.get(name)
        if value is None:
            continue
        if name == "creditsAvailable":
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                error(f"the badge class's '{name}' {said(value)} is not a number of credits")
                continue
        elif not isinstance(value, str) or not value.strip():
            error(f"the badge class's '{name}' is {kind_of_value(value)}, not a text")
            continue
        else:
            value = value.strip()
        if (name, value) != ("achievementType", "Badge"):
            found.append((field, value))
    return tuple(found)


def badge_framework(
    framework: str | None, code: str | None, url: str
) -> tuple[str | None, str | None]:
    """An alignment's framework and code as a badge file writes them: a known framework by
    its key (`ESCO`, `ROME 4.0`: esco, rome), and its code taken from targetUrl when the
    platform put the code there (an ESCO concept's URI) and not in targetCode."""
    named = known_framework(framework) or next(
        (
            known
            for known in FRAMEWORKS.values()
            if framework and known.name.casefold() == framework.strip().casefold()
        ),
        None,
    )
    if named is None:
        return framework, code
    if (code is None or not named.pattern.match(code)) and named.pattern.match(url):
        code = url
    return named.key, code

"""The skills map as open data: data/skills-map.json and data/skills-map.csv, and the badges'
alignments with skill frameworks: data/alignments.json and data/alignments.csv.

One row per domain, level and structure where something happens (the structure awards the
level's badge, someone earned it there, a machine there needs that level, or a resource
person is listed there). No hashed identifiers, no emails: only counts, machines and, with
`resource` consent, resource persons' display names and contact links.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from generator.site.model.network import Network
from generator.site.model.urls import Urls
from generator.site.render.aligned_skills import alignment_views
from generator.site.render.skills_map import SkillsMap

FIELDS: dict[str, str] = {
    "domain": "slug of the skill domain (content/skills.yaml)",
    "level": "slug of the level (content/skills.yaml)",
    "level_rank": "position of the level in the pathway, 1 = first steps",
    "badge": "slug of the network badge for this domain and level, empty if none",
    "structure": "slug of the structure (content/issuers/)",
    "awards_badge": "whether the structure awards this badge",
    "holders": "number of valid awards of this badge earned at this structure (revoked and expired ones are not counted)",
    "machines": "slugs of the structure's machines of this domain that need this level for autonomous use",
    "resource_persons": "display names of consenting resource persons at this level and structure",
    "resource_contacts": "their contact links, in the same order (empty when none given)",
}


def skills_map_rows(network: Network, skills_map: SkillsMap) -> list[dict[str, Any]]:
    """The rows of the export, sorted by domain, level rank and structure."""
    rows = []
    for (domain, level), cell in skills_map.cells.items():
        earned = dict((issuer.slug, count) for issuer, count in cell.by_issuer)
        awarders = {issuer.slug for issuer in cell.awarders}
        for slug in sorted(network.issuers):
            machines = [
                m.machine.slug
                for m in skills_map.machines_of(domain, slug)
                if m.level.slug == level
            ]
            persons = [r for r in skills_map.resources_of(domain, slug) if r.level.slug == level]
            if not (slug in awarders or earned.get(slug) or machines or persons):
                continue
            rows.append(
                {
                    "domain": domain,
                    "level": level,
                    "level_rank": cell.level.rank,
                    "badge": cell.badge.slug if cell.badge else "",
                    "structure": slug,
                    "awards_badge": slug in awarders,
                    "holders": earned.get(slug, 0),
                    "machines": machines,
                    "resource_persons": [r.name for r in persons],
                    "resource_contacts": [r.contact or "" for r in persons],
                }
            )
    return sorted(rows, key=lambda row: (row["domain"], row["level_rank"], row["structure"]))


def skills_map_json(network: Network, skills_map: SkillsMap, urls: Urls) -> dict[str, Any]:
    """The JSON export: documented fields, then the rows."""
    return {
        "id": urls.absolute(urls.skills_map_export("json")),
        "network": network.site.name,
        "url": urls.absolute(urls.skills_map(network.site.language)),
        "fields": FIELDS,
        "rows": skills_map_rows(network, skills_map),
    }


def skills_map_csv(network: Network, skills_map: SkillsMap) -> bytes:
    """The CSV export: the same rows, lists joined with ' | '."""
    return _csv(FIELDS, skills_map_rows(network, skills_map))


def _csv(fields: dict[str, str], rows: list[dict[str, Any]]) -> bytes:
    """Rows as CSV: lists joined with ' | ', booleans in lower case, no cell a formula."""
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=list(fields), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {
                key: spreadsheet_safe(" | ".join(value))
                if isinstance(value, list)
                else str(value).lower()
                if isinstance(value, bool)
                else spreadsheet_safe(value)
                if isinstance(value, str)
                else value
                for key, value in row.items()
            }
        )
    return buffer.getvalue().encode("utf-8")


ALIGNMENT_FIELDS: dict[str, str] = {
    "framework": "the skill framework: ESCO, ROME 4.0, RNCP, RS, or another one as the badge names it",
    "code": "the entry's code in its framework (for ESCO, the concept's URI)",
    "name": "the entry's name, in the site's language",
    "url": "the entry's official page",
    "type": "its Open Badges 3.0 targetType, empty if none",
    "page": "the site's page of the entry: the badges aligned to it and where to earn them",
    "badge": "slug of a badge aligned to the entry (badges/)",
    "badge_status": "proposed, approved or retired",
    "structures": "slugs of the structures that award the badge (content/issuers/)",
    "holders": "number of valid awards of the badge, at every structure (revoked and expired ones are not counted)",
}


def alignment_rows(network: Network, skills_map: SkillsMap, urls: Urls) -> list[dict[str, Any]]:
    """One row per entry of a skill framework and badge aligned to it, in the skills map's
    order of entries, then by badge."""
    language = network.site.language
    rows = []
    for skill in skills_map.aligned:
        for badge in skill.badges:
            view = next(view for view in alignment_views(badge) if view.segments == skill.segments)
            rows.append(
                {
                    "framework": skill.framework_name,
                    "code": skill.code,
                    "name": skill.name.get(language),
                    "url": skill.url,
                    "type": view.target_type or "",
                    "page": urls.absolute(urls.aligned_page(*skill.segments, language)),
                    "badge": badge.slug,
                    "badge_status": badge.status,
                    "structures": [issuer.slug for issuer in network.awarders(badge)],
                    "holders": skills_map.holders_of(badge),
                }
            )
    return rows


def alignments_json(network: Network, skills_map: SkillsMap, urls: Urls) -> dict[str, Any]:
    """The JSON export of the alignments: documented fields, then the rows."""
    return {
        "id": urls.absolute(urls.alignments_export("json")),
        "network": network.site.name,
        "url": urls.absolute(urls.skills_map(network.site.language)),
        "fields": ALIGNMENT_FIELDS,
        "rows": alignment_rows(network, skills_map, urls),
    }


def alignments_csv(network: Network, skills_map: SkillsMap, urls: Urls) -> bytes:
    """The CSV export of the alignments: the same rows, lists joined with ' | '."""
    return _csv(ALIGNMENT_FIELDS, alignment_rows(network, skills_map, urls))


# What makes a spreadsheet read a cell as a formula (OWASP, "CSV Injection").
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: str) -> str:
    """A text cell that no spreadsheet runs as a formula: one that would starts with a '
    (OWASP's advice; the text shown is the same, the formula is never evaluated)."""
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text

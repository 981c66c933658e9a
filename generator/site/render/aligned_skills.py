"""The skill frameworks' entries the network's badges align with, gathered once for the badge
pages, the skills map's page of each entry and the open-data export.

An entry has a page of its own (urls.aligned_page) when it has a code: a known framework's
(frameworks.py), or another framework's when both its name and its code leave a path segment.
Entries that land on the same segments share one page, whoever wrote them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from generator.site.model.frameworks import FRAMEWORKS, known_framework, page_segments
from generator.site.model.network import Alignment, Badge, Network, Text


@dataclass(frozen=True)
class AlignmentView:
    """One alignment of a badge as a page shows it."""

    alignment: Alignment
    framework: str | None
    """The known framework's key (esco, rome, rncp, rs), None for another framework."""
    framework_name: str | None
    """As Open Badges documents name it (ESCO, ROME 4.0, …), or as the badge writes it."""
    url: str
    """The entry's page: as written, or found from a known framework's code."""
    segments: tuple[str, str] | None
    """(framework, code) of the site's page of the entry, None when it has none."""
    target_type: str | None
    """Open Badges 3.0's targetType: as written, or that of a known framework's entry."""


def alignment_view(alignment: Alignment) -> AlignmentView:
    """An alignment with its framework named, its page found and its place on the site."""
    framework = known_framework(alignment.framework)
    code = alignment.code
    segments = page_segments(alignment.framework, code)
    if framework is not None and code is not None:
        return AlignmentView(
            alignment,
            framework.key,
            framework.name,
            alignment.url or framework.target_url(code),
            segments,
            alignment.target_type or framework.target_type(code),
        )
    return AlignmentView(
        alignment, None, alignment.framework, alignment.url or "", segments, alignment.target_type
    )


def alignment_views(badge: Badge) -> list[AlignmentView]:
    """A badge's alignments, as its page shows them."""
    return [alignment_view(alignment) for alignment in badge.alignments]


@dataclass(frozen=True)
class AlignedSkill:
    """One entry of a skill framework and the network's badges aligned to it."""

    segments: tuple[str, str]
    framework: str | None
    framework_name: str
    code: str
    name: Text
    url: str
    badges: tuple[Badge, ...]
    """Sorted by slug; retired ones too (their pages stay), marked by their status."""


def aligned_skills(network: Network) -> tuple[AlignedSkill, ...]:
    """Every entry with a page of its own: known frameworks first (ESCO, ROME, RNCP, RS),
    then the others by name, each by code."""
    views: dict[tuple[str, str], list[tuple[AlignmentView, Badge]]] = defaultdict(list)
    for _, badge in sorted(network.badges.items()):
        for view in alignment_views(badge):
            if view.segments is not None:
                views[view.segments].append((view, badge))
    order = {key: index for index, key in enumerate(FRAMEWORKS)}
    found = []
    for segments, entries in sorted(
        views.items(), key=lambda item: (order.get(item[0][0], len(order)), item[0])
    ):
        first, _ = entries[0]
        found.append(
            AlignedSkill(
                segments=segments,
                framework=first.framework,
                framework_name=first.framework_name or "",
                code=first.alignment.code or "",
                name=first.alignment.name,
                url=first.url,
                badges=tuple({badge.slug: badge for _, badge in entries}.values()),
            )
        )
    return tuple(found)

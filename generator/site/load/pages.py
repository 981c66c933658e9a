"""content/pages/<slug>.md and its <slug>.<lang>.md translations: the editorial pages."""

from __future__ import annotations

from pathlib import Path

from generator.site.load import schema
from generator.site.load.parsing import read_markdown
from generator.site.load.repository import CONTENT, TRANSLATION, Repository, listed_files
from generator.site.model.network import (
    Page,
    Text,
)
from generator.site.model.problems import Location


def load_pages(
    source: Repository, folder: Path, language: str, unreadable: set[str]
) -> dict[str, Page]:
    """Editorial pages: <slug>.md in the default language and <slug>.<lang>.md translations."""
    titles: dict[str, dict[str, str]] = {}
    bodies: dict[str, dict[str, str]] = {}
    menus: dict[str, int | None] = {}
    searchable: dict[str, bool] = {}
    locations: dict[str, Location] = {}
    for path in listed_files(folder, ".md", source, unreadable, "page"):
        match = TRANSLATION.match(path.stem)
        slug, lang = (match["slug"], match["lang"]) if match else (path.stem, language)
        text = source.read_text(path)
        if text is None:
            unreadable.add(f"page:{slug}")
            continue
        front, body = read_markdown(text, source.location(path), source.problems)
        if not schema.check(front, "page", source.problems):
            unreadable.add(f"page:{slug}")
            continue
        titles.setdefault(slug, {})[lang] = front.value["title"]
        bodies.setdefault(slug, {})[lang] = body
        if lang == language:
            menus[slug] = front.value.get("menu")
            searchable[slug] = front.value.get("search", True)
            locations[slug] = front.location
    pages = {}
    for slug in sorted(titles):
        if slug not in locations and f"page:{slug}" not in unreadable:
            other = next(iter(titles[slug]))
            source.problems.error(
                Location(f"{CONTENT}/pages/{slug}.{other}.md"),
                f"translation without an original; add content/pages/{slug}.md in '{language}'",
            )
            continue
        if slug not in locations:
            continue
        order = sorted(titles[slug], key=lambda lang: lang != language)
        pages[slug] = Page(
            slug=slug,
            title=Text(tuple((lang, titles[slug][lang]) for lang in order)),
            body=Text(tuple((lang, bodies[slug][lang]) for lang in order)),
            menu=menus[slug],
            source=locations[slug],
            searchable=searchable[slug],
        )
    return pages

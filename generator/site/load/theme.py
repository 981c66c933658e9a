"""The theme, read like every other input: templates, catalogues and static files, each
through the repository's reader (no link out of the repository, no FIFO or device, the size
limit), so that rendering receives them as data and reads nothing from disk.

A content repository without a theme/ folder uses the theme shipped with the generator, read
by the same reader rooted at that theme's parent.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import xstatic.pkg.leaflet as xstatic_leaflet

from generator.site.load.repository import THEME, Repository
from generator.site.model.problems import Location, Problems

# The theme shipped with the generator, used when the content repository has none.
SHIPPED_THEME = Path(__file__).resolve().parents[3] / THEME


@dataclass(frozen=True)
class Template:
    """A template's source, and where it came from."""

    source: str
    location: Location


@dataclass(frozen=True)
class ThemeFiles:
    """A theme as read: everything rendering needs from it."""

    folder: Path
    """The theme folder (the repository's, or the shipped one): where the privacy guard looks
    for what the theme holds."""
    templates: Mapping[str, Template]
    """By name as templates use it (`partials/x.html`)."""
    catalogues: Mapping[str, tuple[bytes | None, Location]]
    """Each language's messages.po, by language (None: there, but refused by the reader)."""
    static: Mapping[str, bytes]
    """static/ as it is published, by path under static/, with the vendored libraries."""


def theme_folder(source: Path) -> Path:
    """The repository's theme/, or the one shipped with the generator."""
    own = source / THEME
    return own if own.is_dir() else SHIPPED_THEME


def load_theme(source: Path, problems: Problems) -> ThemeFiles:
    """Read the theme of a content repository; what cannot be read is reported and left out."""
    folder = theme_folder(source)
    reader = Repository(folder.parent, problems)
    templates: dict[str, Template] = {}
    for path in reader.files_below(folder / "templates"):
        text = reader.read_text(path)
        if text is not None:
            name = path.relative_to(folder / "templates").as_posix()
            templates[name] = Template(text, reader.location(path))
    catalogues: dict[str, tuple[bytes | None, Location]] = {}
    for path in reader.files_below(folder / "locale"):
        relative = path.relative_to(folder / "locale").parts
        if relative[1:] == ("LC_MESSAGES", "messages.po"):
            catalogues[relative[0]] = (reader.read_bytes(path), reader.location(path))
    static: dict[str, bytes] = {}
    for path in reader.files_below(folder / "static", hidden=True):
        data = reader.read_bytes(path)
        if data is not None:
            static[path.relative_to(folder / "static").as_posix()] = data
    static.update(_leaflet())
    return ThemeFiles(folder, templates, catalogues, static)


def _leaflet() -> dict[str, bytes]:
    """Leaflet for the skills map, from the xstatic-leaflet package (no CDN, no copy in the
    repository): code the generator depends on, read as the generator's own files are."""
    leaflet = Path(xstatic_leaflet.BASE_DIR)
    names = [
        "leaflet.js",
        "leaflet.css",
        *(f"images/{p.name}" for p in sorted((leaflet / "images").glob("*.png"))),
    ]
    return {f"leaflet/{name}": (leaflet / name).read_bytes() for name in names}

"""A badge baked into a PNG or an SVG, as an earner keeps it in a backpack: the Open Badges
2.0 assertion it carries (the `openbadges` iTXt chunk, or `<openbadges:assertion>`), read
with the same readers `verify` uses, then as any other Open Badges 2.0 JSON.

The image itself is not imported as the badge's image: it carries the earner's salted hash,
which is never published on the site.
"""

from __future__ import annotations

from pathlib import Path

from generator.importing.ob2 import Reader
from generator.importing.records import Imported
from generator.openbadges.baking import BakingError
from generator.openbadges.png_baking import unbake_png
from generator.openbadges.svg_baking import unbake_svg
from generator.site.load.json_strict import read_json
from generator.site.model.problems import Location, Problems
from generator.site.model.urls import is_web_link


def read_baked(path: Path, data: bytes, into: Imported, problems: Problems) -> None:
    """Read the Open Badges 2.0 assertion baked in a PNG or SVG into `into`."""
    location = Location(str(path))
    try:
        baked = unbake_png(data) if path.suffix.lower() == ".png" else unbake_svg(data)
    except BakingError as error:
        problems.error(location, f"cannot read the baked badge: {error}")
        return
    text = baked.get("openbadges")
    if text is None:
        what = "an Open Badges 3.0 credential" if "openbadgecredential" in baked else "no badge"
        problems.error(
            location,
            f"the image holds {what}, not an Open Badges 2.0 assertion; give the badge as its "
            "original platform baked it",
        )
        return
    if is_web_link(text.strip()):
        problems.error(
            location,
            f"only the assertion's URL is baked ({text.strip()}): nothing is fetched; open it, "
            "save the JSON it answers, and import that file",
        )
        return
    document = read_json(text, location, problems)
    if document.value is not None:
        Reader(into, location, problems).read(document.value)

"""What one award adds to the site, in bytes: the budget each feature keeps.

GitHub Pages refuses a site over 1 GB, so the network's capacity is 1 GB divided by an
award's weight: its two pages (French and English), its credential, its OB 2.0 assertion and
its baked image. README ("Budgets", in Development) gives the goal; the ceiling here is what
the example weighs today, so a feature that makes every award heavier fails here until it
pays for itself elsewhere. Lower it when an award gets lighter; never raise it.

A language a network adds (the example adds Breton) costs each award its page in that
language and the lines of the other pages that lead to it (hreflang, og:locale, the language
switcher), and nothing else: the award's weight in French and English is measured without
those lines, against the same ceiling, and the added page against a ceiling of its own.
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

from generator.drawing.badge import default_badge_pngs, optimised_png
from generator.site.render.theme import _unindented

CEILING = 40_800  # bytes, the heaviest award of the example (40.5 KB on 2026-12-07)
ADDED = "br"  # the language the example adds to French and English
ADDED_PAGE_CEILING = 13_500  # bytes, the heaviest Breton award page (13.2 KB on 2026-12-07)
ADDED_LINES_CEILING = 300  # bytes per French or English page: its three lines leading to Breton
BAKED_IMAGE_CEILING = 13_000  # a default badge baked at 256 px, optimised, with both texts


def award_folders(site: Path) -> list[Path]:
    return sorted(folder for folder in (site / "awards").glob("*/*") if folder.is_dir())


def leads_to_added(line: bytes) -> bool:
    """Whether a line of a page is there because the site has the added language."""
    return f'hreflang="{ADDED}"'.encode() in line or f'"{ADDED}_FR"'.encode() in line


def weight(site: Path, folder: Path) -> int:
    """Every byte published for one award in French and English, without the lines that lead
    to the added language."""
    translated = site / "en" / folder.relative_to(site)
    files = [path for path in [*folder.iterdir(), *translated.iterdir()] if path.is_file()]
    added = sum(
        len(line) for path in files for line in path.read_bytes().splitlines(keepends=True)
        if path.suffix == ".html" and leads_to_added(line)
    )  # fmt: skip
    return sum(path.stat().st_size for path in files) - added


def test_every_award_of_the_example_keeps_the_budget(example_site: Path) -> None:
    folders = award_folders(example_site)
    assert len(folders) >= 5
    heavy = {
        str(folder.relative_to(example_site)): weight(example_site, folder)
        for folder in folders
        if weight(example_site, folder) > CEILING
    }
    assert not heavy, f"awards over {CEILING} bytes: {heavy}"


def test_the_added_language_costs_an_award_its_page_and_the_lines_leading_to_it(
    example_site: Path,
) -> None:
    folders = award_folders(example_site)
    for folder in folders:
        pages = [folder / "index.html", example_site / "en" / folder.relative_to(example_site)]
        for page in (pages[0], pages[1] / "index.html"):
            lines = [line for line in page.read_bytes().splitlines(True) if leads_to_added(line)]
            assert len(lines) == 3 and len(b"".join(lines)) <= ADDED_LINES_CEILING, (page, lines)
        added = example_site / ADDED / folder.relative_to(example_site)
        assert [path.name for path in added.iterdir()] == ["index.html"]  # one page, no JSON
        assert (added / "index.html").stat().st_size <= ADDED_PAGE_CEILING, added


def test_a_default_badge_is_baked_from_its_smaller_drawing(example_site: Path) -> None:
    baked = [folder / "badge.png" for folder in award_folders(example_site)]
    drawn = [path for path in baked if path.is_file()]
    assert drawn
    assert max(path.stat().st_size for path in drawn) <= BAKED_IMAGE_CEILING


def test_the_baked_drawing_is_optimised_without_changing_a_pixel() -> None:
    arguments = {
        "title": "Découpe laser",
        "subtitle": "Mainteneur",
        "colour": "#c0392b",
        "symbol": "generic",
        "level": 5,
        "levels": 5,
    }
    plain = default_badge_pngs(**arguments, sizes=(256,))[256]
    optimised = optimised_png(plain)
    assert len(optimised) < 0.9 * len(plain)
    with Image.open(io.BytesIO(plain)) as before, Image.open(io.BytesIO(optimised)) as after:
        assert after.size == before.size == (256, 256)
        assert after.convert("RGBA").tobytes() == before.convert("RGBA").tobytes()


def test_pages_carry_no_indentation_of_their_templates(example_site: Path) -> None:
    page = (award_folders(example_site)[0] / "index.html").read_text("utf-8")
    indented = [line for line in page.splitlines() if line[:1] in (" ", "\t")]
    assert not indented, indented[:3]


def test_a_template_where_spaces_show_keeps_them() -> None:
    assert _unindented("<ul>\n  <li>a</li>\n</ul>\n") == "<ul>\n<li>a</li>\n</ul>\n"
    kept = "<pre>\n  indented\n</pre>\n"
    assert _unindented(kept) == kept

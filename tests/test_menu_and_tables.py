"""The header's menu and the tables, in Debian's Chromium, on phones and laptops.

The example network is served as in test_browser.py (the session's `served`). On a laptop
(1024x768, 1366x900) the menu is one line below the brand, the languages and the search box:
its items share one line box, whatever the page and language. On a phone (320x640,
390x844) it folds into a button that opens it and that Escape closes. The tables (the skills
map's domains and levels, a structure's machines, a domain's structures and machines) show
every cell whole within the screen at 320 px and at 1366 px, with nothing that scrolls
sideways, and a count of zero is a plain number, never a link. The opened menu and a card of
the skills map on a phone are compared with the expected images of tests/expected-images/.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import pytest

from .image_comparison import SCREEN, assert_looks_as_expected, chromium_and_fonts
from .test_browser import CHROMIUM, PREFIX, run_checks
from .test_page_layout import SCREENSHOTS, observed

LAPTOPS = {"1024x768": (1024, 768), "1366x900": (1366, 900)}
PHONES = {"320x640": (320, 640), "390x844": (390, 844)}
# A page of each kind of header: the current item in bold (catalogue), a long title (award).
MENU_PAGES = {
    "catalogue": "badges/",
    "award": "awards/biklab/20240312-ef961c53/",
    "catalogue-en": "en/badges/",
    "structure-en": "en/issuers/fablab-exemple-port/",
}
MENU_ITEMS = ".site-header nav li"
TABLE_PAGES = {
    "map": "map/",
    "map-en": "en/map/",
    "structure": "issuers/fablab-exemple-port/",
    "structure-biklab": "issuers/biklab/",
    "domain": "map/impression-3d-fdm/",
}
TABLE_SIZES = {"320x640": (320, 640), "1366x900": (1366, 900)}
CELLS = "main table tbody th, main table td"
HEADS, HEADERS = "main table thead", "main table thead th"  # kept for screen readers on phones
# What words cannot say, compared with tests/expected-images/ (tests/image_comparison.py): the
# menu opened on a phone's first screen, and the skills map's first row as a card on a phone.
EXPECTED_SHOTS = {
    "menu-award-320x640": {"do": "screenshot"},
    "tables-map-320x640": {"do": "screenshot", "selector": "main table.matrix tbody tr"},
}


def checks() -> list[dict[str, Any]]:
    """The menu at every size, the tables at a phone's and a laptop's."""
    found: list[dict[str, Any]] = []
    for page, path in MENU_PAGES.items():
        for size, (width, height) in LAPTOPS.items():
            steps = [
                {"do": "boxes", "selector": MENU_ITEMS},
                {"do": "visible", "selector": ".menu-folded summary"},
                {"do": "overflow"},
            ]
            found.append(_check(f"menu-{page}-{size}", path, width, height, steps))
        for size, (width, height) in PHONES.items():
            steps = [
                {"do": "visible", "selector": MENU_ITEMS},
                {"do": "click", "selector": ".menu-folded summary"},
                *_expected_shot(f"menu-{page}-{size}"),
                {"do": "boxes", "selector": MENU_ITEMS},
                {"do": "overflow"},
                {"do": "press", "key": "Escape"},
                {"do": "property", "selector": ".menu-folded", "name": "open"},
                {"do": "property", "selector": ":focus", "name": "tagName"},
            ]
            found.append(_check(f"menu-{page}-{size}", path, width, height, steps))
    for page, path in TABLE_PAGES.items():
        for size, (width, height) in TABLE_SIZES.items():
            steps = [
                {"do": "boxes", "selector": CELLS},
                {"do": "boxes", "selector": HEADS},
                {"do": "boxes", "selector": HEADERS},
                {"do": "boxes", "selector": ".table-scroll"},
                {"do": "texts", "selector": "main table a"},
                {"do": "count", "selector": "main table .count-zero"},
                {"do": "overflow"},
                *_expected_shot(f"tables-{page}-{size}"),
                {"do": "axe"},
            ]
            found.append(_check(f"tables-{page}-{size}", path, width, height, steps))
    return found


def _expected_shot(name: str) -> list[dict[str, Any]]:
    """The screenshot step of a check whose picture is compared, none for the others."""
    if name not in EXPECTED_SHOTS:
        return []
    folder = SCREENSHOTS / "after"
    folder.mkdir(parents=True, exist_ok=True)
    return [{**EXPECTED_SHOTS[name], "file": str(folder / f"{name}.png")}]


def _check(name: str, path: str, width: int, height: int, steps: list[Any]) -> dict[str, Any]:
    return {
        "name": name,
        "path": PREFIX + path,
        "viewport": {"width": width, "height": height},
        # each check loads its page anew, in one tab (run.mjs): it changes only its document
        "tab": "menu-tables",
        "steps": steps,
    }


@pytest.fixture(scope="module")
def seen(served: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """Every check's report, by name, from one Chromium."""
    reports: dict[str, dict[str, Any]] = run_checks(
        served, checks(), tmp_path_factory.mktemp("menu-tables")
    )["reports"]
    return reports


LAPTOP_MENUS = [f"menu-{page}-{size}" for page in MENU_PAGES for size in LAPTOPS]
PHONE_MENUS = [f"menu-{page}-{size}" for page in MENU_PAGES for size in PHONES]
TABLES = [f"tables-{page}-{size}" for page in TABLE_PAGES for size in TABLE_SIZES]


@pytest.mark.parametrize("name", LAPTOP_MENUS)
def test_the_laptop_menu_is_one_line(seen: dict[str, dict[str, Any]], name: str) -> None:
    items = observed(seen, name, "boxes", MENU_ITEMS)
    assert len(items) >= 6, items  # the catalogue, the structures, the map, three pages
    tops = {round(item["top"]) for item in items}
    assert len(tops) == 1, [(item["text"], item["top"]) for item in items]
    assert observed(seen, name, "visible", ".menu-folded summary") is False
    width = observed(seen, name, "overflow")
    assert max(item["right"] for item in items) <= width["innerWidth"]
    assert width["scrollWidth"] <= width["innerWidth"], width["wide"]


@pytest.mark.parametrize("name", PHONE_MENUS)
def test_the_phone_menu_folds_opens_and_closes_with_escape(
    seen: dict[str, dict[str, Any]], name: str
) -> None:
    assert observed(seen, name, "visible", MENU_ITEMS) is False, "the menu is not folded"
    opened = observed(seen, name, "boxes", MENU_ITEMS)
    width = observed(seen, name, "overflow")
    # opened, one item a line, each within the screen
    assert len({round(item["top"]) for item in opened}) == len(opened) >= 6, opened
    assert all(item["left"] >= 0 and item["right"] <= width["innerWidth"] for item in opened)
    assert width["scrollWidth"] <= width["innerWidth"], width["wide"]
    assert observed(seen, name, "property", ".menu-folded") is False
    assert observed(seen, name, "property", ":focus") == "SUMMARY"


@pytest.mark.parametrize("name", TABLES)
def test_every_cell_of_a_table_is_whole_on_the_screen(
    seen: dict[str, dict[str, Any]], name: str
) -> None:
    cells = observed(seen, name, "boxes", CELLS)
    width = observed(seen, name, "overflow")
    assert cells, f"{name}: no table"
    heads = observed(seen, name, "boxes", HEADS)
    if all(head["right"] - head["left"] > 1 for head in heads):  # shown, not only read out
        cells += observed(seen, name, "boxes", HEADERS)
    cut = [
        cell
        for cell in cells
        if cell["left"] < 0
        or cell["right"] > width["innerWidth"] + 0.5
        or cell["scrollWidth"] > cell["clientWidth"]
    ]
    assert cut == [], cut[:5]
    scrolling = observed(seen, name, "boxes", ".table-scroll")
    assert all(box["scrollWidth"] <= box["clientWidth"] for box in scrolling), scrolling
    assert width["scrollWidth"] <= width["innerWidth"], width["wide"]


@pytest.mark.parametrize("name", TABLES)
def test_a_zero_is_never_a_link(seen: dict[str, dict[str, Any]], name: str) -> None:
    links = [" ".join(text.split()) for text in observed(seen, name, "texts", "main table a")]
    assert links and "0" not in links, links
    if name.startswith("tables-map"):
        assert observed(seen, name, "count", "main table .count-zero") > 0  # zeros are shown


@pytest.mark.parametrize("name", TABLES)
def test_no_accessibility_violation_in_a_table(seen: dict[str, dict[str, Any]], name: str) -> None:
    violations = observed(seen, name, "axe")
    assert violations == [], json.dumps(violations, indent=1, ensure_ascii=False)


@pytest.mark.parametrize("name", EXPECTED_SHOTS)
def test_the_phone_s_menu_and_skills_map_look_as_expected(
    seen: dict[str, dict[str, Any]], name: str, request: pytest.FixtureRequest
) -> None:
    shot = Path(observed(seen, name, "screenshot", EXPECTED_SHOTS[name].get("selector", "")))
    update = bool(request.config.getoption("--update-golden"))
    drawn_by = functools.partial(chromium_and_fonts, CHROMIUM)
    assert_looks_as_expected(shot, name, SCREEN, update=update, drawn_by=drawn_by)

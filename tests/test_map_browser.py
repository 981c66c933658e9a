"""Real-browser tests of the skills map pages, in the harness of test_browser.py.

The map page's DOM contract (theme/templates/map.html, driven by theme/static/map.js): the
list #structures-list always shows; #show-map (data-tiles, data-attribution) and
#network-map (data-markers) start hidden, map.js reveals the button, and only a click on it
builds the Leaflet map and lets tile requests go to OpenStreetMap. Here every request to
another host than 127.0.0.1 is aborted and listed, so the tile requests are counted without
reaching the tile server. The machine page's poster (.poster) is its A4 print view.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
import yaml

from .conftest import ROOT
from .test_browser import PREFIX, Check, report, run_checks, value

MAP = PREFIX + "map/"
POSTER = PREFIX + "issuers/biklab/machines/laser-1/"
AXE_PAGES = {
    "map": MAP,
    "map-en": PREFIX + "en/map/",
    "domain": PREFIX + "map/decoupe-laser/",
    "machine": POSTER,
}
LEAVES = r"^(?!http://127\.0\.0\.1:)"  # any request that would leave the machine
TILES = r"^https://tile\.openstreetmap\.org/\d+/\d+/\d+\.png$"
MARKERS = "#network-map .leaflet-marker-icon"
POPUP = "#network-map .leaflet-popup-content"


def located_structures() -> list[str]:
    """The example structures that give coordinates: one list item and one marker each."""
    files = sorted((ROOT / "content" / "issuers").glob("*.yaml"))
    return [f.stem for f in files if "coordinates" in yaml.safe_load(f.read_text("utf-8"))]


CHECKS: list[Check] = [
    {
        "name": "map",
        "path": MAP,
        "steps": [
            {"do": "mark"},  # the page, its scripts and styles have all loaded
            {"do": "requests", "pattern": LEAVES},
            {"do": "count", "selector": "#structures-list > li"},
            {"do": "visible", "selector": "#structures-list"},
            {"do": "visible", "selector": "#network-map"},
            {"do": "visible", "selector": "#show-map"},
            {"do": "click", "selector": "#show-map"},
            {"do": "waitRequest", "pattern": TILES},
            {"do": "visible", "selector": "#network-map"},
            {"do": "visible", "selector": "#show-map"},
            {"do": "count", "selector": MARKERS},
            # a marker's image is chosen as it starts to load: read it once it has
            {"do": "waitImage", "selector": MARKERS},
            {"do": "property", "selector": MARKERS, "name": "currentSrc"},
            {"do": "property", "selector": MARKERS, "name": "naturalWidth"},
            {"do": "click", "selector": MARKERS},
            {"do": "settle"},  # the popup fades in: axe must see its final colours
            {"do": "visible", "selector": "#map-offline"},  # the tiles, blocked here, failed
            {"do": "count", "selector": "#network-map .leaflet-popup-content a[href]"},
            {"do": "property", "selector": POPUP, "name": "innerText"},
            {"do": "axe"},
            {"do": "requests", "pattern": TILES},
            {"do": "requests", "pattern": LEAVES},
        ],
    },
    {
        "name": "map-without-javascript",
        "path": MAP,
        "context": {"javaScriptEnabled": False},
        "steps": [
            {"do": "count", "selector": "#structures-list > li"},
            {"do": "visible", "selector": "#structures-list"},
            {"do": "visible", "selector": "#show-map"},
            {"do": "visible", "selector": "#network-map"},
            {"do": "visible", "selector": "#map-offline"},
        ],
    },
    {
        "name": "poster",
        "path": POSTER,
        "steps": [
            {"do": "media", "media": "print"},
            {"do": "visible", "selector": ".poster"},
            {"do": "visible", "selector": ".site-header nav"},
            {"do": "count", "selector": ".poster .qr-code"},
            {"do": "pdf"},
        ],
    },
    *(
        {"name": f"axe-{name}", "path": path, "steps": [{"do": "axe"}]}
        for name, path in AXE_PAGES.items()
    ),
]


@pytest.fixture(scope="module")
def browsed(served: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Every map check run once in one Chromium: {"blocked": [...], "reports": {name: report}}."""
    return run_checks(served, CHECKS, tmp_path_factory.mktemp("map-checks"))


def results(found: dict[str, Any], action: str, selector: str) -> list[Any]:
    """What every step `action` on `selector` (or pattern) saw, in order."""
    return [
        r["value"]
        for r in found["results"]
        if r["do"] == action and selector in (r.get("selector"), r.get("pattern"))
    ]


def test_the_list_shows_and_nothing_is_requested_before_the_visitor_asks(
    browsed: dict[str, Any],
) -> None:
    found = report(browsed, "map")
    before, _after = results(found, "requests", LEAVES)
    assert before == []
    assert value(found, "count", "#structures-list > li") == len(located_structures())
    assert value(found, "visible", "#structures-list") is True
    assert results(found, "visible", "#network-map")[0] is False
    assert results(found, "visible", "#show-map")[0] is True


def test_the_button_shows_a_map_with_one_marker_per_structure(browsed: dict[str, Any]) -> None:
    found = report(browsed, "map")
    assert results(found, "visible", "#network-map")[1] is True
    assert results(found, "visible", "#show-map")[1] is False
    assert value(found, "count", MARKERS) == len(located_structures())
    # the marker image comes from Leaflet's images beside its stylesheet, on this site
    icon = value(found, "property", MARKERS, "currentSrc")
    assert icon.endswith(PREFIX + "static/leaflet/images/marker-icon.png"), icon
    assert value(found, "property", MARKERS, "naturalWidth") > 0
    assert value(found, "count", "#network-map .leaflet-popup-content a[href]") == 1


def test_a_popup_counts_what_the_structure_awarded(browsed: dict[str, Any]) -> None:
    """The first marker's popup (Atelier partagé de Kerexemple, first by file name) says what
    the list below the map says, then the badges awarded with their count: not the whole list
    of badges it may award."""
    popup = value(report(browsed, "map"), "property", POPUP, "innerText").split("\n")
    assert [line.strip() for line in popup if line.strip()] == [
        "Atelier partagé de Kerexemple (exemple)",
        "2 badges valides décernés · peut délivrer 3 badges du catalogue",
        "Badges décernés : Découpe vinyle - Animateur / animatrice (2)",
        "Machines : Plotter vinyle, Plotter et presse à flex",
    ]


def test_tiles_are_requested_only_from_openstreetmap_after_the_click(
    browsed: dict[str, Any],
) -> None:
    found = report(browsed, "map")
    [tiles] = results(found, "requests", TILES)
    assert tiles, "no tile was requested after the click"
    _before, leaving = results(found, "requests", LEAVES)
    assert [url for url in leaving if not re.match(TILES, url)] == []
    # every request that tried to leave, in every check, was a tile and was aborted
    assert set(leaving) <= set(browsed["blocked"])
    assert [url for url in browsed["blocked"] if not re.match(TILES, url)] == []


def test_without_javascript_the_list_is_all_there_is(browsed: dict[str, Any]) -> None:
    found = report(browsed, "map-without-javascript")
    assert value(found, "count", "#structures-list > li") == len(located_structures())
    assert value(found, "visible", "#structures-list") is True
    assert value(found, "visible", "#show-map") is False
    assert value(found, "visible", "#network-map") is False
    assert found["requests"], "the browser made no request at all"
    assert [url for url in found["requests"] if re.match(LEAVES, url)] == []


def test_machine_poster_prints_on_one_a4_page_with_a_qr_code(browsed: dict[str, Any]) -> None:
    found = report(browsed, "poster")
    assert value(found, "visible", ".poster") is True
    assert value(found, "visible", ".site-header nav") is False
    assert value(found, "count", ".poster .qr-code") == 1
    assert value(found, "pdf") == 1


@pytest.mark.parametrize("page", [*AXE_PAGES, "map-shown"])
def test_no_serious_accessibility_violation(browsed: dict[str, Any], page: str) -> None:
    found = report(browsed, "map" if page == "map-shown" else f"axe-{page}")
    violations = value(found, "axe")
    for minor in (v for v in violations if v["impact"] not in ("serious", "critical")):
        print(
            f"{found['path']}: axe {minor['impact']}: {minor['id']}: {minor['help']}: "
            + ", ".join(node["target"] for node in minor["nodes"])
        )
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert serious == [], json.dumps(serious, indent=1, ensure_ascii=False)


def test_the_map_says_when_its_tiles_cannot_load(browsed: dict[str, Any]) -> None:
    # the tiles are blocked here, as offline: the map says so instead of staying grey
    assert results(report(browsed, "map"), "visible", "#map-offline") == [True]
    assert results(report(browsed, "map-without-javascript"), "visible", "#map-offline") == [False]

"""The site's search in headless Chromium, over the built example served under /open-badges/:
the header's box on every page, the catalogue's results from the Pagefind index the build
wrote (theme/static/search.js), in each page's language, without a request leaving the site.

Runs tests/browser/run.mjs as tests/test_browser.py does (its checks are skipped the same way
without Chromium, Node.js or the npm packages); every assertion is here.
"""

from __future__ import annotations

from typing import Any

import pytest

from .test_browser import PREFIX, Check, report, run_checks, value

CATALOGUE = PREFIX + "badges/"
RESULTS = "#search-results"
TITLES = "#search-results h3"
BOX = ".site-header [role=search] input"
EXCERPTS = "#search-results .search-result p"


def typed(name: str, query: str, path: str = CATALOGUE, **extra: Any) -> Check:
    """Type a query into the header's box on a page and read the results' titles."""
    return {
        "name": name,
        "path": path,
        **extra,
        "steps": [
            {"do": "type", "selector": BOX, "value": query},
            {"do": "waitAttribute", "selector": RESULTS, "name": "data-done", "values": [query]},
            {"do": "texts", "selector": TITLES},
            {"do": "texts", "selector": EXCERPTS},
        ],
    }


CHECKS: list[Check] = [
    # From another page: Enter opens the catalogue, which searches.
    {
        "name": "laser-from-home",
        "path": PREFIX,
        "steps": [
            {"do": "type", "selector": BOX, "value": "laser"},
            {"do": "press", "key": "Enter"},
            {"do": "waitUrl", "pattern": r"/open-badges/badges/\?q=laser$"},
            {"do": "waitAttribute", "selector": RESULTS, "name": "data-done", "values": ["laser"]},
            {"do": "texts", "selector": TITLES},
            {"do": "attribute", "selector": "#search-results img", "name": "src"},
            {"do": "attribute", "selector": "#search-results a", "name": "href"},
        ],
    },
    typed("stemming", "découper"),
    typed("town", "Brest"),
    typed("machine-model", "Epilog"),
    typed("machine-trainer", "Epilog Quéré"),
    typed("no-resource-consent", "Alice"),
    typed("withheld-name", "Gall"),
    typed("english", "cutting", path=PREFIX + "en/badges/"),
    typed("english-laser", "laser", path=PREFIX + "en/badges/"),
    typed("breton", "laser", path=PREFIX + "br/badges/"),
    {
        "name": "filter-level",
        "path": CATALOGUE + "?q=laser",
        "steps": [
            {"do": "waitAttribute", "selector": RESULTS, "name": "data-done", "values": ["laser"]},
            {"do": "select", "selector": "select[data-filter=level]", "value": "Mainteneur"},
            {
                "do": "waitAttribute",
                "selector": RESULTS,
                "name": "data-filtered",
                "values": ["level"],
            },
            {"do": "texts", "selector": TITLES},
        ],
    },
    {
        "name": "no-script",
        "path": PREFIX,
        "context": {"javaScriptEnabled": False},
        "steps": [
            {"do": "fill", "selector": BOX, "value": "laser"},
            {"do": "press", "key": "Enter"},
            {"do": "waitUrl", "pattern": r"/open-badges/badges/\?q=laser$"},
            {"do": "texts", "selector": "h1"},
        ],
    },
    {"name": "keyboard", "path": PREFIX, "steps": [{"do": "tabOrder", "max": 12}]},
    *(
        {
            "name": f"axe-{width}",
            "path": CATALOGUE + "?q=laser",
            "viewport": {"width": width, "height": 800},
            "steps": [
                {
                    "do": "waitAttribute",
                    "selector": RESULTS,
                    "name": "data-done",
                    "values": ["laser"],
                },
                {"do": "axe"},
                {"do": "overflow"},
                {"do": "box", "selector": BOX},
            ],
        }
        for width in (320, 1366)
    ),
]


@pytest.fixture(scope="module")
def searched(served: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Every check run once in one Chromium: {"blocked": [...], "reports": {name: report}}."""
    return run_checks(served, CHECKS, tmp_path_factory.mktemp("search-checks"))


def titles(searched: dict[str, Any], name: str) -> list[str]:
    return [" ".join(title.split()) for title in value(report(searched, name), "texts", TITLES)]


def test_laser_lists_the_laser_cutting_badges_first(searched: dict[str, Any]) -> None:
    found = titles(searched, "laser-from-home")
    laser_badges = [t for t in found if t.startswith("Découpe laser - ")]
    assert len(laser_badges) == 5, found
    assert found[:5] == laser_badges, found  # the badges before the machines and structures
    image = value(report(searched, "laser-from-home"), "attribute", "#search-results img", "src")
    assert image.startswith(PREFIX + "badges/decoupe-laser-"), image
    link = value(report(searched, "laser-from-home"), "attribute", "#search-results a", "href")
    assert link.startswith(PREFIX + "badges/decoupe-laser-") and link.endswith("/"), link


def test_french_stemming_finds_decoupe_from_decouper(searched: dict[str, Any]) -> None:
    found = titles(searched, "stemming")
    assert any(t.startswith("Découpe laser") for t in found), found
    assert any(t.startswith("Découpe vinyle") for t in found), found


def test_a_town_finds_its_structures(searched: dict[str, Any]) -> None:
    found = titles(searched, "town")
    for structure in ("Fablab du Port (exemple)", "Atelier partagé de Kerexemple (exemple)"):
        assert structure in found, found


def test_a_machine_model_finds_the_machine_and_its_resource_persons(
    searched: dict[str, Any],
) -> None:
    found = titles(searched, "machine-model")
    assert found[0] == "Découpeuse laser CO2 (Epilog Zing 24 (exemple))", found
    # Ève Quéré, who consented to be listed, trains on it: its page is found by her name too
    assert "Découpeuse laser CO2 (Epilog Zing 24 (exemple))" in titles(searched, "machine-trainer")


def test_a_person_without_resource_consent_is_never_found(searched: dict[str, Any]) -> None:
    # Alice Martin consented to her name on her badges, not to be listed as a resource
    # person; Bob Le Gall consented to nothing: no indexed page shows them (Pagefind answers
    # with the closest words it has, none of them theirs).
    for check, name in (("no-resource-consent", "Alice"), ("withheld-name", "Gall")):
        found = report(searched, check)
        shown = value(found, "texts", TITLES) + value(found, "texts", EXCERPTS)
        assert all(name not in text for text in shown), shown


def test_the_english_pages_search_the_english_texts(searched: dict[str, Any]) -> None:
    assert any(t.startswith("Laser cutting - ") for t in titles(searched, "english")), titles(
        searched, "english"
    )
    found = titles(searched, "english-laser")
    assert all(t.startswith("Laser cutting - ") for t in found[:5]), found
    assert all(not t.startswith("Découpe laser - ") for t in found), found


def test_the_breton_pages_search_the_breton_index(searched: dict[str, Any]) -> None:
    # Pagefind has no Breton stemmer: the Breton index is read with its language-neutral
    # WebAssembly (wasm.unknown.pagefind), which the site must serve
    found = titles(searched, "breton")
    assert "Troc\u2019hañ laser - Kammedoù kentañ" in found, found  # a Breton name
    assert "Découpe laser - Mainteneur" in found, found  # a badge without one, in French
    assert not any(t.startswith("Laser cutting - ") for t in found), found


def test_a_filter_narrows_the_results(searched: dict[str, Any]) -> None:
    assert titles(searched, "filter-level") == ["Découpe laser - Mainteneur"]


def test_without_javascript_the_box_opens_the_catalogue(searched: dict[str, Any]) -> None:
    found = report(searched, "no-script")
    assert value(found, "texts", "h1") == ["Catalogue des badges"]


def test_the_search_box_is_reached_by_the_keyboard(searched: dict[str, Any]) -> None:
    order = value(report(searched, "keyboard"), "tabOrder")
    tags = [(focused["tag"], focused["className"]) for focused in order]
    assert ("input", None) in tags and ("button", None) in tags, order
    assert tags.index(("button", None)) == tags.index(("input", None)) + 1


@pytest.mark.parametrize("width", [320, 1366])
def test_the_results_pass_axe_and_fit_the_window(searched: dict[str, Any], width: int) -> None:
    found = report(searched, f"axe-{width}")
    assert value(found, "axe") == []
    overflow = value(found, "overflow")
    assert overflow["scrollWidth"] <= overflow["innerWidth"], overflow["wide"]
    box = value(found, "box", BOX)
    assert box["right"] <= width and box["right"] - box["left"] >= 120, box


def test_no_request_leaves_the_site(searched: dict[str, Any], served: str) -> None:
    assert searched["blocked"] == []
    for found in searched["reports"].values():
        assert all(url.startswith(served) for url in found["requests"]), found["requests"]
    # the index was read from the site itself
    requested = report(searched, "laser-from-home")["requests"]
    assert any("/open-badges/pagefind/" in url for url in requested), requested

"""Every kind of page on a phone and a laptop, in Debian's Chromium: what shows first, what fits.

The example network is served as in test_browser.py (the session's `served`);
tests/browser/run.mjs opens every kind of page at 320x640, 390x844 and 1366x900 and reports
the page's width, where an award's status is and which sharing actions a page offers, and
runs axe. A screenshot of
each first screen is kept in tests/browser/screenshots/after/ (git-ignored), to be looked at.
"""

from __future__ import annotations

import json
import subprocess
from typing import Any

import pytest

from .test_browser import BROWSER_TESTS, NODE, PREFIX, RUN

SCREENSHOTS = BROWSER_TESTS / "screenshots"
VIEWPORTS = {"320x640": (320, 640), "390x844": (390, 844), "1366x900": (1366, 900)}
AWARDS = {
    "award-valid": "awards/biklab/20240312-ef961c53/",
    "award-revoked": "awards/fablab-exemple-port/20240420-6ebc5c6e/",
    "award-revoked-en": "en/awards/fablab-exemple-port/20240420-6ebc5c6e/",
    "award-expired": "awards/biklab/20240630-814da3a6/",
    "award-anonymous": "awards/biklab/20241005-11e90815/",
    # the example's third language, Breton (issue 28): a valid and a revoked award
    "award-valid-br": "br/awards/biklab/20240312-ef961c53/",
    "award-revoked-br": "br/awards/fablab-exemple-port/20240420-6ebc5c6e/",
}
# Every state the award pages show, and what its status line must say on the first screen:
# the state, and for a revoked award its date and reason, for an expired one its end date
# (tests/keys/make-example-awards.sh makes these awards).
STATUS_LINES = {
    "award-valid": ("Badge valide",),
    "award-revoked": ("Badge révoqué", "2 mai 2024", "Délivré par erreur"),
    "award-revoked-en": ("Revoked badge", "2 May 2024", "Délivré par erreur"),
    "award-expired": ("Badge expiré", "30 juin 2025"),
    "award-anonymous": ("Badge valide",),
    "award-valid-br": ("Badj talvoudek",),
    "award-revoked-br": ("Badj nullet", "2 Mae 2024", "Délivré par erreur"),
}
PAGES = {
    "home": "",
    "catalogue": "badges/",
    "badge": "badges/decoupe-laser-premiers-pas/",
    "structure": "issuers/biklab/",
    "structures": "issuers/",
    "map": "map/",
    "domain": "map/decoupe-vinyle/",
    "machine": "issuers/atelier-kerexemple/machines/plotter-vinyle/",
    "portfolio": "people/alice-m/",
    "page": "pages/la-demarche/",
    "earlier": "earlier/fablab-exemple-port/20230610-9696328e/",
    **AWARDS,
}
# Every kind of page in Breton too: the badge and the page with a Breton text, the others
# with the French one, marked lang="fr" (its awards are in AWARDS).
PAGES.update({f"{page}-br": f"br/{path}" for page, path in list(PAGES.items()) if page not in AWARDS})
# What promotes an award as valid: sharing it on a profile, downloading it, printing it.
PROMOTIONS = ('a[href^="https://www.linkedin.com/"]', "a[download]", "#print-certificate")
STATUS = ".status"
STATUS_LINE = ".status .status-title"  # the state's word, with its date and reason
EARNER = ".earner"  # "Décerné à <name>", or on an anonymous award "nom non publié"
FOOTER = ".site-footer"


def checks(label: str) -> list[dict[str, Any]]:
    """One check per page kind and viewport; screenshots go to SCREENSHOTS/label/."""
    folder = SCREENSHOTS / label
    folder.mkdir(parents=True, exist_ok=True)
    found = []
    for page, path in PAGES.items():
        for size, (width, height) in VIEWPORTS.items():
            steps: list[dict[str, Any]] = [
                {"do": "screenshot", "file": str(folder / f"{page}-{size}.png")},
                {"do": "overflow"},
                {"do": "box", "selector": FOOTER},
            ]
            if page in AWARDS:
                steps.append({"do": "box", "selector": STATUS})
                steps.append({"do": "box", "selector": STATUS_LINE})
                steps.append({"do": "property", "selector": STATUS_LINE, "name": "innerText"})
                steps.append({"do": "property", "selector": EARNER, "name": "innerText"})
                steps.extend({"do": "count", "selector": selector} for selector in PROMOTIONS)
            steps.append({"do": "axe"})
            found.append(
                {
                    "name": f"{page}-{size}",
                    "path": PREFIX + path,
                    "viewport": {"width": width, "height": height},
                    "steps": steps,
                }
            )
    return found


@pytest.fixture(scope="module")
def seen(served: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """Every check's report, by name, from one Chromium."""
    assert NODE is not None
    listed = tmp_path_factory.mktemp("layout") / "checks.json"
    listed.write_text(json.dumps(checks("after")), "utf-8")
    done = subprocess.run(
        [NODE, str(RUN), served, str(listed)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, f"run.mjs failed:\n{done.stderr}\n{done.stdout}"
    reports = json.loads(done.stdout)["reports"]
    return {report["name"]: report for report in reports}


def observed(seen: dict[str, dict[str, Any]], name: str, action: str, selector: str = "") -> Any:
    """What one step of a check saw, asserting the page loaded and ran without errors."""
    report = seen[name]
    assert report["status"] == 200, f"{report['path']}: HTTP {report['status']}"
    assert report["errors"] == [], report["errors"]
    for result in report["results"]:
        if result["do"] == action and result.get("selector", "") == selector:
            return result["value"]
    raise AssertionError(f"{name}: no {action} {selector} result")


EVERY_PAGE = [f"{page}-{size}" for page in PAGES for size in VIEWPORTS]
EVERY_AWARD = [f"{page}-{size}" for page in AWARDS for size in VIEWPORTS]


@pytest.mark.parametrize("name", EVERY_PAGE)
def test_no_page_is_wider_than_the_screen(seen: dict[str, dict[str, Any]], name: str) -> None:
    width = observed(seen, name, "overflow")
    assert width["scrollWidth"] <= width["innerWidth"], width["wide"]


def test_every_award_state_is_shown() -> None:
    assert set(STATUS_LINES) == set(AWARDS)
    states = {words[0] for words in STATUS_LINES.values()}
    assert states == {
        "Badge valide", "Badge révoqué", "Revoked badge", "Badge expiré", "Badj talvoudek",
        "Badj nullet",
    }  # fmt: skip


@pytest.mark.parametrize("name", EVERY_AWARD)
def test_the_award_status_line_is_whole_on_the_first_screen(
    seen: dict[str, dict[str, Any]], name: str
) -> None:
    """The state, with its date and reason, is read without scrolling: the whole line, from
    its top to its bottom, not only its first words."""
    status = observed(seen, name, "box", STATUS)
    line = observed(seen, name, "box", STATUS_LINE)
    window = observed(seen, name, "overflow")
    assert status is not None and line is not None, f"{name}: no {STATUS_LINE}"
    assert status["top"] >= 0 and 0 <= line["top"] < line["bottom"] <= window["innerHeight"], (
        line,
        window["innerHeight"],
    )
    said = " ".join(observed(seen, name, "property", STATUS_LINE).split())
    page = name.rsplit("-", 1)[0]
    assert all(words in said for words in STATUS_LINES[page]), (said, STATUS_LINES[page])


@pytest.mark.parametrize("size", VIEWPORTS)
def test_an_anonymous_award_names_no_one_in_plain_words(
    seen: dict[str, dict[str, Any]], size: str
) -> None:
    named = " ".join(observed(seen, f"award-valid-{size}", "property", EARNER).split())
    anonymous = " ".join(observed(seen, f"award-anonymous-{size}", "property", EARNER).split())
    assert named.startswith("Décerné à Alice Martin"), named
    assert "nom non publié" in anonymous and "Décerné à" not in anonymous, anonymous
    assert "empreinte" not in anonymous and "salée" not in anonymous, anonymous


@pytest.mark.parametrize("name", EVERY_AWARD)
def test_only_a_valid_award_is_promoted(seen: dict[str, dict[str, Any]], name: str) -> None:
    offered = {selector: observed(seen, name, "count", selector) for selector in PROMOTIONS}
    if name.startswith(("award-revoked", "award-expired")):
        assert offered == dict.fromkeys(PROMOTIONS, 0)
    else:
        assert all(offered.values()), offered


@pytest.mark.parametrize("name", EVERY_PAGE)
def test_no_accessibility_violation(seen: dict[str, dict[str, Any]], name: str) -> None:
    violations = observed(seen, name, "axe")
    assert violations == [], json.dumps(violations, indent=1, ensure_ascii=False)


@pytest.mark.parametrize("name", EVERY_PAGE)
def test_the_footer_reaches_the_bottom_of_the_window(
    seen: dict[str, dict[str, Any]], name: str
) -> None:
    # a short page leaves no white band below its footer
    height = VIEWPORTS[name.rsplit("-", 1)[1]][1]
    assert observed(seen, name, "box", FOOTER)["bottom"] >= height - 0.5

"""Every kind of page on a phone and a laptop, in Debian's Chromium: what shows first, what fits.

The example network is served as in test_browser.py (the session's `served`);
tests/browser/run.mjs opens every kind of page at 320x640, 390x844 and 1366x900 and reports
the page's width, where an award's status, earner line, criteria and sharing row are, what
its text says to a visitor and which sharing actions it offers, and runs axe. The award
page's first screens are compared with the expected images of tests/expected-images/; with
`--screenshots`, every first screen is kept in tests/browser/screenshots/after/ (git-ignored),
to be looked at (a screenshot that no test compares costs the run and checks nothing).
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import Any

import pytest

from .image_comparison import SCREEN, assert_looks_as_expected, chromium_and_fonts
from .test_browser import BROWSER_TESTS, CHROMIUM, PREFIX, run_checks

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
# An award another platform published (assertions/<issuer>/earlier/): its page reads like an
# award's (status, earner line, sharing row), without the signed award's promotions.
EARLIER = {"earlier": "earlier/fablab-exemple-port/20230610-9696328e/"}
SHOWN = {**AWARDS, **EARLIER}
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
    "earlier": ("Badge délivré sur Badgr",),
}
# Who earned it and when, in the words of the line beside the badge's image.
EARNER_LINES = {
    "award-valid": "Décerné à Alice Martin le 12 mars 2024",
    "award-revoked": "Décerné le 20 avril 2024 (nom non publié)",
    "award-revoked-en": "Awarded on 20 April 2024 (name not published)",
    "award-expired": "Décerné le 30 juin 2024 (nom non publié)",
    "award-anonymous": "Décerné le 5 octobre 2024 (nom non publié)",
    "award-valid-br": "Roet da Alice Martin, 12 Meurzh 2024",
    "award-revoked-br": "Roet 20 Ebrel 2024 (anv n\u2019eo ket embannet)",
    "earlier": "Décerné le 10 juin 2023 (nom non publié)",
}
# Words of the standards and of cryptography, which a visitor reads only by unfolding the
# technical details (or the "Add to…" panel), and no address written out as a link's text.
TECHNICAL = re.compile(
    r"credential\.json|assertion\.json|\.json\b|Ed25519|eddsa|rdfc|BadgeClass|Assertion|"
    r"Profile|Issuer|Open Badges \d|JSON|\bkey-\d|« key|https?://|\bDID\b|did:",
    re.IGNORECASE,
)
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
    **EARLIER,
    **AWARDS,
}
# Every kind of page in Breton too: the badge and the page with a Breton text, the others
# with the French one, marked lang="fr" (its awards are in AWARDS).
PAGES.update(
    {f"{page}-br": f"br/{path}" for page, path in list(PAGES.items()) if page not in AWARDS}
)
# What promotes an award as valid: sharing it on a profile, downloading it, printing it.
PROMOTIONS = ('a[href^="https://www.linkedin.com/"]', "a[download]", "#print-certificate")
STATUS = ".status"
STATUS_LINE = ".status .status-title"  # the state's word, with its date and reason
EARNER = ".earner"  # "Décerné à <name> le <date>", or "Décerné le <date> (nom non publié)"
IMAGE = ".award-image"
CRITERIA = ".attests .prose"
SHARE = ".actions"
SHARE_ROW = ".share-row"
MAIN = "main"
FOOTER = ".site-footer"

# What words cannot say, compared with tests/expected-images/ (tests/image_comparison.py): the
# award page's first screen, valid (BIK'LAB's initial in its disc) and revoked (its structure's
# logo beside the award, the status box), with the menu on one line on a laptop and folded on
# phones.
EXPECTED_SCREENS = [
    f"{page}-{size}" for page in ("award-valid", "award-revoked") for size in VIEWPORTS
]


def checks(label: str, every_screen: bool) -> list[dict[str, Any]]:
    """One check per page kind and viewport; screenshots go to SCREENSHOTS/label/: those
    compared with the expected images, or every one."""
    folder = SCREENSHOTS / label
    folder.mkdir(parents=True, exist_ok=True)
    found = []
    for page, path in PAGES.items():
        for size, (width, height) in VIEWPORTS.items():
            steps: list[dict[str, Any]] = [{"do": "overflow"}, {"do": "box", "selector": FOOTER}]
            if every_screen or f"{page}-{size}" in EXPECTED_SCREENS:
                steps.insert(0, {"do": "screenshot", "file": str(folder / f"{page}-{size}.png")})
            if page in SHOWN:
                steps.extend(
                    {"do": "box", "selector": selector}
                    for selector in (STATUS, STATUS_LINE, EARNER, IMAGE, CRITERIA, SHARE, SHARE_ROW)
                )
                steps.append({"do": "property", "selector": STATUS_LINE, "name": "innerText"})
                steps.append({"do": "property", "selector": EARNER, "name": "innerText"})
                steps.append({"do": "style", "selector": EARNER, "name": "fontSize"})
                steps.append({"do": "style", "selector": MAIN, "name": "fontSize"})
                # what a visitor reads, the folded details and panel closed
                steps.append({"do": "property", "selector": MAIN, "name": "innerText"})
                steps.extend({"do": "count", "selector": selector} for selector in PROMOTIONS)
            steps.append({"do": "axe"})
            found.append(
                {
                    "name": f"{page}-{size}",
                    "path": PREFIX + path,
                    "viewport": {"width": width, "height": height},
                    # each check loads its page anew, in one tab (run.mjs): they only read it
                    "tab": "layout",
                    "steps": steps,
                }
            )
    return found


@pytest.fixture(scope="module")
def seen(
    served: str, tmp_path_factory: pytest.TempPathFactory, pytestconfig: pytest.Config
) -> dict[str, dict[str, Any]]:
    """Every check's report, by name, from one Chromium."""
    every_screen = bool(pytestconfig.getoption("--screenshots"))
    reports: dict[str, dict[str, Any]] = run_checks(
        served, checks("after", every_screen), tmp_path_factory.mktemp("layout")
    )["reports"]
    return reports


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
EVERY_AWARD = [f"{page}-{size}" for page in SHOWN for size in VIEWPORTS]
PHONES = [size for size, (width, _) in VIEWPORTS.items() if width < 700]


@pytest.mark.parametrize("name", EVERY_PAGE)
def test_no_page_is_wider_than_the_screen(seen: dict[str, dict[str, Any]], name: str) -> None:
    width = observed(seen, name, "overflow")
    assert width["scrollWidth"] <= width["innerWidth"], width["wide"]


def test_every_award_state_is_shown() -> None:
    assert set(STATUS_LINES) == set(EARNER_LINES) == set(SHOWN)
    states = {words[0] for words in STATUS_LINES.values()}
    assert states == {
        "Badge valide", "Badge révoqué", "Revoked badge", "Badge expiré", "Badj talvoudek",
        "Badj nullet", "Badge délivré sur Badgr",
    }  # fmt: skip


@pytest.mark.parametrize("name", EVERY_AWARD)
def test_the_award_status_is_whole_on_the_first_screen(
    seen: dict[str, dict[str, Any]], name: str
) -> None:
    """The state, with its date and reason, is read without scrolling: the whole status box,
    from its top to its bottom (a revoked award's reason included, at 320x640 too), not only
    its first words."""
    status = observed(seen, name, "box", STATUS)
    line = observed(seen, name, "box", STATUS_LINE)
    window = observed(seen, name, "overflow")
    assert status is not None and line is not None, f"{name}: no {STATUS_LINE}"
    assert 0 <= status["top"] <= line["top"] < line["bottom"] <= status["bottom"]
    assert status["bottom"] <= window["innerHeight"], (status, window["innerHeight"])
    said = " ".join(observed(seen, name, "property", STATUS_LINE).split())
    page = name.rsplit("-", 1)[0]
    assert all(words in said for words in STATUS_LINES[page]), (said, STATUS_LINES[page])


@pytest.mark.parametrize("name", EVERY_AWARD)
def test_the_earner_and_the_date_are_beside_the_badge_in_large_type_on_the_first_screen(
    seen: dict[str, dict[str, Any]], name: str
) -> None:
    """As on Credly: "Décerné à NAME le DATE" (or the date and "nom non publié") right beside
    the badge's image, larger than the text, and whole on the first screen."""
    earner = observed(seen, name, "box", EARNER)
    image = observed(seen, name, "box", IMAGE)
    window = observed(seen, name, "overflow")
    assert earner["left"] >= image["right"] - 0.5, (earner, image)
    assert earner["top"] < image["bottom"] and image["top"] < earner["bottom"], (earner, image)
    assert earner["bottom"] <= window["innerHeight"], (earner, window["innerHeight"])
    said = " ".join(observed(seen, name, "property", EARNER).split())
    assert said == EARNER_LINES[name.rsplit("-", 1)[0]], said
    size, text = (float(observed(seen, name, "style", s)[:-2]) for s in (EARNER, MAIN))
    assert size >= 1.2 * text, (size, text)


@pytest.mark.parametrize("name", [f"{page}-{size}" for page in AWARDS for size in PHONES])
def test_on_a_phone_what_the_badge_attests_comes_before_sharing(
    seen: dict[str, dict[str, Any]], name: str
) -> None:
    criteria = observed(seen, name, "box", CRITERIA)
    share = observed(seen, name, "box", SHARE)
    assert criteria["bottom"] <= share["top"], (criteria, share)


@pytest.mark.parametrize("page", AWARDS)
def test_on_a_laptop_sharing_is_a_column_beside_what_the_badge_attests(
    seen: dict[str, dict[str, Any]], page: str
) -> None:
    name = f"{page}-1366x900"
    criteria = observed(seen, name, "box", CRITERIA)
    share = observed(seen, name, "box", SHARE)
    assert share["left"] >= criteria["right"] and share["top"] < criteria["bottom"]
    assert share["bottom"] <= VIEWPORTS["1366x900"][1], share


@pytest.mark.parametrize("name", EVERY_AWARD)
def test_sharing_is_one_compact_row(seen: dict[str, dict[str, Any]], name: str) -> None:
    """Copy, download, print and "Add to…" (the wallet and the QR codes folded in it): two
    lines of buttons at most, each label on two lines at most, at every width."""
    row = observed(seen, name, "box", SHARE_ROW)
    assert row["bottom"] - row["top"] <= 2 * 56 + 8, row


@pytest.mark.parametrize("name", EVERY_AWARD)
def test_a_visitor_reads_no_technical_word(seen: dict[str, dict[str, Any]], name: str) -> None:
    """Key ids, algorithms, the standards' words and full addresses are in the folded
    technical details (and the "Add to…" panel), never in what the page shows at first."""
    shown = " ".join(observed(seen, name, "property", MAIN).split())
    assert EARNER_LINES[name.rsplit("-", 1)[0]] in shown  # the page's text, read
    assert TECHNICAL.findall(shown) == [], TECHNICAL.findall(shown)


@pytest.mark.parametrize("size", VIEWPORTS)
def test_an_anonymous_award_names_no_one_in_plain_words(
    seen: dict[str, dict[str, Any]], size: str
) -> None:
    named = " ".join(observed(seen, f"award-valid-{size}", "property", EARNER).split())
    anonymous = " ".join(observed(seen, f"award-anonymous-{size}", "property", EARNER).split())
    assert named.startswith("Décerné à Alice Martin le "), named
    assert "nom non publié" in anonymous and "Décerné à" not in anonymous, anonymous
    assert "empreinte" not in anonymous and "salée" not in anonymous, anonymous


@pytest.mark.parametrize("name", EVERY_AWARD)
def test_only_a_valid_award_is_promoted(seen: dict[str, dict[str, Any]], name: str) -> None:
    offered = {selector: observed(seen, name, "count", selector) for selector in PROMOTIONS}
    if name.startswith(("award-revoked", "award-expired", "earlier")):
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


@pytest.mark.parametrize("name", EXPECTED_SCREENS)
def test_the_award_page_s_first_screen_looks_as_expected(
    seen: dict[str, dict[str, Any]], name: str, request: pytest.FixtureRequest
) -> None:
    shot = Path(observed(seen, name, "screenshot"))
    update = bool(request.config.getoption("--update-golden"))
    drawn_by = functools.partial(chromium_and_fonts, CHROMIUM)
    assert_looks_as_expected(shot, name, SCREEN, update=update, drawn_by=drawn_by)

"""Real-browser tests: Debian's Chromium, driven by playwright-core, over the built example site.

The site, built once per session (tests/published_sites.py), is served by a threaded
http.server on 127.0.0.1, under /open-badges/ as on GitHub Pages. tests/browser/run.mjs opens
each page in headless Chromium (no network: every request to another host is aborted and
reported), runs the steps listed here and prints what it saw; the assertions are all in this file. One Chromium serves every
check. The award page's DOM contract: the "Is this badge mine?" form (#is-it-mine,
#mine-email, #mine-result[data-result]), the copy-link button (#copy-link[data-copied]) and
the printable .certificate.
"""

from __future__ import annotations

import functools
import json
import re
import shutil
import subprocess
import threading
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from .conftest import ROOT
from .published_sites import QuietHandler

BROWSER_TESTS = ROOT / "tests" / "browser"
RUN = BROWSER_TESTS / "run.mjs"
CHROMIUM = Path("/usr/bin/chromium")
NODE = shutil.which("node")
INSTALL = "apt-get install -y chromium && npm ci --prefix tests/browser --no-audit --no-fund --prefer-offline"

if not CHROMIUM.exists():
    pytest.skip(
        f"browser tests need Debian's Chromium at {CHROMIUM}: run `{INSTALL}`",
        allow_module_level=True,
    )
if NODE is None:
    pytest.skip(
        f"browser tests need Node.js (20 or newer): install it, then run `{INSTALL}`",
        allow_module_level=True,
    )
if not (BROWSER_TESTS / "node_modules").is_dir():
    pytest.skip(
        f"browser tests need their npm packages: run `{INSTALL}` at the repository root",
        allow_module_level=True,
    )

PREFIX = "/open-badges/"  # the path of base_url (https://fababrest.github.io/open-badges/)
AWARD = PREFIX + "awards/biklab/20240312-ef961c53/"
RECIPIENT = "alice.martin@example.org"  # see tests/keys/make-example-awards.sh
PORTFOLIO = PREFIX + "people/alice-m/"
AXE_PAGES = {
    "award": AWARD,
    "award-en": PREFIX + "en/awards/biklab/20240312-ef961c53/",
    "home": PREFIX,
    "catalogue": PREFIX + "badges/",
    "badge": PREFIX + "badges/decoupe-laser-premiers-pas/",
    "portfolio": PORTFOLIO,
    "award-br": PREFIX + "br/awards/biklab/20240312-ef961c53/",
}
MAP_TILE = re.compile(r"tile|/\d+/\d+/\d+(@2x)?\.(png|jpe?g|webp|pbf|mvt)\b", re.IGNORECASE)

Check = dict[str, Any]
Report = dict[str, Any]


def is_it_mine(name: str, email: str, *, typed: bool = False, submit: str = "click") -> Check:
    """Enter an email in the award page's form, submit it, and read the verdict."""
    result = "#mine-result"
    return {
        "name": name,
        "path": AWARD,
        "steps": [
            {"do": "mark"},
            {"do": "type" if typed else "fill", "selector": "#mine-email", "value": email},
            {"do": "click", "selector": "#is-it-mine [type=submit]"}
            if submit == "click"
            else {"do": "press", "key": "Enter"},
            {
                "do": "waitAttribute",
                "selector": result,
                "name": "data-result",
                "values": ["match", "no-match"],
            },
            {"do": "attribute", "selector": result, "name": "data-result"},
            {"do": "attribute", "selector": result, "name": "role"},
            {"do": "attribute", "selector": "#mine-email", "name": "type"},
        ],
    }


CHECKS: list[Check] = [
    is_it_mine("mine", RECIPIENT),
    is_it_mine(
        "mine-messy",
        f"  {RECIPIENT.replace('alice.martin', 'Alice.MARTIN')}  ",
        typed=True,
        submit="Enter",
    ),
    is_it_mine("not-mine", "bob.le-gall@example.org"),
    {
        "name": "copy-link",
        "path": AWARD,
        "steps": [
            {"do": "attribute", "selector": "link[rel=canonical]", "name": "href"},
            {"do": "click", "selector": "#copy-link"},
            {
                "do": "waitAttribute",
                "selector": "#copy-link",
                "name": "data-copied",
                "values": ["true"],
            },
            {"do": "attribute", "selector": "#copy-link", "name": "data-copied"},
            {"do": "clipboard"},
        ],
    },
    {
        "name": "print",
        "path": AWARD,
        "steps": [
            {"do": "media", "media": "print"},
            {"do": "visible", "selector": ".certificate"},
            {"do": "display", "selector": ".certificate"},
            {"do": "display", "selector": ".site-header nav"},
            {"do": "display", "selector": "#is-it-mine"},
            {"do": "pdf"},
        ],
    },
    {"name": "keyboard", "path": AWARD, "steps": [{"do": "tabOrder", "max": 60}]},
    {
        "name": "menu-escape",
        "path": AWARD,
        "viewport": {"width": 320, "height": 640},
        "steps": [
            {"do": "click", "selector": ".menu-folded summary"},
            {"do": "property", "selector": ".menu-folded", "name": "open"},
            {"do": "press", "key": "Escape"},
            {"do": "property", "selector": ".menu-folded", "name": "open"},
            {"do": "property", "selector": ":focus", "name": "tagName"},
        ],
    },
    *(
        {
            "name": f"add-to-{name}",
            "path": AWARD,
            "viewport": {"width": 390, "height": 844},
            "context": context,
            "steps": [
                {"do": "visible", "selector": ".add-to-panel .wallet img"},
                {"do": "click", "selector": ".add-to summary"},
                {"do": "property", "selector": ".add-to", "name": "open"},
                {"do": "visible", "selector": ".add-to-panel a[href^='https://www.linkedin.com/']"},
                {"do": "visible", "selector": ".wallet img"},
                {"do": "visible", "selector": ".page-qr img"},
                {"do": "visible", "selector": "#copy-link"},
                *([{"do": "axe"}] if name == "script" else []),  # axe is a script
            ],
        }
        for name, context in (("script", {}), ("no-script", {"javaScriptEnabled": False}))
    ),
    {
        "name": "technical-details",
        "path": AWARD,
        "steps": [
            {"do": "visible", "selector": ".technical li"},
            {"do": "click", "selector": ".technical summary"},
            {"do": "property", "selector": ".technical", "name": "innerText"},
        ],
    },
    *(
        {"name": f"axe-{name}", "path": path, "steps": [{"do": "axe"}]}
        for name, path in AXE_PAGES.items()
    ),
]
# the award page again once the form has answered, so that its verdict is checked too
AXE_AFTER_CHECK = is_it_mine("axe-award-after-check", "bob.le-gall@example.org")
AXE_AFTER_CHECK["steps"].append({"do": "axe"})
CHECKS.append(AXE_AFTER_CHECK)


def run_checks(served: str, checks: list[dict[str, Any]], folder: Path) -> dict[str, Any]:
    """Checks run once in one Chromium (run.mjs, given their list in folder/checks.json):
    {"blocked": [the requests it refused], "reports": {name: report}}."""
    assert NODE is not None
    listed = folder / "checks.json"
    listed.write_text(json.dumps(checks), "utf-8")
    done = subprocess.run(
        [NODE, str(RUN), served, str(listed)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, f"run.mjs failed:\n{done.stderr}\n{done.stdout}"
    seen = json.loads(done.stdout)
    return {"blocked": seen["blocked"], "reports": {r["name"]: r for r in seen["reports"]}}


@pytest.fixture(scope="module")
def browsed(served: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Every check run once in one Chromium."""
    return run_checks(served, CHECKS, tmp_path_factory.mktemp("checks"))


def report(browsed: dict[str, Any], name: str) -> Report:
    """The report of one check, asserting that the page loaded and ran without errors."""
    found: Report = browsed["reports"][name]
    assert found["status"] == 200, f"{found['path']}: HTTP {found['status']}"
    assert found["errors"] == [], found["errors"]
    return found


def value(found: Report, action: str, selector: str | None = None, name: str | None = None) -> Any:
    """What one observing step of a check saw."""
    for result in found["results"]:
        if (result["do"], result.get("selector"), result.get("name")) == (action, selector, name):
            return result["value"]
    raise AssertionError(f"{found['name']}: no {action} {selector or ''} {name or ''} result")


@pytest.mark.parametrize(
    ("check", "expected"), [("mine", "match"), ("mine-messy", "match"), ("not-mine", "no-match")]
)
def test_is_it_mine_answers_in_the_browser_without_sending_anything(
    browsed: dict[str, Any], check: str, expected: str
) -> None:
    found = report(browsed, check)
    assert value(found, "attribute", "#mine-email", "type") == "email"
    assert value(found, "attribute", "#mine-result", "role") == "status"
    assert value(found, "attribute", "#mine-result", "data-result") == expected
    # the email is checked against the salted hash in the page: nothing leaves the browser
    assert found["requestsAfterMark"] == []


def test_copy_link_copies_the_canonical_url(browsed: dict[str, Any]) -> None:
    found = report(browsed, "copy-link")
    canonical = value(found, "attribute", "link[rel=canonical]", "href")
    assert canonical == "https://fababrest.github.io" + AWARD
    assert value(found, "attribute", "#copy-link", "data-copied") == "true"
    assert value(found, "clipboard") == canonical


def test_print_view_is_a_one_page_certificate(browsed: dict[str, Any]) -> None:
    found = report(browsed, "print")
    assert value(found, "visible", ".certificate") is True
    assert value(found, "display", ".certificate") not in (None, "none")
    assert value(found, "display", ".site-header nav") == "none"
    assert value(found, "display", "#is-it-mine") == "none"
    assert value(found, "pdf") == 1


@pytest.mark.parametrize("name", ["script", "no-script"])
def test_add_to_unfolds_linkedin_the_wallet_and_the_page_qr_code(
    browsed: dict[str, Any], name: str
) -> None:
    """One "Add to…" control (a <details>, no script needed) holds what used to fill a phone's
    screen: LinkedIn, the wallet's QR code and link, the page's QR code."""
    found = report(browsed, f"add-to-{name}")
    assert value(found, "visible", ".add-to-panel .wallet img") is False
    assert value(found, "property", ".add-to", "open") is True
    assert value(found, "visible", ".add-to-panel a[href^='https://www.linkedin.com/']") is True
    assert value(found, "visible", ".wallet img") is True
    assert value(found, "visible", ".page-qr img") is True
    # copying needs the script; without it the button is not offered
    assert value(found, "visible", "#copy-link") is (name == "script")
    if name == "script":
        violations = value(found, "axe")
        assert violations == [], json.dumps(violations, indent=1, ensure_ascii=False)


def test_the_technical_details_are_folded_under_verify(browsed: dict[str, Any]) -> None:
    found = report(browsed, "technical-details")
    assert value(found, "visible", ".technical li") is False
    details = " ".join(value(found, "property", ".technical", "innerText").split())
    for words in ("key-1", "Ed25519", "eddsa-rdfc-2022", "Open Badges 3.0", "Open Badges 2.0"):
        assert words in details, details
    assert "https://" not in details  # the links say what they lead to, in words


def test_keyboard_reaches_the_skip_link_first_then_the_form_and_the_copy_button(
    browsed: dict[str, Any],
) -> None:
    order = value(report(browsed, "keyboard"), "tabOrder")
    assert order, "Tab focused nothing"
    assert order[0]["tag"] == "a" and "skip" in (order[0]["className"] or ""), order[0]
    ids = [focused["id"] for focused in order]
    assert "mine-email" in ids, ids
    assert "copy-link" in ids, ids


@pytest.mark.parametrize("page", [*AXE_PAGES, "award-after-check"])
def test_no_serious_accessibility_violation(browsed: dict[str, Any], page: str) -> None:
    found = browsed["reports"][f"axe-{page}"]
    if page == "portfolio" and found["status"] == 404:
        pytest.skip(f"{PORTFOLIO} is not published yet (404)")
    found = report(browsed, f"axe-{page}")
    violations = value(found, "axe")
    for minor in (v for v in violations if v["impact"] not in ("serious", "critical")):
        print(
            f"{found['path']}: axe {minor['impact']}: {minor['id']}: {minor['help']}: "
            + ", ".join(node["target"] for node in minor["nodes"])
        )
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert serious == [], json.dumps(serious, indent=1, ensure_ascii=False)


def test_no_request_left_the_machine(browsed: dict[str, Any]) -> None:
    requests = [url for r in browsed["reports"].values() for url in r["requests"]]
    assert requests, "the browser made no request at all"
    assert browsed["blocked"] == []
    assert [url for url in requests if MAP_TILE.search(url)] == []
    assert [url for url in requests if not url.startswith("http://127.0.0.1:")] == []


def test_escape_closes_the_folded_menu_and_gives_back_the_focus(browsed: dict[str, Any]) -> None:
    found = report(browsed, "menu-escape")
    opened = [r["value"] for r in found["results"] if r["do"] == "property" and r["name"] == "open"]
    assert opened == [True, False]
    assert value(found, "property", ":focus", "tagName") == "SUMMARY"


def test_axe_reports_every_violation_of_a_page_made_to_have_them(tmp_path: Path) -> None:
    """The control of the axe checks above: a page without a language, a heading, an image's
    text or a link's name, served as the site is, and axe names each of them, with all the
    elements at fault."""
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "bad.html").write_text(
        '<!doctype html><html><title>t</title><body><main><img src="a.png"><img src="b.png">'
        '<a href="#"></a></main></body></html>\n',
        "utf-8",
    )
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        checks = [{"name": "bad", "path": "bad.html", "steps": [{"do": "axe"}]}]
        seen = run_checks(f"http://127.0.0.1:{server.server_address[1]}/", checks, tmp_path)
    finally:
        server.shutdown()
        server.server_close()
    violations = {v["id"]: len(v["nodes"]) for v in value(report(seen, "bad"), "axe")}
    assert violations == {
        "html-has-lang": 1,
        "page-has-heading-one": 1,
        "image-alt": 2,
        "link-name": 1,
    }

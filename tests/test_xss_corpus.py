"""An XSS corpus in every field a contributor or a signing structure controls, built, and
every page that shows it opened in Chromium: nothing may run.

tests/xss_corpus.py holds the payloads (OWASP's filter evasion cheat sheet and polyglots,
each calling xss(N)); tests/xss_sites.py puts payload i in every field of page i, badge i and
structure i (build "contributed"), of credential i, its holder person i and revocation i,
signed by the structure's key (build "test-network", from the signed test network), and of
the settings and skills of site i (one small build each). A field the build refuses, with a located
error, is put back to a harmless value until the site builds. Then one Chromium
(tests/browser/xss.mjs) opens every page, SVG image and feed of the builds, fires the events
a visitor would, clicks every link that is not a web link, and reports every call of xss,
alert, confirm or prompt. A case (payload, field) is refused, or inert; never executed.
A canary page, written to run, shows that the browser would see it if one did: in the page,
in its frames (one of another process, and its request to another host), its pop-up.
"""

from __future__ import annotations

import contextlib
import functools
import json
import re
import shutil
import subprocess
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from generator.issuer.keys import read_private_key
from generator.issuer.trust_setup import write_codeowners

from .conftest import copy_site
from .credential_fixtures import SignedNetwork, copy_network, read_json
from .published_sites import QuietHandler
from .test_browser import BROWSER_TESTS, NODE
from .xss_corpus import PAYLOAD_CLASSES, PAYLOADS
from .xss_credentials import Credential, Revocation, Signer, status_list
from .xss_sites import (
    Badge,
    Build,
    Case,
    Entity,
    Page,
    Person,
    SiteSettings,
    Skills,
    Structure,
    build_with_corpus,
    cases,
)

RUN = BROWSER_TESTS / "xss.mjs"
FAMILIES = ("site", "skills", "page", "badge", "issuer", "person", "credential")
PLAIN_AWARD = "20240310-dead"  # the credentials revoked with a payload as their reason
# Where a small site shows its settings (on every page alike) and its skills.
SMALL_SITE_PAGES = {
    f"{language}{page}"
    for language in ("", "en/")
    for page in ("index.html", "map/index.html", "map/laser/index.html")
} | {"feed.xml"}
EXECUTED = {"xss", "alert", "confirm", "prompt"}  # what a payload calls; `uncaught` is apart
# Template payloads write this before their marker when a template engine evaluates them.
EVALUATED = b"ssti-xss("
# Pages written to run (markers below 100, which no case has): what the browser must see. The
# page also opens a pop-up; and where two hosts serve the harnesses, it shows a frame from the
# other one, which Chromium puts in a process of its own, and which asks a third host for an
# image (its load, hence the page's, waits for that request to fail). The `.htm` files are
# opened only through the page (_pages lists `.html`, `.svg` and `.xml` files): what they do
# is seen there or not at all.
CANARY = {
    "canary/page.html": (
        "<!doctype html><title>canary</title><script>xss(1)</script><img src=x onerror=xss(2)>"
        '<a href="javascript:xss(3)">a</a><details ontoggle=xss(4)><summary>s</summary></details>'
        "<div onmouseover=xss(5)>d</div>"
        '<iframe src="data:text/html,&lt;script&gt;xss(6)&lt;/script&gt;"></iframe>\n'
        "<script>window.open('opened.htm');\n"
        "const other = {origins}.find((origin) => origin !== location.origin);\n"
        'if (other) document.write(`<iframe src="${other}/canary/frame.htm"></iframe>`);'
        "</script>\n"
    ),
    "canary/image.svg": '<svg xmlns="http://www.w3.org/2000/svg"><script>xss(7)</script></svg>\n',
    "canary/frame.htm": (
        "<!doctype html><title>frame</title><script>xss(8)</script>"
        '<img src="http://canary.invalid/frame.png" alt="">\n'
    ),
    "canary/opened.htm": "<!doctype html><title>opened</title>\n",
}
CANARY_MARKERS = {str(n) for n in range(1, 8)}
CANARY_OTHER_PROCESS = "8"  # the frame of the other host
CANARY_ELSEWHERE = "http://canary.invalid/frame.png"  # asked for by that frame


@dataclass(frozen=True)
class Corpus:
    """The builds, their cases, and what Chromium saw of them and of the canary."""

    builds: dict[str, Build]
    cases: list[Case]
    seen: dict[str, Any]

    def is_canary(self, url: str) -> bool:
        """Whether a URL is one of the canary's (or a frame of it)."""
        return "/canary/" in url

    @property
    def reports(self) -> list[dict[str, Any]]:
        """What Chromium saw of each page of the builds."""
        return [r for r in self.seen["reports"] if not self.is_canary(r["url"])]

    def calls(self, *, canary: bool = False) -> list[dict[str, Any]]:
        """Every call the pages of the builds (or the canary's) made, however recorded."""
        found = [{**call, "page": r["url"]} for r in self.seen["reports"] for call in r["calls"]]
        found += self.seen["stray"]
        return [call for call in found if self.is_canary(call["page"]) == canary]

    def case_of(self, marker: int) -> Case | None:
        """The case whose payload calls xss(marker)."""
        return next((case for case in self.cases if case.marker == marker), None)


def _contributed(root: Path, www: Path) -> tuple[Build, list[Entity]]:
    """Pages, badges and structures: payload i in page i, badge i and structure i."""
    site = copy_site("minimal", root / "contributed")
    settings = site / "content" / "site.yaml"
    settings.write_text(
        settings.read_text("utf-8").replace("/test-network/", "/contributed/"), "utf-8"
    )
    entities: list[Entity] = []
    for payload in PAYLOADS:
        entities += [Page(payload), Badge(payload), Structure(payload)]
    return build_with_corpus(site, www / "contributed", entities), entities


def _signed(signed: SignedNetwork, root: Path, www: Path) -> tuple[Build, list[Entity]]:
    """Credential i of laser-debutant, held by person i; plain credential i revoked with
    reason i; all signed by atelier's key. Laser-debutant's image is an SVG, so that every
    award is also published as baked SVG images, and its level lists resource persons."""
    network = copy_network(signed, root / "signed")
    site = network.site
    skills = site / "content" / "skills.yaml"
    skills.write_text(
        skills.read_text("utf-8").replace("  debutant:\n", "  debutant:\n    resource: true\n"),
        "utf-8",
    )
    (site / "badges" / "laser-debutant.png").unlink()
    shutil.copyfile(site / "badges" / "atelier-accueil.svg", site / "badges" / "laser-debutant.svg")
    signer = Signer(read_private_key(network.key_file))
    template = read_json(network.laser)
    entities: list[Entity] = []
    for payload in PAYLOADS:
        n = payload.number
        credential = Credential(payload, template, signer, 1000 + n, f"20240310-c0de{n:04x}")
        plain = Credential(payload, template, signer, 2000 + n, f"{PLAIN_AWARD}{n:04x}", plain=True)
        person = Person(payload, f"atelier/{credential.award_slug}")
        entities += [credential, person, Revocation(payload, plain)]
    (site / "assertions" / "atelier" / "status-list.json").write_bytes(
        status_list(signer, (2000 + payload.number for payload in PAYLOADS))
    )
    return build_with_corpus(site, www / "test-network", entities), entities


def _site_settings(root: Path, www: Path) -> tuple[dict[str, Build], list[Entity]]:
    """Payload i in the settings and skills of site i: a small site (the network's own
    structure only), one content repository whose site.yaml and skills.yaml change for each
    build (so that its cache of compiled templates serves them all), built into a folder per
    payload."""
    small = copy_site("minimal", root / "small")
    for name in ("badges", "content/pages"):
        shutil.rmtree(small / name)
    (small / "content" / "issuers" / "atelier.yaml").unlink()
    write_codeowners(small)  # without atelier's lines
    builds: dict[str, Build] = {}
    entities: list[Entity] = []
    for payload in PAYLOADS:
        settings, skills = SiteSettings(payload), Skills(payload)
        builds[settings.slug] = build_with_corpus(small, www / settings.slug, [settings, skills])
        entities += [settings, skills]
    return builds, entities


def _pages(www: Path) -> list[str]:
    """The paths Chromium opens: the canary's; every page, SVG image and feed of the two
    large builds (but the baked images of the plain credentials, which hold no payload); the
    SMALL_SITE_PAGES of each small one."""
    paths = []
    for path in sorted(www.rglob("*")):
        relative = path.relative_to(www).as_posix()
        if path.suffix not in (".html", ".svg", ".xml") or relative == "harness.html":
            continue
        if relative.startswith("xss-"):
            if relative.split("/", 1)[1] not in SMALL_SITE_PAGES:
                continue
        elif path.suffix == ".svg" and f"/{PLAIN_AWARD}" in relative:
            continue
        paths.append(relative)
    return paths


# Two addresses of the loopback, two sites for Chromium: each harness tab gets a renderer
# process of its own, and the pages load on two processors (where 127.0.0.2 answers).
HOSTS = ("127.0.0.1", "127.0.0.2")


@contextlib.contextmanager
def _served(www: Path) -> Iterator[list[str]]:
    """www served on each loopback address that can be bound: the harness pages' URLs."""
    handler = functools.partial(QuietHandler, directory=str(www))
    served: list[tuple[str, ThreadingHTTPServer, threading.Thread]] = []
    for host in HOSTS:
        try:
            server = ThreadingHTTPServer((host, 0), handler)
        except OSError:
            continue  # this system answers on 127.0.0.1 alone
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        served.append((host, server, thread))
    try:
        yield [f"http://{host}:{server.server_port}/harness.html" for host, server, _ in served]
    finally:
        for _, server, thread in served:
            server.shutdown()
            server.server_close()
            thread.join(timeout=10)


def _browse(www: Path) -> dict[str, Any]:
    """Serve www on the loopback and have xss.mjs open its pages in one Chromium."""
    assert NODE is not None
    (www / "harness.html").write_text("<!doctype html><title>harness</title>\n", "utf-8")
    pages = www.parent / "pages.json"
    with _served(www) as harnesses:
        origins = json.dumps([harness.removesuffix("/harness.html") for harness in harnesses])
        for name, text in CANARY.items():
            (www / name).parent.mkdir(exist_ok=True)
            (www / name).write_text(text.replace("{origins}", origins), "utf-8")
        pages.write_text(json.dumps(_pages(www)), "utf-8")
        done = subprocess.run(
            [NODE, str(RUN), str(pages), *harnesses],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    assert done.returncode == 0, f"xss.mjs failed:\n{done.stderr}\n{done.stdout[-2000:]}"
    seen: dict[str, Any] = json.loads(done.stdout)
    seen["harnesses"] = len(harnesses)
    return seen


@pytest.fixture(scope="module")
def corpus(signed: SignedNetwork, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Corpus]:
    """The corpus built into three kinds of sites, served, and opened in one Chromium."""
    root = tmp_path_factory.mktemp("xss")
    www = root / "www"
    www.mkdir()
    builds: dict[str, Build] = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FABABREST_CACHE_DIR", str(root / "cache"))
        builds["contributed"], contributed = _contributed(root, www)
        builds["test-network"], credentials = _signed(signed, root, www)
        small_builds, settings = _site_settings(root, www)
    builds.update(small_builds)
    yield Corpus(builds, list(cases([*contributed, *credentials, *settings])), _browse(www))


def _reason(refusal: str) -> str:
    """A refusal's message without its file, its quoted values and its advice."""
    message = refusal.split(": error: ", 1)[-1]
    return re.sub(r"'[^']*'|\"[^\"]*\"", "…", message).split(";")[0][:70]


def test_the_browser_sees_a_payload_that_runs(corpus: Corpus) -> None:
    """The canary's scripts, handlers, javascript: link, data: frame, SVG script and frame of
    another process all ran, its pop-up and that frame's request to another host were seen,
    and its page lists what let them: else the other tests would prove nothing."""
    ran = {call["value"] for call in corpus.calls(canary=True) if call["what"] == "xss"}
    two_hosts = corpus.seen["harnesses"] > 1  # else no frame of another process
    assert ran == CANARY_MARKERS | ({CANARY_OTHER_PROCESS} if two_hosts else set())
    assert [url for url in corpus.seen["popups"] if corpus.is_canary(url)] != []
    assert (CANARY_ELSEWHERE in corpus.seen["elsewhere"]) == two_hosts
    page = next(r for r in corpus.seen["reports"] if r["url"].endswith("/canary/page.html"))
    assert {finding["kind"] for finding in page["live"]} >= {"handler", "script", "url", "element"}


def test_every_case_calls_a_number_of_its_own(corpus: Corpus) -> None:
    assert all(0 < case.field.index < 100 for case in corpus.cases)
    assert len({case.marker for case in corpus.cases}) == len(corpus.cases)
    assert {case.payload for case in corpus.cases} == set(PAYLOADS)


def test_every_build_refuses_with_located_errors_or_builds(corpus: Corpus) -> None:
    """No traceback, no crash, no error that names no field: each refusal is on its case's
    file (`path:line: error:` for YAML and Markdown, `path: error:` naming the field for a
    credential), and then the site builds."""
    unexpected = [
        f"{name}: {problem[:600]}"
        for name, build in corpus.builds.items()
        for problem in build.unexpected
    ]
    assert not unexpected, "\n".join(unexpected)
    for case in corpus.cases:
        for refusal in case.refusals:
            assert ": error: " in refusal and "Traceback" not in refusal, refusal


def test_no_payload_runs_in_chromium(corpus: Corpus) -> None:
    ran = []
    for call in corpus.calls():
        if call["what"] in EXECUTED:
            case = corpus.case_of(int(call["value"])) if call["value"].isdigit() else None
            where = (case.field.name, case.payload.text(case.marker)) if case else None
            ran.append((call["page"], call["what"], call["value"], where))
    assert ran == []
    assert corpus.seen["dialogs"] == []
    assert [url for url in corpus.seen["popups"] if not corpus.is_canary(url)] == []
    assert corpus.seen["moved"] == []  # no page took its harness tab elsewhere


def test_every_page_loads_once_without_live_markup_or_errors(corpus: Corpus) -> None:
    """What a payload would need in order to run is nowhere: no event-handler attribute, no
    script but the theme's, no frame, object, embed, base, refresh or foreign form, no
    script URL; no page navigates away, and no page's own script fails."""
    assert corpus.reports
    bad = [
        {key: report[key] for key in ("url", "status", "loads", "live", "errors")}
        for report in corpus.reports
        if report["status"] != 200 or report["loads"] != 1 or report["live"] or report["errors"]
    ]
    assert bad == []
    assert [call for call in corpus.calls() if call["what"] == "uncaught"] == []


def test_no_request_leaves_the_machine_but_the_map_tiles(corpus: Corpus) -> None:
    tiles = "https://tile.openstreetmap.org/"
    elsewhere = [url for url in corpus.seen["elsewhere"] if url != CANARY_ELSEWHERE]
    assert [url for url in elsewhere if not url.startswith(tiles)] == []


def test_no_template_is_evaluated(corpus: Corpus) -> None:
    """A payload written as a Jinja (or other) template shows as written."""
    evaluated = [
        path
        for build in corpus.builds.values()
        for path in build.out.rglob("*")
        if path.is_file() and EVALUATED in path.read_bytes()
    ]
    assert evaluated == []


def test_every_field_shows_the_corpus(corpus: Corpus) -> None:
    """The corpus reached the pages: every field shows, in some page, image or feed, payloads
    the build took (a browser that saw none would prove nothing for that field)."""
    shown = {marker for report in corpus.reports for marker in report["shown"]}
    by_field: dict[str, list[bool]] = {}
    for case in corpus.cases:
        if not case.refusals:
            by_field.setdefault(case.field.name, []).append(case.marker in shown)
    assert sorted(name for name, seen in by_field.items() if not any(seen)) == []


def test_report(corpus: Corpus, request: pytest.FixtureRequest) -> None:
    """Counts per field family and payload class: tried, refused by the build, built and
    inert in Chromium, executed (always 0); then per field, with the build's reasons."""
    executed = {
        int(call["value"])
        for call in corpus.calls()
        if call["what"] in EXECUTED and call["value"].isdigit()
    }
    counts: Counter[tuple[str, str, str]] = Counter()
    for case in corpus.cases:
        outcome = "refused" if case.refusals else "executed" if case.marker in executed else "inert"
        for family in (case.field.family, "all"):
            for kind in (case.payload.kind, "all"):
                counts[(family, kind, "tried")] += 1
                counts[(family, kind, outcome)] += 1
    lines = [
        f"XSS corpus: {len(PAYLOADS)} payloads, {len(corpus.cases)} cases, "
        f"{len(corpus.reports)} documents opened",
        f"{'family':<11} {'class':<10} {'tried':>6} {'refused':>8} {'inert':>6} {'executed':>9}",
    ]
    for family in (*FAMILIES, "all"):
        for kind in (*PAYLOAD_CLASSES, "all"):
            if counts[(family, kind, "tried")]:
                lines.append(
                    f"{family:<11} {kind:<10} {counts[(family, kind, 'tried')]:>6} "
                    f"{counts[(family, kind, 'refused')]:>8} {counts[(family, kind, 'inert')]:>6} "
                    f"{counts[(family, kind, 'executed')]:>9}"
                )
    shown = {marker for report in corpus.reports for marker in report["shown"]}
    lines.append(f"{'field':<34} {'tried':>6} {'refused':>8} {'shown':>6}  refused because")
    for name in dict.fromkeys(case.field.name for case in corpus.cases):
        of_field = [case for case in corpus.cases if case.field.name == name]
        reasons = Counter(_reason(refusal) for case in of_field for refusal in case.refusals[:1])
        lines.append(
            f"{name:<34} {len(of_field):>6} {sum(bool(c.refusals) for c in of_field):>8} "
            f"{sum(c.marker in shown for c in of_field):>6}  "
            + "; ".join(f"{count} x {reason}" for reason, count in reasons.most_common(2))
        )
    # Printed at the end of the run (tests/conftest.py), from whichever worker ran it.
    request.node.user_properties.append(("summary", "\n".join(lines)))
    assert counts[("all", "all", "executed")] == 0
    assert counts[("all", "all", "tried")] == len(corpus.cases)

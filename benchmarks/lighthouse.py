"""Lighthouse's four scores for the example network's pages: python benchmarks/lighthouse.py.

Builds the example network (the repository's content) into a temporary folder, serves it on
127.0.0.1 under /open-badges/ as GitHub Pages serves base_url, and has
benchmarks/lighthouse/audit.mjs run Lighthouse (the npm package pinned in
benchmarks/lighthouse/package-lock.json, installed there with `npm ci` when missing or older
than the lock) in Debian's Chromium (/usr/bin/chromium, given as CHROME_PATH; never a browser
a tool downloads) on the award pages (valid, revoked, earlier, in French and English), a
badge, a structure, the home page and the catalogue, as a phone and as a laptop. No request
leaves the machine: Chromium resolves no host name but 127.0.0.1, and any request that tried
is listed. Prints the performance, accessibility, best-practices and SEO scores of each page
(0 to 100), then every audit that cost a page points (an award's page loses SEO points by
design: it says `noindex`). `--reports DIR` keeps Lighthouse's full JSON reports there. Like
the benchmark, it measures and asserts nothing; it is not part of the test command (a run
takes minutes).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import os
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from generator.site.build import build  # noqa: E402

NODE_PACKAGE = Path(__file__).resolve().parent / "lighthouse"
CHROMIUM = Path("/usr/bin/chromium")  # Debian's
PREFIX = "open-badges"  # the path of the example's base_url, as on GitHub Pages
PAGES = {
    "home": "",
    "catalogue": "badges/",
    "badge": "badges/decoupe-laser-premiers-pas/",
    "structure": "issuers/fablab-exemple-port/",
    "award-valid": "awards/biklab/20240312-ef961c53/",
    "award-valid-en": "en/awards/biklab/20240312-ef961c53/",
    "award-revoked": "awards/fablab-exemple-port/20240420-6ebc5c6e/",
    "award-revoked-en": "en/awards/fablab-exemple-port/20240420-6ebc5c6e/",
    "earlier": "earlier/fablab-exemple-port/20230610-9696328e/",
    "earlier-en": "en/earlier/fablab-exemple-port/20230610-9696328e/",
}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
# The pages of a person's award say `noindex` (README, "Search"): Lighthouse's SEO category
# counts that against them (is-crawlable, 66 instead of 100), as it should for a page meant
# for search engines; these are not.
NOT_INDEXED = {page for page in PAGES if page.startswith(("award-", "earlier"))}
BY_DESIGN = {"is-crawlable": "by design: a person's award is kept out of search engines"}


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def served(site: Path) -> Iterator[str]:
    """The site served on 127.0.0.1 under /open-badges/: its address."""
    with tempfile.TemporaryDirectory(prefix="lighthouse-served-") as root:
        (Path(root) / PREFIX).symlink_to(site, target_is_directory=True)
        handler = functools.partial(_QuietHandler, directory=root)
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}/{PREFIX}/"
        finally:
            server.shutdown()
            server.server_close()
            thread.join(timeout=10)


def install_lighthouse() -> None:
    """`npm ci` in benchmarks/lighthouse/ when its packages are missing or older than the lock."""
    installed = NODE_PACKAGE / "node_modules" / ".package-lock.json"
    lock = NODE_PACKAGE / "package-lock.json"
    if installed.is_file() and installed.stat().st_mtime >= lock.stat().st_mtime:
        return
    print("installing Lighthouse (npm ci in benchmarks/lighthouse/)", file=sys.stderr)
    subprocess.run(
        ["npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts"], cwd=NODE_PACKAGE, check=True
    )


def audit(base: str, reports: Path) -> list[dict[str, Any]]:
    """Lighthouse's runs of every page, as phone and laptop (audit.mjs's list)."""
    pages = reports / "pages.json"
    pages.write_text(
        json.dumps([{"name": name, "url": base + path} for name, path in PAGES.items()]), "utf-8"
    )
    done = subprocess.run(
        ["node", str(NODE_PACKAGE / "audit.mjs"), str(pages), str(reports)],
        env={**os.environ, "CHROME_PATH": str(CHROMIUM)},
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        sys.exit(f"audit.mjs failed:\n{done.stderr}")
    runs: list[dict[str, Any]] = json.loads(done.stdout)
    return runs


def table(runs: list[dict[str, Any]]) -> str:
    """The scores, one line a page, a phone's then a laptop's, in Markdown."""
    scores = {(run["page"], run["form"]): run["scores"] for run in runs}
    lines = [
        "| page | phone: perf | a11y | best pr. | SEO | laptop: perf | a11y | best pr. | SEO |",
        "|---" * 9 + "|",
    ]
    for page in PAGES:
        cells = [
            "-" if scores[page, form][c] is None else str(round(100 * scores[page, form][c]))
            for form in ("mobile", "desktop")
            for c in CATEGORIES
        ]
        lines.append(f"| {page} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def findings(runs: list[dict[str, Any]]) -> list[str]:
    """What cost points, what went wrong, and any request that tried to leave the machine."""
    said = []
    for run in runs:
        where = f"{run['page']} ({run['form']})"
        if run["error"]:
            said.append(f"{where}: Lighthouse failed: {run['error']}")
        for audit in run["below"]:
            value = f" ({audit['value']})" if audit["value"] else ""
            why = BY_DESIGN.get(audit["id"], "") if run["page"] in NOT_INDEXED else ""
            said.append(
                f"{where}: {audit['category']}: {audit['id']}: {audit['title']}{value},"
                f" score {audit['score']}" + (f" ({why})" if why else "")
            )
        said.extend(
            f"{where}: a request tried to leave the machine: {url}" for url in run["outside"]
        )
    return said


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--reports", type=Path, help="keep Lighthouse's JSON reports in DIR")
    options = parser.parse_args()
    if not CHROMIUM.is_file():
        sys.exit(f"Lighthouse needs Debian's Chromium at {CHROMIUM}: apt-get install chromium")
    install_lighthouse()
    with tempfile.TemporaryDirectory(prefix="lighthouse-") as temporary:
        site = Path(temporary) / "site"
        build(ROOT, site)
        reports = options.reports or Path(temporary) / "reports"
        reports.mkdir(parents=True, exist_ok=True)
        with served(site) as base:
            runs = audit(base, reports)
    print(table(runs))
    print("\n".join(findings(runs)) or "every scored audit passed, and no request left the machine")
    if options.reports:
        print(f"reports: {options.reports}/PAGE-mobile.json, PAGE-desktop.json")


if __name__ == "__main__":
    main()

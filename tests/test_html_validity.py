"""Every page of the example network and of each golden site is valid HTML for the W3C Nu
HTML checker (vnu.jar, from npm, run by Debian's Java): 0 errors. See tests/html/README.md.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

VNU = (
    Path(__file__).resolve().parent
    / "html"
    / "node_modules"
    / "vnu-jar"
    / "build"
    / "dist"
    / "vnu.jar"
)
JAVA = shutil.which("java")
INSTALL = (
    "apt-get install default-jre-headless && "
    "npm ci --prefix tests/html --no-audit --no-fund --prefer-offline --ignore-scripts"
)

if JAVA is None or not VNU.is_file():
    pytest.skip(
        f"the Nu HTML checker needs Java and vnu.jar: run `{INSTALL}`", allow_module_level=True
    )

# A page as the skills map wrote it when a domain x level had no badge: aria-label on a
# plain span, which the checker refuses (the negative control, checked in the same run).
CONTROL = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Contrôle</title></head>
<body><span class="muted" aria-label="Pas encore de badge">—</span></body></html>
"""


def test_every_page_is_valid_html(published_sites: dict[str, Path], tmp_path: Path) -> None:
    control = tmp_path / "control" / "index.html"
    control.parent.mkdir()
    control.write_text(CONTROL, "utf-8")
    pages = {name: sorted(site.rglob("*.html")) for name, site in published_sites.items()}
    assert all(pages.values()), pages
    assert JAVA is not None
    done = subprocess.run(
        [
            JAVA,
            "-jar",
            str(VNU),
            "--errors-only",
            "--format",
            "json",
            "--skip-non-html",
            *(str(site) for site in published_sites.values()),
            str(control.parent),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    messages = json.loads(done.stderr)["messages"]
    errors: dict[str, list[str]] = {}
    for message in messages:
        where = f"{message.get('url', '?')}:{message.get('lastLine', '?')}"
        errors.setdefault(where.removeprefix("file:"), []).append(message["message"])
    controls = {where: texts for where, texts in errors.items() if where.startswith(str(control))}
    assert controls and all("aria-label" in text for texts in controls.values() for text in texts)
    assert {where: texts for where, texts in errors.items() if where not in controls} == {}

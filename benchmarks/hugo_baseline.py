"""The second yardstick: Hugo building as many simple Markdown pages as our build writes.

Hugo is used only when it is already on the PATH (Debian packages it: `apt-get install
hugo`); it is never a dependency of the project and nothing here downloads it. The site is
written here, theme included (a base layout, a page and a list), so that Hugo renders real
HTML pages with no module or theme to fetch. Layouts and settings are those of Hugo 0.111.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from pelican_baseline import PAGE_TEXT

CONFIG = """\
baseURL = "https://example.org/"
languageCode = "fr"
title = "Hugo baseline"
# As Pelican's baseline: the pages, their list and the home page; no feeds, no sitemap.
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
"""

LAYOUTS = {
    "_default/baseof.html": """\
<!DOCTYPE html>
<html lang="{{ .Site.LanguageCode }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} · {{ .Site.Title }}</title>
</head>
<body>
<header><a href="{{ "/" | relURL }}">{{ .Site.Title }}</a></header>
<main>
{{ block "main" . }}{{ end }}
</main>
<footer><p>{{ .Site.Title }}</p></footer>
</body>
</html>
""",
    "_default/single.html": """\
{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
<p><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time></p>
{{ .Content }}
</article>
{{ end }}
""",
    "_default/list.html": """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul>
{{ $pages := .RegularPagesRecursive }}{{ if .IsHome }}{{ $pages = .Site.RegularPages }}{{ end }}
{{ range $pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>
{{ end }}</ul>
{{ end }}
""",
}

PAGE = """\
---
title: "Page {number}"
date: 2024-01-01T10:00:00Z
slug: page-{number}
---

"""
WRITTEN = "pages-written"


def hugo_command() -> list[str] | None:
    """The command that runs Hugo, or None when it is not on the PATH."""
    path = shutil.which("hugo")
    return [path] if path else None


def hugo_version(command: list[str]) -> str:
    """Hugo's version, e.g. 'v0.111.3', from `hugo version`."""
    printed = subprocess.run([*command, "version"], capture_output=True, text=True).stdout
    match = re.search(r"v\d+\.\d+\.\d+", printed)
    return match.group(0) if match else printed.strip()


def hugo_site(cache_dir: Path, pages: int) -> Path:
    """A Hugo project of `pages` Markdown pages (written once, reused; its settings and
    layouts written again each time)."""
    project = cache_dir / "hugo" / str(pages)
    content = project / "content" / "pages"
    if not (project / WRITTEN).is_file():
        content.mkdir(parents=True, exist_ok=True)
        for number in range(pages):
            text = PAGE.format(number=number) + PAGE_TEXT.format(number=number)
            (content / f"page-{number}.md").write_text(text, "utf-8")
        (project / WRITTEN).write_text(f"{pages}\n", "utf-8")
    (project / "config.toml").write_text(CONFIG, "utf-8")
    for name, text in LAYOUTS.items():
        layout = project / "layouts" / name
        layout.parent.mkdir(parents=True, exist_ok=True)
        layout.write_text(text, "utf-8")
    return project


def hugo_caches(project: Path) -> list[Path]:
    """What Hugo keeps between builds of a project: its cache folder and generated resources."""
    return [project / "cache", project / "resources"]


def hugo_arguments(project: Path, out: Path) -> list[str]:
    """Arguments to build the project into out, quietly, with its caches in the project."""
    return [
        "--source",
        str(project),
        "--destination",
        str(out),
        "--cacheDir",
        str(hugo_caches(project)[0]),
        "--quiet",
    ]

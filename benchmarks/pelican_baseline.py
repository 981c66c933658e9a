"""The yardstick: Pelican building as many simple Markdown pages as our build writes.

Pelican is installed for the benchmark only, in its own virtual environment under the
benchmark's cache folder: it is never a dependency of the project, and never touches the
project's environment.
"""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

SETTINGS = """\
AUTHOR = "Benchmark"
SITENAME = "Pelican baseline"
SITEURL = ""
TIMEZONE = "UTC"
DEFAULT_LANG = "fr"
DEFAULT_PAGINATION = False
RELATIVE_URLS = True
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
# Pelican's own cache of the pages it read: a warm build, with it kept, reads them from there.
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CACHE_PATH = {cache!r}
"""

# One page's Markdown, the same for every yardstick (hugo_baseline.py too).
PAGE_TEXT = """\
Une page **simple** en Markdown, numéro {number}, avec [un lien](https://example.org/{number}).

- un point
- un autre point
"""

ARTICLE = (
    """\
Title: Page {number}
Date: 2024-01-01 10:00
Category: Benchmark
Slug: page-{number}

"""
    + PAGE_TEXT
)


def pelican_command(cache_dir: Path) -> list[str]:
    """The command that runs Pelican, installing it in a private venv first if needed."""
    environment = cache_dir / "pelican-venv"
    python = environment / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
    if not python.exists() or subprocess.run([python, "-c", "import pelican"]).returncode:
        print(
            f"installing Pelican and Markdown into {environment}, for this benchmark only "
            "(they are not dependencies of the project)",
            file=sys.stderr,
        )
        venv.create(environment, with_pip=True, clear=True)
        subprocess.run(
            [python, "-m", "pip", "install", "--quiet", "pelican", "markdown"], check=True
        )
    return [str(python), "-m", "pelican"]


def pelican_site(cache_dir: Path, pages: int) -> Path:
    """A Pelican project of `pages` Markdown articles (written once, reused; its settings
    written again each time)."""
    project = cache_dir / "pelican" / str(pages)
    content = project / "content"
    settings = project / "pelicanconf.py"
    if not settings.is_file():
        content.mkdir(parents=True, exist_ok=True)
        for number in range(pages):
            (content / f"page-{number}.md").write_text(ARTICLE.format(number=number), "utf-8")
    settings.write_text(SETTINGS.format(cache=str(pelican_caches(project)[0])), "utf-8")
    return project


def pelican_caches(project: Path) -> list[Path]:
    """What Pelican keeps between the builds of a project: what it read."""
    return [project / "cache"]


def pelican_version(command: list[str]) -> str:
    """Pelican's version, as `pelican --version` prints it."""
    result = subprocess.run([*command, "--version"], capture_output=True, text=True)
    return result.stdout.strip() or result.stderr.strip()


def pelican_arguments(project: Path, out: Path) -> list[str]:
    """Arguments to build the project into out, quietly."""
    return [
        str(project / "content"),
        "--output",
        str(out),
        "--settings",
        str(project / "pelicanconf.py"),
        "--quiet",
    ]

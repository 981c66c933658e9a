"""Local preview: build, serve with live reload, rebuild on every change, survive broken edits."""

from __future__ import annotations

import logging
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from livereload import Server

from generator.cli.report import report
from generator.site.build import Built, build, claim_output
from generator.site.load.parsing import read_yaml
from generator.site.load.repository import CONTENT, SOURCE_FOLDERS, Repository
from generator.site.output_folder import OutputFolderRefused, SiteNotWritten, output_folder_lock
from generator.site.problems import BuildFailed, Location, Problems

log = logging.getLogger(__name__)


def serve(source: Path, port: int, out: Path | None) -> None:
    """Serve the site at its base path on localhost; keep the last good build on errors."""
    root = Path(out) if out else Path(tempfile.mkdtemp(prefix="fababrest-serve-"))
    base_path = _base_path(source)
    site_dir = root / base_path.strip("/") if base_path.strip("/") else root / "site"
    serve_root = root if base_path.strip("/") else site_dir

    claim_output(source, site_dir)
    with output_folder_lock(site_dir, "serve"):
        _serve(source, port, site_dir, serve_root, base_path)


def _serve(source: Path, port: int, site_dir: Path, serve_root: Path, base_path: str) -> None:
    """Build, serve and rebuild on changes, holding the output folder."""
    last: Built | None = None

    def rebuild() -> None:
        nonlocal last
        started = time.perf_counter()
        try:
            last = build(source, site_dir, last=last)
        except BuildFailed as failed:
            report(failed.problems)
            print("build failed: still serving the last good build")
            return
        except OutputFolderRefused as refusal:
            print(f"error: cannot write the site there: {refusal}; nothing was changed")
            return
        except SiteNotWritten as failure:
            print(f"error: {failure}")
            return
        report(last.report.warnings)
        how = "updated" if last.report.incremental else "rebuilt"
        print(f"{how} {last.report.files} files in {time.perf_counter() - started:.2f} s")

    rebuild()
    server = Server()
    for folder in SOURCE_FOLDERS:
        if (source / folder).exists():
            server.watch(str(source / folder), rebuild)
    print(f"serving on http://127.0.0.1:{port}{base_path}")
    server.serve(root=str(serve_root), port=port, host="127.0.0.1", open_url_delay=None)


def _base_path(source: Path) -> str:
    """The base URL's path, read from site.yaml without a full build (a broken site still
    serves: what is wrong with the file, the build that follows reports)."""
    problems = Problems()
    text = Repository(source, problems).read_text(source / CONTENT / "site.yaml")
    settings = read_yaml(text, Location("site.yaml"), problems).value if text else None
    base_url = settings.get("base_url") if isinstance(settings, dict) else None
    try:
        return (urlsplit(base_url).path if isinstance(base_url, str) else "") or "/"
    except ValueError:  # not a URL (an unclosed '[' for instance)
        return "/"

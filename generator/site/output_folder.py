"""The output folder is the tool's own: which folders may receive a site, and what is said
when one may not or the system refuses to write."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

# Every site this tool writes carries this file: a folder that holds anything else is not
# ours to replace (an `--out` that names the repository, or a folder of keys, must never be).
MARKER = ".fababrest-site"
MARKER_TEXT = (
    b"A site built by the Fab@brest Open Badges generator; build.py may replace this folder.\n"
)


class SiteNotWritten(Exception):
    """The operating system refused a write (full disk, read-only folder, no permission...);
    the previous site is unchanged."""


class OutputFolderRefused(Exception):
    """An output folder the build must not replace; the message says why and what to do."""


def claim_output_folder(
    out_dir: Path, repository: Path | None = None, sources: Sequence[Path] = ()
) -> None:
    """Refuse to write a site to out_dir unless it is new, empty, or an earlier site of ours.

    The site may not be or contain the repository (it may lie inside it, as _site/), and may
    not be, contain or lie inside any of its sources (content/, badges/ ...).
    """
    out = out_dir.resolve()
    repository_folder = repository.resolve() if repository else None
    if out.exists() and not out.is_dir():
        raise OutputFolderRefused(f"{out_dir} is a file, not a folder; choose a folder")
    for folder in [*([repository] if repository else []), *sources]:
        folder = folder.resolve()
        inside = folder != repository_folder and out.is_relative_to(folder)
        if folder.is_relative_to(out) or inside:
            relation = "is" if out == folder else "is inside" if inside else "holds"
            raise OutputFolderRefused(
                f"{out_dir} {relation} {folder}, which the site must not replace; choose "
                "another folder, e.g. _site in the repository"
            )
    if out.is_dir() and not (out / MARKER).is_file() and any(out.iterdir()):
        raise OutputFolderRefused(
            f"{out_dir} is not empty and holds no site built by this tool (no {MARKER}); "
            "choose a new or empty folder, or delete this one yourself if it is an old site"
        )

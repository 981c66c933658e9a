"""Which content repository a command works on: the one --source names, else the folder
holding `content/site.yaml` in the current folder or the nearest one above it (as git finds
its work tree), so that a command typed in `badges/` works on the repository it is in.

Only the repository is looked for: every other path a person types (--out, --key-file,
--csv, a file to verify) stays relative to the folder they typed it in.
"""

from __future__ import annotations

from pathlib import Path

from generator.site.load.repository import CONTENT

SETTINGS = Path(CONTENT) / "site.yaml"


class NoRepository(Exception):
    """No content repository in the current folder nor above it; the message says where it
    looked and what to do."""


def find_repository(start: Path) -> Path | None:
    """The nearest folder, start or above it, that holds content/site.yaml; None if none does.

    The answer is relative when start is (a relative start keeps every printed path short).
    """
    absolute = start.absolute()
    for folder in (absolute, *absolute.parents):
        if (folder / SETTINGS).is_file():
            depth = len(absolute.parts) - len(folder.parts)
            return start.joinpath(*[".."] * depth) if not start.is_absolute() else folder
    return None


def repository(given: Path | None, start: Path = Path(".")) -> Path:
    """The content repository: --source when given, else the one found from start."""
    if given is not None:
        return given
    found = find_repository(start)
    if found is None:
        raise NoRepository(
            f"no content repository here: no {SETTINGS.as_posix()} in {start.absolute()} nor "
            "in any folder above it; run the command inside the repository (or one of its "
            "folders), or give --source DIR"
        )
    return found

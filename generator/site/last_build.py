"""Knowing when a build would write the same bytes as the last one, so that it can stop early.

A site is a function of: every file of the content repository that the build reads, the
generator's code and the versions of the libraries it uses, the build's options and output
folder, and the build's moment, but only through each award's status (valid, expired),
which changes when a credential's validUntil passes. The last successful build records a
fingerprint of all the rest and the moment until which its statuses hold; a build with the
same fingerprint inside that window has nothing to do. Builds with warnings are not recorded
(they must print their warnings again), and `--no-cache` never skips.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
from datetime import datetime
from importlib import resources
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from generator.site.check import verification_cache
from generator.site.load.repository import ASSERTIONS, BADGES, CONTENT, THEME

FILE_NAME = "last-builds.json"
FORMAT = "1"
# The libraries whose output ends up in the site, byte for byte.
LIBRARIES = (
    "babel",
    "cryptography",
    "jinja2",
    "jsonschema",
    "markdown",
    "markupsafe",
    "nh3",
    "pillow",
    "pyld",
    "pyyaml",
    "xstatic-leaflet",
    "zxing-cpp",
)


def fingerprint(source: Path, out_dir: Path, options: str) -> str:
    """A hash of everything but the moment that decides the bytes of the site."""
    digest = hashlib.sha256(f"format {FORMAT}; {options}; {out_dir.resolve()}".encode())
    digest.update(f"python {platform.python_version()}".encode())
    # Part of the generator's files too; named so that what decides trust is never skipped.
    digest.update(f"verifier {verification_cache.verifier_version()}".encode())
    for library in LIBRARIES:
        try:
            digest.update(f"{library} {version(library)}\0".encode())
        except PackageNotFoundError:
            digest.update(f"{library} absent\0".encode())
    _add_tree(digest, Path(str(resources.files("generator"))), "generator")
    for folder in (CONTENT, BADGES, ASSERTIONS, THEME):
        _add_tree(digest, source / folder, folder)
    return digest.hexdigest()


def _add_tree(digest: Any, root: Path, name: str) -> None:
    """Every file below root, in a stable order: its path and its bytes."""
    try:
        entries = sorted(os.scandir(root), key=lambda entry: entry.name)
    except OSError:
        return  # no such folder: nothing of it decides the site
    for entry in entries:
        relative = f"{name}/{entry.name}"
        if entry.is_dir():
            if entry.name != "__pycache__" and not entry.is_symlink():  # as os.walk: not followed
                _add_tree(digest, Path(entry.path), relative)
            continue
        with open(entry.path, "rb") as handle:
            digest.update(relative.encode() + b"\0" + handle.read() + b"\0")


def unchanged_since(cache_dir: Path, out_dir: Path, print_: str, now: datetime) -> int | None:
    """The file count of the last build if it made this very site and still holds at now."""
    record = _records(cache_dir).get(str(out_dir.resolve()))
    if record is None or record.get("fingerprint") != print_ or not out_dir.is_dir():
        return None
    if os.stat(out_dir).st_ino != record.get("inode"):
        return None  # the output was replaced by something else
    built = datetime.fromisoformat(str(record["now"]))
    until = datetime.fromisoformat(str(record["until"])) if record.get("until") else None
    if now < built or (until is not None and now >= until):
        return None  # an award's status may differ at this moment
    files = record.get("files")
    return files if isinstance(files, int) else None


def record_build(
    cache_dir: Path,
    out_dir: Path,
    print_: str,
    now: datetime,
    until: datetime | None,
    files: int,
) -> None:
    """Remember a successful build without warnings."""
    records = _records(cache_dir)
    records[str(out_dir.resolve())] = {
        "fingerprint": print_,
        "inode": os.stat(out_dir).st_ino,
        "now": now.isoformat(),
        "until": until.isoformat() if until else None,
        "files": files,
    }
    _save(cache_dir, records)


def forget_build(cache_dir: Path, out_dir: Path) -> None:
    """Forget what was recorded for out_dir (a build with warnings)."""
    records = _records(cache_dir)
    if records.pop(str(out_dir.resolve()), None) is not None:
        _save(cache_dir, records)


def _save(cache_dir: Path, records: dict[str, dict[str, object]]) -> None:
    """Write the records whole: a build stopped halfway never leaves half a file."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    temporary = cache_dir / f"{FILE_NAME}.tmp"
    temporary.write_text(json.dumps(records, indent=1, sort_keys=True), "utf-8")
    temporary.replace(cache_dir / FILE_NAME)


def _records(cache_dir: Path) -> dict[str, dict[str, object]]:
    try:
        records = json.loads((cache_dir / FILE_NAME).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return records if isinstance(records, dict) else {}

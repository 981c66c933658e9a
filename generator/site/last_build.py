"""Knowing when a build would write the same bytes as the last one, so that it can stop early.

A site is a function of: every file of the content repository that the build reads, the
generator's code and the versions of the libraries it uses, the build's options and output
folder, and the build's moment, but only through each award's status (valid, expired),
which changes when a credential's validUntil passes. The last successful build records a
fingerprint of all the rest and the moment until which its statuses hold; a build with the
same fingerprint inside that window has nothing to do, if the output is still what it wrote:
the record holds a digest of every file's path, size, times and inode in the output folder
after the build, and the folder is walked again to compare (a file edited, added, removed or
replaced in the output changes it: the next build then writes the site again). Builds with
warnings are not recorded (they must print their warnings again), and `--no-cache` never
skips. The records are kept in the cache store (generator/cache.py), one per output folder.
"""

from __future__ import annotations

import hashlib
import json
import os
from datetime import datetime
from pathlib import Path
from typing import Any

from generator.cache import LAST_BUILD, Store, code_fingerprint, entry_key
from generator.site.load.repository import SOURCE_FOLDERS

FORMAT = "2"


def fingerprint(source: Path, out_dir: Path, options: str) -> str:
    """A hash of everything but the moment that decides the bytes of the site."""
    digest = hashlib.sha256(f"format {FORMAT}; {options}; {out_dir.resolve()}".encode())
    # Python, the libraries and every file of the generator (what decides trust included).
    digest.update(f"code {code_fingerprint()}".encode())
    for folder in SOURCE_FOLDERS:
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


def unchanged_since(store: Store, out_dir: Path, print_: str, now: datetime) -> int | None:
    """The file count of the last build if it made this very site and still holds at now."""
    record = _record(store, out_dir)
    if record is None or record.get("fingerprint") != print_ or not out_dir.is_dir():
        return None
    if record.get("output") != output_digest(out_dir):
        return None  # the output was changed since: write it again
    built = datetime.fromisoformat(str(record["now"]))
    until = datetime.fromisoformat(str(record["until"])) if record.get("until") else None
    if now < built or (until is not None and now >= until):
        return None  # an award's status may differ at this moment
    files = record.get("files")
    return files if isinstance(files, int) else None


def record_build(
    store: Store,
    out_dir: Path,
    print_: str,
    now: datetime,
    until: datetime | None,
    files: int,
) -> None:
    """Remember a successful build without warnings (when the store is saved)."""
    record = {
        "fingerprint": print_,
        "output": output_digest(out_dir),
        "now": now.isoformat(),
        "until": until.isoformat() if until else None,
        "files": files,
    }
    store.put(LAST_BUILD, _key(out_dir), json.dumps(record, sort_keys=True).encode())


def output_digest(out_dir: Path) -> str:
    """A digest of the output folder as the file system describes it, without reading a byte:
    every entry's path, kind, size, modification and change times and inode. Any write to
    a file changes its change time, even one that restores its modification time."""
    digest = hashlib.sha256()
    pending = [out_dir]
    while pending:
        folder = pending.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
            digest.update(f"{folder}\0{os.stat(folder).st_ino}\0".encode())
        except OSError:
            digest.update(b"unreadable\0")
            continue
        for entry in entries:
            info = entry.stat(follow_symlinks=False)
            digest.update(
                f"{entry.name}\0{info.st_mode}\0{info.st_size}\0{info.st_mtime_ns}\0"
                f"{info.st_ctime_ns}\0{info.st_ino}\n".encode()
            )
            if entry.is_dir(follow_symlinks=False):
                pending.append(Path(entry.path))
    return digest.hexdigest()


def forget_build(store: Store, out_dir: Path) -> None:
    """Forget what was recorded for out_dir (a build with warnings)."""
    store.delete(LAST_BUILD, _key(out_dir))


def _key(out_dir: Path) -> str:
    """One record per output folder."""
    return entry_key(LAST_BUILD, str(out_dir.resolve()))


def _record(store: Store, out_dir: Path) -> dict[str, Any] | None:
    return store.get(LAST_BUILD, _key(out_dir))

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

The source files are described as git's index describes a work tree, without reading them:
path, size, modification and change times, inode (any write changes the change time, which
no one can set). A file changed within RACY_SECONDS of the fingerprint may have been changed
again within the file system's clock tick, unseen by its times: its bytes are hashed too,
read by the repository's one reader, so a FIFO or a link out of the repository is never
opened; a file that reader refuses leaves the build without a fingerprint (it is built
whole, and the loader reports the file as it always does).
"""

from __future__ import annotations

import hashlib
import json
import operator
import os
import stat
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from generator.cache import LAST_BUILD, Store, entry_key
from generator.code_version import code_fingerprint
from generator.site.load.changes import source_stats
from generator.site.load.repository import THEME, Repository
from generator.site.load.theme import theme_folder
from generator.site.model.authority import CODEOWNERS
from generator.site.model.problems import Problems

FORMAT = "3"
# How recent a change must be for its times not to be trusted alone (coarse clock ticks).
RACY_SECONDS = 2


@dataclass(frozen=True)
class Inputs:
    """What a build's site is made of, but for its moment (see the module's doc)."""

    source: Path
    digest: str
    """The options, the code, and every source file as the file system describes it."""
    recent: Mapping[str, str]
    """The files changed within RACY_SECONDS: their bytes' SHA-256, by path."""

    def content_digest(self, path: str) -> str | None:
        """The SHA-256 of a source file's bytes now (None if the reader refuses it)."""
        if path in self.recent:
            return self.recent[path]
        theme = theme_folder(self.source)
        shipped = theme != self.source / THEME and path.startswith(f"{THEME}/")
        return _content_digest(theme.parent if shipped else self.source, path)


def fingerprint(source: Path, out_dir: Path, options: str) -> Inputs | None:
    """What decides the bytes of the site but the moment; None when a recent source file
    cannot be read (see the module's doc)."""
    racy_after = time.time_ns() - RACY_SECONDS * 1_000_000_000
    digest = hashlib.sha256(f"format {FORMAT}; {options}; {out_dir.resolve()}".encode())
    # Python, the libraries and every file of the generator (what decides trust included).
    digest.update(f"code {code_fingerprint()}".encode())
    recent: dict[str, str] = {}
    for root, path, info in _source_files(source):
        digest.update(
            f"{path}\0{info.st_mode}\0{info.st_size}\0{info.st_mtime_ns}\0"
            f"{info.st_ctime_ns}\0{info.st_ino}\n".encode()
        )
        if max(info.st_ctime_ns, info.st_mtime_ns) >= racy_after:
            content = _content_digest(root, path)
            if content is None:
                return None
            recent[path] = content
    return Inputs(source, digest.hexdigest(), recent)


def _source_files(source: Path) -> Iterator[tuple[Path, str, os.stat_result]]:
    """Every source file: the folder its path is relative to, its path, its stat; sorted."""
    theme = theme_folder(source)
    roots = [(source, source_stats(source) | _codeowners(source))]
    if theme != source / THEME:  # the theme shipped with the generator
        roots.append((theme.parent, source_stats(theme.parent, (THEME,))))
    for root, stats in roots:
        for path, info in sorted(stats.items()):
            yield root, path, info


def _codeowners(source: Path) -> dict[str, os.stat_result]:
    """The repository's CODEOWNERS, which check compares with the structures' maintainers."""
    try:
        return {CODEOWNERS: os.stat(source / CODEOWNERS)}
    except OSError:
        return {}


def _content_digest(root: Path, path: str) -> str | None:
    """The SHA-256 of a source file's bytes, read by the repository's reader; None if it
    refuses the file."""
    data = Repository(root, Problems()).read_bytes(root / path)
    return hashlib.sha256(data).hexdigest() if data is not None else None


def unchanged_since(store: Store, out_dir: Path, inputs: Inputs, now: datetime) -> int | None:
    """The file count of the last build if it made this very site and still holds at now."""
    record = _record(store, out_dir)
    if record is None or record.get("fingerprint") != inputs.digest or not out_dir.is_dir():
        return None
    recent = record.get("recent")
    if not isinstance(recent, dict) or any(
        inputs.content_digest(path) != digest for path, digest in recent.items()
    ):
        # A file changed just before the last build was recorded with its bytes: the same
        # times do not prove the same bytes, its digest must be the same too.
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
    inputs: Inputs,
    now: datetime,
    until: datetime | None,
    files: int,
) -> None:
    """Remember a successful build without warnings (when the store is saved)."""
    record = {
        "fingerprint": inputs.digest,
        "recent": dict(inputs.recent),
        "output": output_digest(out_dir),
        "now": now.isoformat(),
        "until": until.isoformat() if until else None,
        "files": files,
    }
    store.put(LAST_BUILD, _key(out_dir), json.dumps(record, sort_keys=True).encode())


def output_digest(out_dir: Path) -> str:
    """A digest of the output folder as the file system describes it, without reading a byte:
    every entry's path, kind, size, modification and change times and inode. Any write to
    a file changes its change time, even one that restores its modification time.

    It runs after every build and decides a rebuild with nothing changed, over tens of
    thousands of files: paths stay strings, each folder's entries are sorted by name in C
    and digested in one piece, and a folder's inode is read from its entry in its parent."""
    digest = hashlib.sha256()
    by_name = operator.attrgetter("name")
    try:
        digest.update(f"{os.stat(out_dir).st_ino}\0".encode())
    except OSError:
        digest.update(b"unreadable\0")
    pending = [os.fspath(out_dir)]
    while pending:
        folder = pending.pop()
        try:
            with os.scandir(folder) as scanned:
                entries = sorted(scanned, key=by_name)
            lines = [folder, "\0"]
            for entry in entries:
                info = entry.stat(follow_symlinks=False)
                lines.append(
                    f"{entry.name}\0{info.st_mode}\0{info.st_size}\0{info.st_mtime_ns}\0"
                    f"{info.st_ctime_ns}\0{info.st_ino}\n"
                )
                if stat.S_ISDIR(info.st_mode):
                    pending.append(entry.path)
        except OSError:
            digest.update(f"{folder}\0unreadable\0".encode())
            continue
        digest.update("".join(lines).encode())
    return digest.hexdigest()


def forget_build(store: Store, out_dir: Path) -> None:
    """Forget what was recorded for out_dir (a build with warnings)."""
    store.delete(LAST_BUILD, _key(out_dir))


def _key(out_dir: Path) -> str:
    """One record per output folder."""
    return entry_key(LAST_BUILD, str(out_dir.resolve()))


def _record(store: Store, out_dir: Path) -> dict[str, Any] | None:
    return store.get(LAST_BUILD, _key(out_dir))

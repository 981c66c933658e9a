"""What changed in the content repository since an earlier build: the watched files' stats,
and which of the changes a build can take in without reading everything again."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from generator.site.load.assertions import AssertionFile, assertion_file
from generator.site.load.repository import SOURCE_FOLDERS

Snapshot = Mapping[str, tuple[int, int]]
"""Every watched file, by posix path relative to the repository: (mtime in ns, size)."""


def snapshot_sources(source: Path) -> dict[str, tuple[int, int]]:
    """The watched files of the repository as they are now: (mtime in ns, size) by path."""
    return {path: (info.st_mtime_ns, info.st_size) for path, info in source_stats(source).items()}


def source_stats(
    source: Path, folders: tuple[str, ...] = SOURCE_FOLDERS
) -> dict[str, os.stat_result]:
    """What the file system says of every file of some folders of the repository, by posix
    path relative to it, without opening one (a FIFO or a link to a device is described,
    never read). Links are followed to describe what they point at; folders whose name
    starts with '.' are not walked.

    Taken at every build, over thousands of credentials: one scandir per folder, and the
    relative paths made as the folders are walked.
    """
    stats: dict[str, os.stat_result] = {}
    pending = list(folders)
    while pending:
        folder = pending.pop()
        try:
            entries = os.scandir(source / folder)
        except OSError:
            continue  # absent, or removed while we looked: the next build sees it
        with entries:
            for entry in entries:
                path = f"{folder}/{entry.name}"
                if entry.is_dir(follow_symlinks=False):
                    if not entry.name.startswith("."):
                        pending.append(path)
                    continue
                try:
                    stats[path] = entry.stat()
                except OSError:
                    continue
    return stats


@dataclass(frozen=True)
class Changes:
    """The files that differ between two snapshots."""

    added_or_changed: frozenset[str]
    removed: frozenset[str]

    def __bool__(self) -> bool:
        return bool(self.added_or_changed or self.removed)

    def signed_files_only(self) -> frozenset[AssertionFile] | None:
        """The signed files of assertions/ added or changed, if that is all that changed (a
        build can then read and check those alone); None if anything else changed or went."""
        if self.removed:
            return None  # a removed credential changes counts, lists and URLs: a full build
        signed = [assertion_file(path) for path in self.added_or_changed]
        if any(what is None for what in signed):
            return None
        return frozenset(what for what in signed if what is not None)


def changes_between(before: Snapshot, after: Snapshot) -> Changes:
    """What was added, changed or removed from before to after."""
    return Changes(
        frozenset(path for path, stat in after.items() if before.get(path) != stat),
        frozenset(path for path in before if path not in after),
    )

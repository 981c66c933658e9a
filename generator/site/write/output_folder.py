"""The output folder is the tool's own: which folders may receive a site, one writer at a
time, what an interrupted build left beside it, and what is said when one may not write."""

from __future__ import annotations

import logging
import os
import re
import shutil
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

log = logging.getLogger(__name__)

# Every site this tool writes carries this file: a folder that holds anything else is not
# ours to replace (an `--out` that names the repository, or a folder of keys, must never be).
MARKER = ".fababrest-site"
MARKER_TEXT = (
    b"A site built by the Fab@brest Open Badges generator; build.py may replace this folder.\n"
)


class SiteNotWritten(Exception):
    """The operating system refused a write (full disk, read-only folder, no permission...);
    the previous site is unchanged."""


def not_written(out_dir: Path, reason: object) -> SiteNotWritten:
    """The one message for a write the system refused, whatever the step."""
    return SiteNotWritten(
        f"cannot write the site to {out_dir}: {reason}; the previous site is unchanged"
    )


class OutputFolderRefused(Exception):
    """An output folder the build must not replace; the message says why and what to do."""

    def __str__(self) -> str:
        return f"cannot write the site there: {self.args[0]}; nothing was changed"


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


class OutputFolderBusy(Exception):
    """Another process holds the output folder (`serve`): the message says which and what to do."""


# One process writes an output folder at a time. The lock is a file beside the folder (the
# folder itself is replaced by each build), held with the system's advisory lock, so that it
# is released when its holder exits, however it exits; its text says who holds it.
def lock_path(out_dir: Path) -> Path:
    """The lock file of an output folder."""
    out = out_dir.resolve()
    return out.parent / f".{out.name}.lock"


@contextmanager
def output_folder_lock(out_dir: Path, holder: str) -> Iterator[None]:
    """Hold the output folder for `holder` ('build' or 'serve') while the block runs.

    A build waits for another build (saying so); nobody waits for `serve`, which holds its
    folder as long as it runs: OutputFolderBusy. SiteNotWritten if the lock file cannot be
    made (the folder's parent is read-only...). A process holding the lock may take it again
    (serve's builds).
    """
    path = lock_path(out_dir)
    if path in _held:  # this process holds it already (serve's builds)
        yield
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
    except OSError as error:
        raise not_written(out_dir, error.strerror or error) from None
    try:
        if not _try_lock(handle):
            held_by = _holder(handle)
            if held_by.startswith("serve"):
                raise OutputFolderBusy(
                    f"{out_dir} is being written by 'serve' ({held_by}); stop it, or build "
                    "into another folder with --out"
                )
            log.warning(
                "waiting for another build into %s to finish (%s)...", out_dir, held_by or "?"
            )
            _lock(handle)
        os.ftruncate(handle, 0)
        os.pwrite(handle, f"{holder}, process {os.getpid()}\n".encode(), 0)
        _held.add(path)
        try:
            yield
        finally:
            _held.discard(path)
    finally:
        os.close(handle)  # releases the lock


_held: set[Path] = set()


def _holder(handle: int) -> str:
    try:
        return os.pread(handle, 200, 0).decode("utf-8", "replace").strip()
    except OSError:
        return ""


if sys.platform == "win32":  # pragma: no cover - the lock's Windows flavour
    import msvcrt

    def _try_lock(handle: int) -> bool:
        try:
            msvcrt.locking(handle, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False

    def _lock(handle: int) -> None:
        while not _try_lock(handle):
            time.sleep(0.2)

else:
    import fcntl

    def _try_lock(handle: int) -> bool:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            return False

    def _lock(handle: int) -> None:
        fcntl.flock(handle, fcntl.LOCK_EX)


# What an interrupted build can leave beside the output folder: the new site it was writing,
# or, if it stopped between the two renames of a swap where the system cannot exchange two
# folders in one step, the previous site set aside.
def _leftover(out_dir: Path) -> re.Pattern[str]:
    return re.compile(rf"\.{re.escape(out_dir.name)}\.(new|old)-[A-Za-z0-9_]{{8}}")


def recover_output_folder(out_dir: Path) -> None:
    """Put back the last good site if an interrupted swap left none, and remove what
    interrupted builds left beside the folder. Call it holding the folder's lock."""
    out = out_dir.resolve()
    pattern = _leftover(out)
    try:
        found = [entry for entry in out.parent.iterdir() if pattern.fullmatch(entry.name)]
    except OSError:
        return  # no parent folder yet: nothing to recover
    set_aside = sorted(
        (entry for entry in found if ".old-" in entry.name and (entry / MARKER).is_file()),
        key=lambda entry: entry.stat().st_mtime_ns,
    )
    if set_aside and not out.exists():
        set_aside[-1].rename(out)
        log.warning("%s: put back the site an interrupted build had set aside", out_dir)
        found.remove(set_aside[-1])
    for entry in found:
        shutil.rmtree(entry, ignore_errors=True)

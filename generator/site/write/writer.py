"""Write stage: the only code that touches the output folder, and it swaps in whole sites only."""

from __future__ import annotations

import itertools
import os
import shutil
import tempfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Generic, Protocol, TypeVar

from generator.parallel import map_ordered
from generator.progress import Progress, unseen
from generator.site.model.output import Output
from generator.site.write.exchange import exchange
from generator.site.write.output_folder import MARKER, MARKER_TEXT, SiteNotWritten, not_written


class OutputError(Exception):
    """A bug in rendering: two outputs for one path, or a path escaping the output folder."""


def output_path(path: str) -> str:
    """The path of an output in the site, normalised; OutputError if it escapes the site."""
    if _is_normal(path):
        return path  # nearly every path: no need to parse it (50,000 of them at 10,000 awards)
    pure = PurePosixPath(path)
    if pure.is_absolute() or ".." in pure.parts or str(pure) in ("", "."):
        raise OutputError(f"output path {path!r} escapes the output folder")
    # PurePosixPath folds 'a//b', './a/b' and 'a/./b' into 'a/b': one file, one output.
    return str(pure)


def _is_normal(path: str) -> bool:
    """Whether a path is relative and already in the form PurePosixPath gives it: no empty,
    '.' or '..' part (nor any '..' at all, to keep this simple)."""
    return (
        path not in ("", ".")
        and not path.startswith(("/", "./"))
        and not path.endswith(("/", "/."))
        and "//" not in path
        and "/./" not in path
        and ".." not in path
    )


class _Placed(Protocol):
    @property
    def path(self) -> str: ...


_Entry = TypeVar("_Entry", bound=_Placed)


def check_outputs(outputs: Iterable[_Entry]) -> Iterator[_Entry]:
    """The outputs (or files written), as they come, refusing duplicates and paths escaping
    the output folder."""
    seen: set[str] = set()
    for output in outputs:
        path = output_path(output.path)
        if path in seen:
            raise OutputError(f"output path {output.path!r} is written twice")
        seen.add(path)
        yield output


Item = TypeVar("Item")
Found = tuple[str, ...]


@dataclass(frozen=True)
class Fanout(Generic[Item]):
    """Outputs rendered and written in worker processes, a chunk of items at a time.

    `render(chunk)` must be pure: it returns the chunk's outputs, which the worker writes
    itself (the bytes never travel back through a pipe). What a worker learns on the way
    that the build keeps (QR codes drawn) comes back through `collect()` and `absorb(...)`.
    """

    items: Sequence[Item]
    render: Callable[[Sequence[Item]], list[Output]]
    collect: Callable[[], Any] = lambda: None
    absorb: Callable[[Any], None] = lambda learned: None
    chunk_size: int = 100


@dataclass(frozen=True)
class WriteReport:
    """What was written: the file count, and what `inspect` found in them, by path."""

    files: int
    found: dict[str, Found]


class _WriteFailed(Exception):
    """A file of the new site could not be written: the system's reason."""


def write_site(
    outputs: Iterable[Output],
    out_dir: Path,
    *,
    fanout: Fanout[Any] | None = None,
    inspect: Callable[[Output], Found] | None = None,
    before_swap: Callable[[WriteReport], None] | None = None,
    progress: Progress = unseen,
) -> WriteReport:
    """Write a whole site next to out_dir, then swap it into place.

    Outputs are written as they come, so a site never has to fit in memory; the fanout's
    are rendered and written by worker processes when there are enough of them. Every
    output passes `inspect` (the privacy guard) in the process that writes it. A failure
    at any point, including in `before_swap` (the build's last checks, which may raise),
    leaves the previous site untouched: the new one is written to a temporary sibling
    folder (same file system, so the renames are atomic), the old one is renamed aside, the
    new one renamed in, and only then is the old one removed. `progress` sees every file
    go by.
    """
    out_dir = out_dir.resolve()
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-", dir=out_dir.parent))
    except OSError as error:
        raise not_written(out_dir, error.strerror or error) from None
    try:
        folder = _Folder(staging, out_dir)
        written = _written_by_workers(fanout, folder, inspect) if fanout else iter(())
        marker = [Output(MARKER, MARKER_TEXT)]
        entries = itertools.chain[Output | _Written](outputs, written, marker)
        report = _write_all(progress(entries, "writing files", every=500), folder, inspect)
        if before_swap is not None:
            before_swap(report)
        try:
            os.chmod(staging, 0o755)
            _swap(staging, out_dir)
        except OSError as error:
            raise _WriteFailed(error.strerror or error) from None
    except _WriteFailed as failed:
        shutil.rmtree(staging, ignore_errors=True)
        raise not_written(out_dir, failed) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return report


def inspect_site(
    outputs: Iterable[Output],
    *,
    fanout: Fanout[Any] | None = None,
    inspect: Callable[[Output], Found],
    last_checks: Callable[[WriteReport], None],
) -> WriteReport:
    """Make every output of a site as write_site does (the fanout's in worker processes),
    pass each through `inspect` and the whole through `last_checks`, and write nothing: a
    check refuses exactly what a build refuses."""
    written = _written_by_workers(fanout, None, inspect) if fanout else iter(())
    found: dict[str, Found] = {}
    files = 0
    for entry in check_outputs(itertools.chain[Output | _Written](outputs, written)):
        files += 1
        things = entry.found if isinstance(entry, _Written) else inspect(entry)
        if things:
            found[output_path(entry.path)] = things
    report = WriteReport(files, found)
    last_checks(report)
    return report


@dataclass(frozen=True)
class _Folder:
    """Where a new site is being written (staging), next to the last good one (out_dir)."""

    staging: Path
    out_dir: Path

    def write(self, output: Output) -> None:
        """Write one output now, in this process."""
        path = output_path(output.path)
        _write_one(f"{self.out_dir}/{path}", output.data, f"{self.staging}/{path}")


@dataclass(frozen=True)
class _Written:
    """A file a worker already wrote, with what `inspect` found in it there."""

    path: str
    found: Found = ()


@dataclass(frozen=True)
class _Job:
    """What workers need; forked workers inherit it (it is set just before they start)."""

    fanout: Fanout[Any]
    folder: _Folder | None
    """None: the outputs are only inspected (a check)."""
    inspect: Callable[[Output], Found] | None


_JOB: _Job | None = None


def _written_by_workers(
    fanout: Fanout[Any], folder: _Folder | None, inspect: Callable[[Output], Found] | None
) -> Iterator[_Written]:
    """Render and write the fanout's chunks (in workers when it pays); their files, in order."""
    global _JOB
    _JOB = _Job(fanout, folder, inspect)
    try:
        for written, learned in map_ordered(_render_and_write, fanout.items, fanout.chunk_size):
            fanout.absorb(learned)
            yield from written
    finally:
        _JOB = None


def _render_and_write(chunk: Sequence[Any]) -> tuple[list[_Written], Any]:
    """Render a chunk of the fanout, write its files, say what was written (in a worker, or
    not)."""
    assert _JOB is not None, "_written_by_workers sets the job first"
    written = []
    for output in _JOB.fanout.render(chunk):
        if _JOB.folder is not None:
            _JOB.folder.write(output)
        written.append(_Written(output.path, _JOB.inspect(output) if _JOB.inspect else ()))
    return written, _JOB.fanout.collect()


# Creating files and folders is mostly the file system's work: a couple of writer threads let
# it overlap with rendering (measured at 10,000 awards: one and four threads took the same
# time, four burning 60% more system time in contention). Few enough writes in flight that
# memory stays bounded. Folders are made by the writers too (the first write into a missing
# folder makes it), so that the thread consuming the outputs never waits on the disk.
_WRITERS = 2
_IN_FLIGHT = 256


def _write_all(
    entries: Iterable[Output | _Written],
    folder: _Folder,
    inspect: Callable[[Output], Found] | None,
) -> WriteReport:
    """Write every output into staging, several at a time; what was written."""
    old_root, new_root = f"{folder.out_dir}/", f"{folder.staging}/"
    pending: deque[Future[None]] = deque()
    found: dict[str, Found] = {}
    files = 0
    with ThreadPoolExecutor(_WRITERS) as writers:
        try:
            for entry in check_outputs(entries):
                files += 1
                path = output_path(entry.path)
                if isinstance(entry, _Written):
                    if entry.found:
                        found[path] = entry.found
                    continue  # a worker wrote it
                if inspect is not None and (things := inspect(entry)):
                    found[path] = things
                old, target = old_root + path, new_root + path
                pending.append(writers.submit(_write_one, old, entry.data, target))
                while len(pending) > _IN_FLIGHT or (pending and pending[0].done()):
                    pending.popleft().result()  # raises the first error
            while pending:
                pending.popleft().result()
        finally:
            for future in pending:
                future.cancel()
    return WriteReport(files, found)


def _write_one(old: str, data: bytes, target: str) -> None:
    """Write one output, making its folder if it is not there yet; OutputError if another
    process already wrote this path (files are created exclusively)."""
    try:
        try:
            _place(old, data, target)
        except FileNotFoundError:
            os.makedirs(os.path.dirname(target), exist_ok=True)
            _place(old, data, target)
    except FileExistsError:
        raise OutputError(f"output path {target!r} is written twice") from None
    except OSError as error:
        raise _WriteFailed(error.strerror or error) from None


def _place(old: str, data: bytes, target: str) -> None:
    """Hard-link an unchanged file of the previous site, or write the bytes.

    The old site is only unlinked after the swap, so the shared file keeps its bytes,
    its modification time (rsync and caches see it unchanged) and costs no write.
    FileNotFoundError: the target's folder is not made yet (or the old file just went).
    """
    if _same_bytes(old, data):
        try:
            os.link(old, target)
            return
        except FileNotFoundError:
            raise
        except OSError:
            pass  # no hard links on this file system: write
    _create(target, data)


# What open(target, "wb") asks of the system, without the buffered file object around it (a
# site is tens of thousands of small files written whole).
# Created exclusively: a path written twice (by two worker processes) fails at once.
_CREATE = (
    os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
)


def _create(target: str, data: bytes) -> None:
    """Write a file whole (created with the permissions open() gives)."""
    handle = os.open(target, _CREATE, 0o666)
    try:
        remaining = memoryview(data)
        while remaining:
            remaining = remaining[os.write(handle, remaining) :]
    finally:
        os.close(handle)


def _same_bytes(old: str, data: bytes) -> bool:
    try:
        if os.stat(old).st_size != len(data):
            return False
        with open(old, "rb") as handle:
            return handle.read() == data
    except OSError:
        return False


def _swap(staging: Path, out_dir: Path) -> None:
    """Put the new site at out_dir, so that a reader (or a kill) finds a whole site there at
    every instant: the two folders are exchanged in one step where the system can (Linux,
    macOS); elsewhere the old site is renamed aside first, and a build interrupted between
    the two renames is recovered by the next (output_folder.recover_output_folder)."""
    if not out_dir.exists():
        staging.rename(out_dir)
        return
    if exchange(staging, out_dir):
        shutil.rmtree(staging, ignore_errors=True)  # the old site, now under staging's name
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.parent))
    old.rmdir()
    out_dir.rename(old)
    try:
        staging.rename(out_dir)
    except BaseException:
        old.rename(out_dir)
        raise
    shutil.rmtree(old, ignore_errors=True)


def update_site(
    outputs: Iterable[Output],
    out_dir: Path,
    *,
    inspect: Callable[[Output], Found] | None = None,
    before_write: Callable[[WriteReport], None] | None = None,
) -> int:
    """Write into an existing site the outputs whose bytes changed; return how many.

    For a build of what changed (serve): every output is inspected and `before_write` (the
    build's last checks, which may raise) runs before anything is written; then each file
    is replaced atomically (written beside, then renamed), so no reader sees half a file.
    """
    checked = list(check_outputs(outputs))
    found = {o.path: things for o in checked if inspect is not None and (things := inspect(o))}
    if before_write is not None:
        before_write(WriteReport(len(checked), found))
    changed = 0
    for output in checked:
        target = out_dir / output_path(output.path)
        try:
            if target.read_bytes() == output.data:
                continue
        except OSError:
            pass
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_name(f".{target.name}.new")
            temporary.write_bytes(output.data)
            os.chmod(temporary, 0o644)
            temporary.replace(target)  # never in place: it may be a hard link of an old site
        except OSError as error:
            raise SiteNotWritten(
                f"cannot update the site in {out_dir}: {error.strerror or error}; {changed} "
                "file(s) were updated, each whole; the next build completes the site"
            ) from None
        changed += 1
    return changed

"""Write stage: the only code that touches the output folder, and it swaps in whole sites only."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from generator.site.outputs import AnyOutput, Output, Written


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


def check_outputs(outputs: Iterable[AnyOutput]) -> Iterator[AnyOutput]:
    """The outputs, as they come, refusing duplicates and paths escaping the output folder."""
    seen: set[str] = set()
    for output in outputs:
        path = output_path(output.path)
        if path in seen:
            raise OutputError(f"output path {output.path!r} is written twice")
        seen.add(path)
        yield output


@dataclass(frozen=True)
class SiteFolder:
    """Where a new site is being written (staging), next to the last good one (out_dir).

    Forked worker processes write the outputs they render here themselves, instead of
    sending their bytes back to the writing process; they give it Written markers.
    """

    staging: Path
    out_dir: Path

    def write(self, output: Output) -> None:
        """Write one output now, in this process (not for the last good site's folder)."""
        path = output_path(output.path)
        _write_one(f"{self.out_dir}/{path}", output.data, f"{self.staging}/{path}")


def write_site(
    outputs: Iterable[Output], out_dir: Path, before_swap: Callable[[], None] | None = None
) -> int:
    """Write a whole site next to out_dir, then swap it into place; return the file count."""
    return write_site_from(lambda _: outputs, out_dir, before_swap)


def write_site_from(
    render: Callable[[SiteFolder], Iterable[Output | Written]],
    out_dir: Path,
    before_swap: Callable[[], None] | None = None,
) -> int:
    """Write the site render(folder) makes next to out_dir, then swap it into place; return
    the file count. render may write some files itself (Written) into the folder it is given.

    Outputs are written as they come, so a site never has to fit in memory. A failure at
    any point, including in `before_swap` (the build's last checks, which may raise),
    leaves the previous site untouched: the new one is written to a temporary sibling
    folder (same file system, so the renames are atomic), the old one is renamed aside, the
    new one renamed in, and only then is the old one removed.
    """
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-", dir=out_dir.parent))
    try:
        folder = SiteFolder(staging, out_dir)
        count = _write_all(check_outputs(render(folder)), folder)
        if before_swap is not None:
            before_swap()
        os.chmod(staging, 0o755)
        _swap(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return count


# Creating files and folders is mostly the file system's work: a couple of writer threads let
# it overlap with rendering (measured at 10,000 awards: one and four threads took the same
# time, four burning 60% more system time in contention). Few enough writes in flight that
# memory stays bounded. Folders are made by the writers too (the first write into a missing
# folder makes it), so that the thread consuming the outputs never waits on the disk.
_WRITERS = 2
_IN_FLIGHT = 256


def _write_all(outputs: Iterable[Output | Written], folder: SiteFolder) -> int:
    """Write every output into staging, several at a time; the count of files in the site."""
    old_root, new_root = f"{folder.out_dir}/", f"{folder.staging}/"
    pending: deque[Future[None]] = deque()
    count = 0
    with ThreadPoolExecutor(_WRITERS) as writers:
        try:
            for output in outputs:
                count += 1
                if isinstance(output, Written):
                    continue  # a worker wrote it
                old, target = old_root + output.path, new_root + output.path
                pending.append(writers.submit(_write_one, old, output.data, target))
                while len(pending) > _IN_FLIGHT or (pending and pending[0].done()):
                    pending.popleft().result()  # raises the first error
            while pending:
                pending.popleft().result()
        finally:
            for future in pending:
                future.cancel()
    return count


def _write_one(old: str, data: bytes, target: str) -> None:
    """Write one output, making its folder if it is not there yet."""
    try:
        _place(old, data, target)
    except FileNotFoundError:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        _place(old, data, target)


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
_CREATE = (
    os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
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
    if not out_dir.exists():
        staging.rename(out_dir)
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


def update_site(outputs: Iterable[Output], out_dir: Path) -> int:
    """Write into an existing site the outputs whose bytes changed; return how many.

    For `serve` after a small edit: each file is replaced atomically (written beside, then
    renamed), and the caller has run every check before, so no reader sees half a file.
    """
    changed = 0
    for output in check_outputs(outputs):
        target = out_dir / output.path
        try:
            if target.read_bytes() == output.data:
                continue
        except OSError:
            target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.new")
        temporary.write_bytes(output.data)
        os.chmod(temporary, 0o644)
        temporary.replace(target)  # never in place: the file may be a hard link of an old site
        changed += 1
    return changed

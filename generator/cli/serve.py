"""Local preview: build, serve with live reload, rebuild on every change, survive broken edits."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from urllib.parse import urlsplit

from tornado.ioloop import IOLoop

from generator.cli.live_server import HOST, LiveServer, ServedSite, reload_browsers
from generator.cli.report import report
from generator.cli.source_watcher import SourceWatcher
from generator.site.build import build, claim_output
from generator.site.built import Built
from generator.site.load.parsing import read_yaml
from generator.site.load.repository import CONTENT, Repository
from generator.site.model.problems import BuildFailed, Location, Problems
from generator.site.write.output_folder import (
    OutputFolderRefused,
    SiteNotWritten,
    output_folder_lock,
)


def serve(source: Path, port: int, out: Path | None) -> int:
    """Serve the site at its base path on localhost until stopped (Ctrl-C, a SIGTERM),
    rebuilding it on every change; the exit code. A temporary output folder is removed."""
    base_path = _base_path(source)
    site = ServedSite(Path(), base_path)  # its folder once the port is ours
    try:
        LiveServer(site).listen(port)  # first: a port in use is said before anything is made
    except OSError as error:
        print(f"error: {_cannot_listen(port, error)}", file=sys.stderr)
        return 1
    root = out if out is not None else Path(tempfile.mkdtemp(prefix="fababrest-serve-"))
    site.folder = root / (base_path.strip("/") or "site")
    stopping = _Stopping()
    try:
        with _stopped_by_signals(stopping):
            claim_output(source, site.folder)
            with output_folder_lock(site.folder, "serve"):
                _serve(source, port, site, stopping)
    except KeyboardInterrupt:
        print("stopped")
    finally:
        if out is None:
            _remove(root)
    return 0


def _serve(source: Path, port: int, site: ServedSite, stopping: _Stopping) -> None:
    """Build, serve and rebuild on changes, holding the output folder; KeyboardInterrupt
    once a signal asked to stop."""
    last: Built | None = None

    def rebuild() -> None:
        nonlocal last
        started = time.perf_counter()
        try:
            with stopping.building():
                last = build(source, site.folder, last=last)
        except BuildFailed as failed:
            report(failed.problems)
            not_built([str(problem) for problem in failed.problems])
            return
        except (OutputFolderRefused, SiteNotWritten) as failure:
            not_built([f"error: {failure}"])
            return
        report(last.report.warnings)
        if last.report.incremental and not last.report.files:
            return  # files saved as they were: nothing to show
        how = "updated" if last.report.incremental else "built"
        if last.report.up_to_date:
            print(
                f"nothing changed since the last build: the {last.report.files} files are up to date"
            )
        else:
            print(f"{how} {last.report.files} files in {time.perf_counter() - started:.2f} s")
        site.built, site.problems = True, []
        reload_browsers()
        if last.state is None:
            return
        moved = urlsplit(last.state.checked.network.site.base_url).path or "/"
        if moved != site.base_path:
            print(
                f"warning: base_url's path is now {moved}: the site is still served at "
                f"{site.base_path}, with links to {moved}; stop serve and start it again"
            )

    def not_built(problems: list[str]) -> None:
        for problem in problems:
            if problem.startswith("error: "):  # the system's refusal (report() printed the rest)
                print(problem, file=sys.stderr)
        if site.built:
            print("build failed: still serving the last good build")
            return
        print(
            "the site does not build yet: fix the problems; it will be served as soon as it builds"
        )
        site.problems = problems
        reload_browsers()  # to the page that lists them

    loop = IOLoop.current()
    rebuild()
    watcher = SourceWatcher(source, loop, rebuild)
    watcher.start()
    try:
        until = "" if site.built else ", listing the problems until the site builds"
        print(f"serving on http://{HOST}:{port}{site.base_path}{until} (Ctrl-C to stop)")
        stopping.loop = loop
        loop.start()
    finally:
        stopping.loop = None
        watcher.stop()
    raise KeyboardInterrupt  # the loop only stops when a signal asks it to


def _cannot_listen(port: int, error: OSError) -> str:
    if error.errno == errno.EADDRINUSE:
        return f"port {port} is already in use; choose another with --port"
    if error.errno == errno.EACCES:
        return (
            f"cannot serve on port {port}: permission denied (ports below 1024 are the "
            "system's); choose another with --port"
        )
    reason = (error.strerror or str(error)).lower()
    return f"cannot serve on {HOST}:{port}: {reason}; choose another port with --port"


class _Stopping:
    """How a signal stops serve. During a build, at once: KeyboardInterrupt, which leaves the
    site as it was. While serving, the loop is asked to stop between two of its callbacks,
    so that no library code is interrupted halfway (livereload catches any exception, a
    KeyboardInterrupt too, while it tells the browsers to reload: the signal was lost and
    serve went on, printing a traceback)."""

    def __init__(self) -> None:
        self.loop: IOLoop | None = None
        self._builds = 0

    @contextmanager
    def building(self) -> Iterator[None]:
        """While a build runs: a signal stops it at once."""
        self._builds += 1
        try:
            yield
        finally:
            self._builds -= 1

    def stop(self) -> None:
        """Stop as soon as it is safe (from a signal handler)."""
        if self.loop is None or self._builds:
            raise KeyboardInterrupt
        self.loop.add_callback_from_signal(self.loop.stop)


@contextmanager
def _stopped_by_signals(stopping: _Stopping) -> Iterator[None]:
    """Stop on Ctrl-C, when asked to terminate, or when the terminal is closed."""
    serving = os.getpid()

    def stop(signum: int, frame: FrameType | None) -> None:
        if os.getpid() != serving:  # a build's worker process, forked with this handler
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)  # ends as it would have without it
            return
        stopping.stop()

    names = ("SIGINT", "SIGTERM", "SIGHUP")
    numbers = [getattr(signal, name) for name in names if hasattr(signal, name)]
    previous = {number: signal.signal(number, stop) for number in numbers}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _remove(folder: Path) -> None:
    try:
        shutil.rmtree(folder)
    except OSError as error:
        print(f"warning: could not remove the temporary folder {folder}: {error}", file=sys.stderr)


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

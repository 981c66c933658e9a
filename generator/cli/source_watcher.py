"""Which edits start a rebuild: file-system events (inotify on Linux) in the repository's
source folders, told to the server's event loop as soon as the edited files are written."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from tornado.ioloop import IOLoop
from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, ObservedWatch

from generator.site.load.repository import SOURCE_FOLDERS

# An editor's save is often several events (written beside, renamed, its mode set): the
# rebuild waits until the folders have been quiet this long, so that it reads the saved file.
QUIET = 0.05  # seconds

# What changes a file (the build itself opens and reads every file: those events are not).
CHANGES: list[type[FileSystemEvent]] = [
    FileCreatedEvent,
    FileModifiedEvent,
    FileClosedEvent,
    FileDeletedEvent,
    FileMovedEvent,
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
]


def is_scratch(name: str) -> bool:
    """An editor's swap, lock or backup file (`.x.md.swp`, `.#x.md`, `#x.md#`, `x.md~`), or
    another hidden file: saving a file is no reason to rebuild while it is being edited."""
    return name.startswith((".", "#")) or name.endswith("~")


class SourceWatcher(FileSystemEventHandler):
    """Calls `changed` on the server's loop once an edit of the sources is written.

    Each source folder is watched with its subfolders; the repository's own folder alone,
    so that a source folder made later (assertions/, at the first credential) is watched too.
    """

    def __init__(self, source: Path, loop: IOLoop, changed: Callable[[], None]) -> None:
        super().__init__()
        self._source = os.path.abspath(source)
        self._loop = loop
        self._changed = changed
        self._observer: BaseObserver | None = None  # once started
        self._folders: dict[str, ObservedWatch] = {}
        self._pending: object | None = None  # the loop's timeout of the next rebuild

    def start(self) -> None:
        """Watch from now on (threads of the observer's)."""
        with _signals_left_to_this_thread():
            self._observer = Observer()  # its first thread starts here
            self._observer.schedule(self, self._source, event_filter=CHANGES)
            for folder in SOURCE_FOLDERS:
                self._watch(folder)
            self._observer.start()

    def stop(self) -> None:
        """Stop watching."""
        if self._observer is not None:
            self._observer.stop()
            self._observer.join()

    def on_any_event(self, event: FileSystemEvent) -> None:
        """In the observer's thread: a source file changed (or a source folder came or went)."""
        paths = [os.fsdecode(event.src_path), os.fsdecode(event.dest_path)]
        touched = [path for path in paths if path and self._in_sources(path)]
        if not touched:
            return
        for path in touched:
            if os.path.dirname(path) == self._source:  # a source folder itself
                self._watch(os.path.basename(path))
        self._loop.add_callback(self._soon)

    def _in_sources(self, path: str) -> bool:
        relative = os.path.relpath(path, self._source).split(os.sep)
        return relative[0] in SOURCE_FOLDERS and not any(map(is_scratch, relative))

    def _watch(self, folder: str) -> None:
        """Watch a source folder and its subfolders anew (it may have been replaced)."""
        assert self._observer is not None
        old = self._folders.pop(folder, None)
        if old is not None:
            self._observer.unschedule(old)
        path = os.path.join(self._source, folder)
        if os.path.isdir(path):
            self._folders[folder] = self._observer.schedule(
                self, path, recursive=True, event_filter=CHANGES
            )

    def _soon(self) -> None:
        """On the loop: rebuild once the folders have been quiet for QUIET seconds."""
        if self._pending is not None:
            self._loop.remove_timeout(self._pending)
        self._pending = self._loop.call_later(QUIET, self._now)

    def _now(self) -> None:
        self._pending = None
        self._changed()


@contextmanager
def _signals_left_to_this_thread() -> Iterator[None]:
    """Threads started in the block leave Ctrl-C and SIGTERM to this one (the main thread,
    which runs Python's handlers): a signal the system gave one of them would not wake the
    server's loop, which waits for its sockets, and serve would not stop."""
    if not hasattr(signal, "pthread_sigmask"):  # Windows: no such signals to a thread
        yield
        return
    stops = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, stops)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)

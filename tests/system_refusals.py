"""The system's refusals, simulated where a program meets them: opening a file and listing a
folder. Tests run as root, whom permissions do not stop (chmod 000 changes nothing), so a
file made unreadable is one whose opening raises what the system would raise."""

from __future__ import annotations

import builtins
import contextlib
import errno
import io
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest


def _path_of(argument: Any) -> Path | None:
    if isinstance(argument, int):  # a file descriptor: already open
        return None
    try:
        return Path(os.path.abspath(os.fsdecode(argument)))
    except TypeError:
        return None


@contextlib.contextmanager
def refused(monkeypatch: pytest.MonkeyPatch, code: int = errno.EACCES) -> Iterator[set[Path]]:
    """Opening a file, or listing a folder, of the set it gives (or anything under one)
    raises OSError(code); the set may change while the context lasts."""
    paths: set[Path] = set()

    def guard(function: Callable[..., Any]) -> Callable[..., Any]:
        def guarded(target: Any = ".", *args: Any, **kwargs: Any) -> Any:
            path = _path_of(target)
            if path is not None and any(p == path or p in path.parents for p in paths):
                raise OSError(code, os.strerror(code), os.fsdecode(target))
            return function(target, *args, **kwargs)

        return guarded

    with monkeypatch.context() as patch:
        patch.setattr(os, "open", guard(os.open))
        patch.setattr(io, "open", guard(io.open))
        patch.setattr(builtins, "open", guard(builtins.open))
        patch.setattr(os, "listdir", guard(os.listdir))
        patch.setattr(os, "scandir", guard(os.scandir))
        yield paths


@contextlib.contextmanager
def opened(monkeypatch: pytest.MonkeyPatch, under: Path) -> Iterator[set[Path]]:
    """The files opened and folders listed under a folder while the context lasts."""
    seen: set[Path] = set()
    root = Path(os.path.abspath(under))

    def spy(function: Callable[..., Any]) -> Callable[..., Any]:
        def spied(target: Any = ".", *args: Any, **kwargs: Any) -> Any:
            path = _path_of(target)
            if path is not None and (path == root or root in path.parents):
                seen.add(path)
            return function(target, *args, **kwargs)

        return spied

    with monkeypatch.context() as patch:
        patch.setattr(os, "open", spy(os.open))
        patch.setattr(io, "open", spy(io.open))
        patch.setattr(builtins, "open", spy(builtins.open))
        patch.setattr(os, "listdir", spy(os.listdir))
        patch.setattr(os, "scandir", spy(os.scandir))
        yield seen

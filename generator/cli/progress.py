"""A progress bar on stderr for long runs, shown only to a person at a terminal (not in CI).

The build and the issuer tools take it as their `progress` (see generator/progress.py):
they count, the command line draws.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from typing import TypeVar

_Item = TypeVar("_Item")


def shown() -> bool:
    """Whether a person watches: stderr is a terminal and this is not a CI job."""
    return sys.stderr.isatty() and not os.environ.get("CI")


def progress_bar(
    items: Iterable[_Item], label: str, total: int | None = None, every: int = 1
) -> Iterator[_Item]:
    """The items, drawing a bar (or, without a total, a count) every `every` items."""
    if not shown():
        yield from items
        return
    number = 0
    for number, item in enumerate(items, start=1):
        if number % every == 0 or number == total:
            _draw(label, number, total)
        yield item
    _draw(label, number, total)
    print(file=sys.stderr)


def _draw(label: str, number: int, total: int | None) -> None:
    if total:
        filled = int(30 * min(number, total) / total)
        bar = f"[{'#' * filled}{'.' * (30 - filled)}] {number}/{total}"
    else:
        bar = f"{number:,}"
    print(f"\r{label} {bar}", end="", file=sys.stderr, flush=True)

"""How a long run (writing a site, signing a CSV file of credentials) lets its progress be
seen: the caller passes a Progress that sees each item go by; the command line's draws a bar
(generator/cli/progress.py). Nothing here prints: printing is the command line's job."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Protocol, TypeVar

_Item = TypeVar("_Item")


class Progress(Protocol):
    """Wraps the items of a long run, `label` naming it, `total` items if known; may show
    their count every `every` items."""

    def __call__(
        self, items: Iterable[_Item], label: str, total: int | None = None, every: int = 1
    ) -> Iterator[_Item]: ...


def unseen(
    items: Iterable[_Item], label: str, total: int | None = None, every: int = 1
) -> Iterator[_Item]:
    """The items as they come, shown to no one: the default, where no person watches."""
    return iter(items)

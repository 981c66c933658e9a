"""What a process keeps in memory from one build to its next: what it made from inputs alone.

Only `serve` and the tests build more than once in one process; a command-line build makes
each of these once anyway. The cache store (cache.py) consults this for its `pure`
namespaces.
"""

from __future__ import annotations


class Made:
    """What this process made or read that depends on its inputs alone (QR codes, badge
    images, share cards, compiled templates), by entry key, the most recently used first,
    within a number of bytes.

    A process that builds again (serve after each edit, the tests' hundreds of builds) finds
    them here even when its store is another one or none (`--no-cache`): making them again
    would give the same bytes, the key holding every input and the code (entry_key). A
    small site's build spent three quarters of its time drawing its share cards again.
    Verified proofs are never kept here: `--no-cache` verifies everything again.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._values: dict[str, bytes] = {}  # in the order of use, the least recent first
        self._size = 0

    def get(self, key: str) -> bytes | None:
        value = self._values.pop(key, None)
        if value is not None:
            self._values[key] = value
        return value

    def forget(self) -> None:
        """Keep nothing more (a test of the cache store starts as a new process would)."""
        self._values.clear()
        self._size = 0

    def put(self, key: str, value: bytes) -> None:
        old = self._values.pop(key, None)
        self._size += len(value) - (len(old) if old is not None else 0)
        self._values[key] = value
        while self._size > self.limit and self._values:
            self._size -= len(self._values.pop(next(iter(self._values))))


MADE = Made(limit=64 * 1024 * 1024)

"""A cache of signatures already verified, so that a build re-verifies only what changed.

Only the expensive, pure part is cached: "these exact bytes carry a valid eddsa-rdfc-2022
proof for this exact public key, by this exact verifier". The key is a SHA-256 of the
verifier's version, the file's bytes and the public key; key validity dates, compromised
keys, badges, dates and status are checked again at every build. A changed file, another
key or a new verifier therefore never reuses a result. Only successes are stored.
"""

from __future__ import annotations

import hashlib
import sqlite3
from functools import cache
from importlib import resources
from importlib.metadata import version
from pathlib import Path
from types import TracebackType

CACHE_DIR = ".cache"
FORMAT = "1"  # bump when the cache's layout or meaning changes


@cache
def verifier_version() -> str:
    """A fingerprint of everything that decides whether a proof verifies."""
    digest = hashlib.sha256(f"format {FORMAT}; pyld {version('pyld')}".encode())
    package = resources.files("generator.openbadges")
    for name in ("jsonld.py", "dataintegrity.py", "multikey.py"):
        digest.update(package.joinpath(name).read_bytes())
    contexts = package.joinpath("contexts")
    for entry in sorted(contexts.iterdir(), key=lambda item: item.name):
        digest.update(entry.name.encode() + entry.read_bytes())
    return digest.hexdigest()


def entry_key(data: bytes, public_key_multibase: str) -> str:
    """The cache key of one verification."""
    digest = hashlib.sha256(verifier_version().encode())
    digest.update(b"\0" + public_key_multibase.encode() + b"\0" + data)
    return digest.hexdigest()


class VerificationCache:
    """Verified (bytes, key) pairs, in an SQLite file under the content repository's .cache/."""

    def __init__(self, path: Path | None) -> None:
        self.hits = 0
        self._known: set[str] = set()
        self._new: set[str] = set()
        self._path = path
        if path is not None and path.is_file():
            try:
                with sqlite3.connect(path) as db:
                    self._known = {row[0] for row in db.execute("SELECT key FROM verified")}
            except sqlite3.DatabaseError:
                self._known = set()  # an unreadable cache is only a slower build

    @classmethod
    def for_source(cls, source: Path) -> VerificationCache:
        """The cache of a content repository."""
        return cls(source / CACHE_DIR / "verified.sqlite3")

    def __contains__(self, key: str) -> bool:
        found = key in self._known or key in self._new
        self.hits += found
        return found

    def add(self, key: str) -> None:
        """Remember a successful verification."""
        self._new.add(key)

    def save(self) -> None:
        """Write the entries verified by this build."""
        if self._path is None or not self._new:
            return
        self._path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._write(self._path)
        except sqlite3.DatabaseError:
            self._path.unlink()  # not a cache we can read: start a new one
            self._write(self._path)

    def _write(self, path: Path) -> None:
        with sqlite3.connect(path) as db:
            db.execute("CREATE TABLE IF NOT EXISTS verified (key TEXT PRIMARY KEY)")
            rows = [(key,) for key in sorted(self._new)]
            db.executemany("INSERT OR IGNORE INTO verified VALUES (?)", rows)

    def __enter__(self) -> VerificationCache:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if kind is None:
            self.save()

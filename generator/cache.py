"""The build's one cache store: results of earlier builds that a build may reuse.

Entries (a proof that verified, a QR code, a badge image, a compiled template, the record
of the last build into a folder) are named by a namespace and a key. Keys are made in one
way only (entry_key): a SHA-256 of the store's format, the code fingerprint and the entry's
inputs. The code fingerprint hashes every file of the `generator` package, Python's version
and the libraries whose output reaches the site, so any change to the code, wherever it
lives, asks for other keys: a result of older code is never found again.

The store is one SQLite file per content repository, outside it (in the user's cache folder,
see cache_root): nothing that comes with the repository, or with a pull request to it, is
ever read as a cache. Every entry is stored with a tag, an HMAC of its namespace, key and
value under a secret made for this store (a file beside it, readable by its owner only), and
checked when read: an entry that this machine's builds did not write (added by hand, copied
from elsewhere, damaged) is not found, and is recomputed. A missing, damaged or foreign file
reads as an empty cache: a slower build, never a failed one nor a wrong one. Namespaces are read whole on first use, in
the process that asks; entries put are kept in memory and written by save(), in the process
that opened the store. Forked workers see what their parent read before forking; what they
put is theirs alone (the build gathers their results and puts them itself). No connection is
kept open, so none is ever shared with a forked process.

Every namespace is declared here, in NAMESPACES, with what its entries hold and how a value
is checked before it is handed out: the tag says who wrote an entry, the check says that its
bytes are what they claim to be (an image, a QR code among them, is a whole PNG). A
value that fails is dropped and recomputed, without a word, as a missing one is.

How each output is reused — the one list; every other module that reuses something points here:

- Nothing changed since the last build into the same folder (sources, code, options, and no
  award's status changed by the clock): no output is made at all (site/last_build.py).
- `serve`, after signed files changed: only the pages of the awards they touch, and what
  gathers every award, are made again (site/update.py); files whose bytes did not change are
  not written.
- A whole build makes every output, but from what earlier builds kept here: verified proofs
  (the checks skip canonicalisation), compiled templates, QR codes, default badge images,
  share images, the search index when the pages it indexes are unchanged (NAMESPACES below).
- A process that builds again (serve, tests) also keeps in memory what it made from inputs
  alone (the `pure` namespaces below: pictures, compiled templates), whichever store its next
  build uses (process_memory.py).
- Within a build, parts that many pages share (header, footer, a badge's criteria and
  pathway on its awards' pages) are rendered once per language (site/render/fragments.py),
  and every image is drawn once and shared by the pages that show it.
- Writing: a file whose bytes are those of the previous site is hard-linked from it, not
  written again (site/write/writer.py), so it keeps its time for rsync and caches.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import sqlite3
import zlib
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, Generic, TypeVar

from generator.cache_secret import TAG_BYTES, read_secret, tag
from generator.code_version import code_fingerprint
from generator.process_memory import MADE

log = logging.getLogger(__name__)

FORMAT = "2"  # bump when the meaning of entries or the layout of the file changes
FILE_NAME = "cache.sqlite3"
SECRET_NAME = "secret"
# How long a build waits for another one writing the same store before giving up its save.
BUSY_TIMEOUT_SECONDS = 30.0
# What SQLite says of a file that is not a store of ours: damaged (or not a database at
# all), or a database whose table `entries` is another's (SQLITE_ERROR: no such column).
_NOT_A_STORE = (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_ERROR)

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS entries (namespace TEXT NOT NULL, key TEXT NOT NULL, "
    "code TEXT NOT NULL, value BLOB NOT NULL, PRIMARY KEY (namespace, key))"
)


Value = TypeVar("Value")


@dataclass(frozen=True)
class Namespace(Generic[Value]):
    """A kind of entry: its name in the store, what it holds, and how its stored bytes are
    read back (`decode` gives the value, or None when the bytes are not what they should be:
    the entry is then dropped and recomputed). A `pure` namespace holds values that are a
    function of their key's inputs alone (pictures, compiled code), never a judgement: this
    process also keeps them in memory (MADE), for its later builds."""

    name: str
    holds: str
    decode: Callable[[bytes], Value | None]
    pure: bool = False


def _empty(value: bytes) -> bool | None:
    return True if value == b"" else None


def _whole_png(value: bytes) -> bytes | None:
    """The PNG if it is whole: its signature, then chunks each within the bytes and with its
    checksum (CRC-32, as PNG readers check it), the last one IEND; None otherwise (a
    truncated or damaged file). Pillow's verify() checks the same, ten times slower: this runs
    for every image a build takes from the store, thousands of QR codes among them."""
    if not value.startswith(_PNG_SIGNATURE):
        return None
    position = len(_PNG_SIGNATURE)
    while position + 12 <= len(value):
        length = int.from_bytes(value[position : position + 4], "big")
        end = position + 8 + length
        if end + 4 > len(value):
            return None
        kind_and_data = value[position + 4 : end]
        if zlib.crc32(kind_and_data) != int.from_bytes(value[end : end + 4], "big"):
            return None
        if kind_and_data[:4] == b"IEND":
            return value if end + 4 == len(value) else None
        position = end + 4
    return None


_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _json_object(value: bytes) -> dict[str, Any] | None:
    try:
        record = json.loads(value)
    except ValueError:
        return None
    return record if isinstance(record, dict) else None


def _bytecode(value: bytes) -> bytes | None:
    # Jinja checks its own magic and the template's checksum when it loads it (a mismatch is
    # compiled again, see render/theme.py).
    return value


VERIFIED_PROOFS = Namespace(
    "verified-proofs",
    "an empty value for each (file bytes, public key) whose eddsa-rdfc-2022 proof verified",
    _empty,
)
QR_CODES = Namespace("qr-codes", "the PNG of a QR code", _whole_png, pure=True)
BADGE_IMAGES = Namespace(
    "badge-images",
    "a PNG drawn for a badge without an image, at one of its sizes",
    _whole_png,
    pure=True,
)
SHARE_IMAGES = Namespace(
    "share-images", "the 1200 x 630 PNG shared on social networks", _whole_png, pure=True
)
TEMPLATES = Namespace(
    "templates", "a template compiled by Jinja, for one language", _bytecode, pure=True
)

SEARCH_INDEX = Namespace(
    "search-index",
    "the files of the search index (Pagefind's) of some pages, JSON: path -> base64 bytes",
    _json_object,
)
LAST_BUILD = Namespace(
    "last-build", "the record of the last build into an output folder (JSON)", _json_object
)
NAMESPACES: tuple[Namespace[Any], ...] = (
    VERIFIED_PROOFS,
    QR_CODES,
    BADGE_IMAGES,
    SHARE_IMAGES,
    TEMPLATES,
    SEARCH_INDEX,
    LAST_BUILD,
)


def cache_root() -> Path:
    """Where caches live: $FABABREST_CACHE_DIR, else $XDG_CACHE_HOME/fababrest-badges, else
    ~/.cache/fababrest-badges."""
    chosen = os.environ.get("FABABREST_CACHE_DIR")
    if chosen:
        return Path(chosen).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path("~/.cache").expanduser())
    return Path(base) / "fababrest-badges"


def cache_folder(repository: Path) -> Path:
    """Where the cache of a content repository lives (the one place that decides it): a
    folder of the cache root named after the repository's path, never inside it."""
    name = hashlib.sha256(str(repository.resolve()).encode()).hexdigest()[:16]
    return cache_root() / f"{repository.resolve().name}-{name}"


def open_store(repository: Path, enabled: bool = True) -> Store:
    """The cache store of a content repository; disabled (`--no-cache`) it remembers nothing."""
    return Store(cache_folder(repository) / FILE_NAME if enabled else None)


def entry_key(namespace: Namespace[Any], *inputs: bytes | str) -> str:
    """The key of an entry: a SHA-256 of the format, the code, the namespace and the inputs."""
    digest = hashlib.sha256(f"format {FORMAT}\0{code_fingerprint()}\0".encode())
    for part in (namespace.name, *inputs):
        data = part.encode() if isinstance(part, str) else part
        # Each part after its length, so that ("ab", "c") and ("a", "bc") differ.
        digest.update(b"%d\0" % len(data))
        digest.update(data)
    return digest.hexdigest()


class Store:
    """Entries of earlier builds, by namespace and key, in one SQLite file.

    Store(None) is a disabled store: it finds nothing and keeps nothing.
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._read: dict[str, dict[str, bytes]] = {}
        self._pending: dict[tuple[str, str], bytes | None] = {}  # None: to delete
        self._owner = os.getpid()
        self._key: bytes | None = None

    @property
    def enabled(self) -> bool:
        """Whether the store remembers anything."""
        return self.path is not None

    def load(self, namespace: Namespace[Any]) -> None:
        """Read a namespace now (before forking workers, which then find it in memory)."""
        self._entries(namespace.name)

    def get(self, namespace: Namespace[Value], key: str) -> Value | None:
        """The value of an entry, if an earlier build (or this one) kept it and its bytes
        read back as the namespace says (otherwise the entry is dropped: recomputed)."""
        entries = self._entries(namespace.name)
        data = entries.get(key)
        value = namespace.decode(data) if data is not None else None
        if data is not None and value is None:
            log.info("cache: a %s entry does not read back; it is made again", namespace.name)
            self.delete(namespace, key)
        if value is None and namespace.pure and (made := MADE.get(key)) is not None:
            self.put(namespace, key, made)  # made by this process: kept for the next ones
            return namespace.decode(made)
        return value

    def put(self, namespace: Namespace[Any], key: str, value: bytes) -> None:
        """Keep an entry (written by save()); a pure one also in this process's memory."""
        if namespace.pure:
            MADE.put(key, value)
        if self.path is None:
            return
        self._entries(namespace.name)[key] = value
        self._pending[namespace.name, key] = value

    def keys(self, namespace: Namespace[Any]) -> list[str]:
        """The keys of a namespace's entries, sorted."""
        return sorted(self._entries(namespace.name))

    def delete(self, namespace: Namespace[Any], key: str) -> None:
        """Forget an entry (at save())."""
        if self.path is None:
            return
        self._entries(namespace.name).pop(key, None)
        self._pending[namespace.name, key] = None

    def save(self) -> None:
        """Write the entries put since the last save (failures are logged, never raised)."""
        # A store that cannot be written only makes the next build slower.
        if self.path is None or not self._pending or os.getpid() != self._owner:
            return  # a forked worker never writes: its parent saves what it gathered
        pending, self._pending = self._pending, {}
        try:
            self._write(self.path, pending)
        except sqlite3.Error as error:
            if getattr(error, "sqlite_errorcode", None) not in _NOT_A_STORE:
                # Busy past the timeout, read-only, disk full: only a slower next build.
                log.info("cache not saved: %s", error)
                return
            try:
                self.path.unlink(missing_ok=True)  # damaged or foreign: start a new one
                self._write(self.path, pending)
            except (sqlite3.Error, OSError) as again:
                log.info("cache not saved: %s", again)
        except OSError as error:  # a read-only checkout builds all the same
            log.info("cache not saved: %s", error)

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        # Saved even when the build fails: every entry is a result that holds on its own.
        self.save()

    def _entries(self, namespace: str) -> dict[str, bytes]:
        entries = self._read.get(namespace)
        if entries is None:
            entries = self._read[namespace] = self._read_namespace(namespace)
        return entries

    def _secret(self, create: bool) -> bytes | None:
        """The secret that tags this store's entries; made with the store (create); None if
        it cannot be read or made (the store then reads nothing and keeps nothing)."""
        if self._key is None and self.path is not None:
            self._key = read_secret(self.path.parent / SECRET_NAME, create)
        return self._key

    def _read_namespace(self, namespace: str) -> dict[str, bytes]:
        """The entries of a namespace made by this code whose tags check; none if the file
        is unreadable."""
        if self.path is None or not self.path.is_file():
            return {}
        secret = self._secret(create=False)
        if secret is None:
            return {}
        try:
            uri = f"{self.path.resolve().as_uri()}?mode=ro"
            with closing(sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_SECONDS)) as db:
                rows = db.execute(
                    "SELECT key, value FROM entries WHERE namespace = ? AND code = ?",
                    (namespace, code_fingerprint()),
                ).fetchall()
        except sqlite3.Error as error:
            log.info("cache not read: %s", error)
            return {}  # missing, damaged or foreign: an empty cache
        entries = {}
        refused = 0
        for key, stored in rows:
            if not isinstance(key, str) or not isinstance(stored, bytes):
                refused += 1
                continue
            written, value = stored[:TAG_BYTES], stored[TAG_BYTES:]
            if hmac.compare_digest(written, tag(secret, namespace, key, value)):
                entries[key] = value
            else:
                refused += 1
        if refused:
            log.info("cache: %d %s entries not written by this store ignored", refused, namespace)
        return entries

    def _write(self, path: Path, pending: dict[tuple[str, str], bytes | None]) -> None:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        secret = self._secret(create=True)
        if secret is None:
            raise OSError(f"the cache's secret cannot be made in {path.parent}")
        code = code_fingerprint()
        puts = [
            (ns, key, code, tag(secret, ns, key, value) + value)
            for (ns, key), value in pending.items()
            if value is not None
        ]
        deletes = [(ns, key) for (ns, key), value in pending.items() if value is None]
        with closing(
            sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
        ) as db:
            # The write lock first, waiting for another build's save if need be; then all or
            # nothing (closing without COMMIT rolls back).
            db.execute("BEGIN IMMEDIATE")
            db.execute(_SCHEMA)
            # Entries of other code are never found again (their keys hold that code).
            db.execute("DELETE FROM entries WHERE code != ?", (code,))
            db.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?, ?, ?)", puts)
            db.executemany("DELETE FROM entries WHERE namespace = ? AND key = ?", deletes)
            db.execute("COMMIT")

"""QR codes of earlier builds, kept in SOURCE/.cache/qr-codes.sqlite3 (see sharing.QrCodes).

Keys are content hashes (sharing.qr_key), so an entry is never stale: a changed URL, title
or drawing code asks for another key. An unreadable cache only makes a slower build.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from pathlib import Path

FILE_NAME = "qr-codes.sqlite3"


def load_qr_codes(cache_dir: Path | None) -> dict[str, bytes]:
    """Every QR code stored by earlier builds, by key."""
    if cache_dir is None or not (cache_dir / FILE_NAME).is_file():
        return {}
    try:
        with sqlite3.connect(cache_dir / FILE_NAME) as db:
            return {key: bytes(svg) for key, svg in db.execute("SELECT key, svg FROM qr")}
    except sqlite3.DatabaseError:
        return {}


def save_qr_codes(cache_dir: Path | None, entries: Mapping[str, bytes]) -> None:
    """Store the QR codes drawn by this build."""
    if cache_dir is None or not entries:
        return
    cache_dir.mkdir(parents=True, exist_ok=True)
    path = cache_dir / FILE_NAME
    try:
        _insert(path, entries)
    except sqlite3.DatabaseError:
        path.unlink()  # not a cache we can read: start a new one
        _insert(path, entries)


def _insert(path: Path, entries: Mapping[str, bytes]) -> None:
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE IF NOT EXISTS qr (key TEXT PRIMARY KEY, svg BLOB)")
        db.executemany("INSERT OR IGNORE INTO qr VALUES (?, ?)", sorted(entries.items()))

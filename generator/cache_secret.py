"""The secret of a cache store (cache.py), and the tags it puts on every entry: an entry that
this machine's builds did not write (added by hand, copied from elsewhere) fails its tag.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
from pathlib import Path

log = logging.getLogger(__name__)

SECRET_BYTES = 32
TAG_BYTES = 32  # HMAC-SHA256


def tag(secret: bytes, namespace: str, key: str, value: bytes) -> bytes:
    """The HMAC that proves an entry was written by a build holding the store's secret."""
    mac = hmac.new(secret, digestmod=hashlib.sha256)
    for part in (namespace.encode(), key.encode(), value):
        mac.update(b"%d\0" % len(part))
        mac.update(part)
    return mac.digest()


def read_secret(path: Path, create: bool) -> bytes | None:
    """The store's secret, made (readable by its owner only) if asked and missing."""
    try:
        with open(path, "rb") as handle:
            secret = handle.read(SECRET_BYTES + 1)
        if len(secret) == SECRET_BYTES:
            return secret
        if not create:
            return None
        path.unlink()  # damaged: a new secret, so every entry is recomputed
    except FileNotFoundError:
        if not create:
            return None
    except OSError as error:
        log.info("cache secret not read: %s", error)
        return None
    secret = os.urandom(SECRET_BYTES)
    try:
        handle_ = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(handle_, secret)
        finally:
            os.close(handle_)
    except FileExistsError:
        return read_secret(path, create=False)  # another build made it first
    except OSError as error:
        log.info("cache secret not made: %s", error)
        return None
    return secret

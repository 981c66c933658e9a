"""Exchanging two paths in one step, where the operating system offers it.

Linux has renameat2(RENAME_EXCHANGE) and macOS renamex_np(RENAME_SWAP): after the call each
path names what the other named, and no reader ever finds neither. Python's os module has
neither, so they are called through the C library.
"""

from __future__ import annotations

import ctypes
import errno
import os
import sys
from collections.abc import Callable
from pathlib import Path

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2  # linux/fs.h
_RENAME_SWAP = 2  # macOS sys/stdio.h
# The file system or the kernel cannot exchange: fall back to two renames.
_UNSUPPORTED = {errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP}


def _system_call() -> Callable[[bytes, bytes], int] | None:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if sys.platform.startswith("linux"):
            renameat2 = libc.renameat2
            return lambda a, b: int(renameat2(_AT_FDCWD, a, _AT_FDCWD, b, _RENAME_EXCHANGE))
        if sys.platform == "darwin":
            renamex_np = libc.renamex_np
            return lambda a, b: int(renamex_np(a, b, _RENAME_SWAP))
    except (OSError, AttributeError):
        pass  # an older C library, or no C library to load: two renames
    return None


_CALL = _system_call()


def exchange(first: Path, second: Path) -> bool:
    """Exchange two existing paths atomically; False (and nothing done) where the system
    cannot, OSError if it refuses (permissions...)."""
    if _CALL is None:
        return False
    if _CALL(os.fsencode(first), os.fsencode(second)) == 0:
        return True
    code = ctypes.get_errno()
    if code in _UNSUPPORTED:
        return False
    raise OSError(code, os.strerror(code), str(second))

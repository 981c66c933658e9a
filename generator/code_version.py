"""The running generator's identity: a hash of every file of the `generator` package, of
Python's version and of the versions of the libraries whose output reaches the site. Any change
to the code, wherever it lives, changes it: the cache store's keys hold it (cache.py), and so
does the record of the last build (site/last_build.py), so nothing made by older code is
ever taken for what this code would make."""

from __future__ import annotations

import hashlib
import os
import platform
from collections.abc import Iterable
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

# The package whose code decides what the site is made of.
PACKAGE_ROOT = Path(__file__).resolve().parent
# The libraries whose output ends up in the site, byte for byte.
LIBRARIES = (
    "babel",
    "cryptography",
    "jinja2",
    "jsonschema",
    "markdown",
    "markupsafe",
    "nh3",
    "pagefind-bin",
    "pillow",
    "pyld",
    "pyyaml",
    "xstatic-leaflet",
    "zxing-cpp",
)


def fingerprint_of(package: Path, libraries: Iterable[str] = LIBRARIES) -> str:
    """A hash of Python's and the libraries' versions and of every file of the package."""
    # Every file, not only .py: the data it ships (JSON-LD contexts, schemas) decides too.
    digest = hashlib.sha256(f"python {platform.python_version()}\0".encode())
    for library in libraries:
        try:
            digest.update(f"{library} {version(library)}\0".encode())
        except PackageNotFoundError:
            digest.update(f"{library} absent\0".encode())
    for folder, subfolders, files in os.walk(package):  # symbolic links not followed
        subfolders[:] = sorted(name for name in subfolders if name != "__pycache__")
        for name in sorted(files):
            path = Path(folder, name)
            relative = path.relative_to(package).as_posix()
            digest.update(relative.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


@cache
def code_fingerprint() -> str:
    """The fingerprint of the running generator (read once: the code loaded is what runs)."""
    return fingerprint_of(PACKAGE_ROOT)

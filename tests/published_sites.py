"""The sites whose every published document the standards' checks read, and that every test
which only reads a built example network shares: the example network, built once per test
run (by the first worker that needs it when the tests run in parallel), and each golden site's expected
output (which tests/test_golden.py keeps equal to a fresh build of it). A test that changes
a site works on a copy; a test that changes a shared one fails the session."""

from __future__ import annotations

import functools
import shutil
import threading
from collections.abc import Callable, Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from generator.cache import cache_folder
from generator.site.build import build

from .conftest import made_once

ROOT = Path(__file__).resolve().parent.parent
SITES = Path(__file__).resolve().parent / "sites"
GOLDEN = ("minimal", "signed")
EXAMPLE_PREFIX = "open-badges"  # the path of the example's base_url, as on GitHub Pages


def _listing(root: Path) -> dict[str, tuple[int, int]]:
    """Every file under root: path -> (size, modification time)."""
    return {
        path.relative_to(root).as_posix(): (path.stat().st_size, path.stat().st_mtime_ns)
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def _example_store(folder: Path) -> Path:
    """The folder of the cache store of the example built in folder."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FABABREST_CACHE_DIR", str(folder / "cache"))
        return cache_folder(ROOT)


def _build_example(folder: Path) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # conftest.EPOCH, as every test build
        patch.setenv("FABABREST_CACHE_DIR", str(folder / "cache"))
        build(ROOT, folder / "site")


@pytest.fixture(scope="session")
def example_build(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    """The example network of the repository, built (reproducibly, cache store of its own)
    once for the whole run, all workers together: the site, which tests only read, and the
    folder of the cache store the build filled."""
    folder = made_once(tmp_path_factory, "example", _build_example)
    out, store = folder / "site", _example_store(folder)
    built = _listing(out)
    yield out, store
    assert _listing(out) == built, "a test changed the shared example site: work on a copy"


@pytest.fixture(scope="session")
def example_site(example_build: tuple[Path, Path]) -> Path:
    """The example network of the repository, built once; tests only read it."""
    return example_build[0]


@pytest.fixture
def example_cache(example_build: tuple[Path, Path]) -> Callable[[Path], Path]:
    """A function that gives a copy of the example network, at the path it is given, the
    cache store that the session's build of the example filled (in the test's own cache
    folder), and returns that path.

    The badge and share images, compiled templates, QR codes and verified signatures of the
    example are the same in every copy (the store keys each by its inputs and the code);
    drawing and verifying them again in each test that checks a copy is what repeats, not
    what the test checks. Tests about the cache itself start from an empty store."""

    def warm(source: Path) -> Path:
        shutil.copytree(example_build[1], cache_folder(source))
        return source

    return warm


@pytest.fixture(scope="session")
def published_sites(example_site: Path) -> dict[str, Path]:
    """name -> built site: the example and every golden site."""
    return {"example": example_site, **{name: SITES / name / "expected" for name in GOLDEN}}


class QuietHandler(SimpleHTTPRequestHandler):
    """Serve files without logging every request to stderr."""

    timeout = 10  # seconds: a stuck connection cannot hold a thread for ever

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def served(example_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The example network served on 127.0.0.1 under /open-badges/, as on GitHub Pages: the
    server's URL."""
    root = tmp_path_factory.mktemp("served")
    (root / EXAMPLE_PREFIX).symlink_to(example_site, target_is_directory=True)
    handler = functools.partial(QuietHandler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)

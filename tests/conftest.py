"""Shared test helpers: building sites into temporary folders, writing tiny sites inline."""

from __future__ import annotations

import fcntl
import itertools
import os
import shutil
import sys
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest

from generator.site.load.repository import SOURCE_FOLDERS

# The signed-network fixtures (`signed`, `network`) shared by the credential tests, and the
# built sites (`example_site`, `published_sites`) that the standards' checks read.
pytest_plugins = ["tests.credential_fixtures", "tests.published_sites"]

# The tests start the tool hundreds of times (build.py, serve, the benchmark) as a person's
# machine runs it: Python keeps what it compiles in __pycache__/ (git ignores it), unless the
# environment turns that off, as some CI images do; compiling the generator again for every
# process the tests start cost minutes of the test command.
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
sys.dont_write_bytecode = False

ROOT = Path(__file__).resolve().parent.parent
SITES = Path(__file__).resolve().parent / "sites"
EPOCH = "1767225600"  # 2026-01-01T00:00:00Z: builds in tests are reproducible
# The modules that take longest (tens of seconds on two cores, `--durations`), longest first:
# they start first, so that the workers end together rather than one of them finishing a
# long module alone at the end (pytest-xdist hands out the work in the order of the tests,
# `--no-loadscope-reorder` in pyproject.toml).
LONGEST_FIRST = (
    "tests/test_xss_corpus.py",
    "tests/test_page_layout.py",
    "tests/test_benchmark.py",
    "tests/test_print.py",
    "tests/test_browser.py",
    "tests/test_hostile_images.py",
    "tests/test_parallel_build.py",
    "tests/test_privacy_encodings.py",
    "tests/test_map_browser.py",
    "tests/test_menu_and_tables.py",
    "tests/test_interop.py",
)


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """`-n auto` (pyproject.toml): one worker per core, and one more. A test spends part of
    its time waiting (for Chromium to load a page, for Java's checker, for a build it
    started, for a lock another process holds): the extra worker runs a test meanwhile,
    instead of leaving a core idle (measured in README's Development section)."""
    return len(os.sched_getaffinity(0)) + 1 if hasattr(os, "sched_getaffinity") else 3


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Keep a module's tests on one worker when they share a fixture built once per module
    (a built site, a browser's run): pytest-xdist runs the other tests one by one on
    whichever worker is free (`--dist loadgroup`, pyproject.toml). The longest modules come
    first (LONGEST_FIRST), each module's tests in their order."""
    for item in items:
        info = getattr(item, "_fixtureinfo", None)
        definitions = info.name2fixturedefs.values() if info is not None else ()
        if any(d[-1].scope in ("module", "class", "package") for d in definitions if d):
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::", 1)[0]))
    rank = {module: number for number, module in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::", 1)[0], len(rank)))


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Fail, rather than run slowly, a test that pytest-xdist did not group: it marks a
    grouped test by adding `@group` to its name, which pytest 9.2 no longer lets it do
    (pytest-xdist issue 1386; pyproject.toml holds pytest below 9.2 until it is fixed)."""
    grouped = item.get_closest_marker("xdist_group") is not None
    if grouped and getattr(item.config.option, "loadgroup", False) and "@" not in item.nodeid:
        pytest.fail(
            "pytest-xdist ignored this test's group: with this version of pytest, `--dist "
            "loadgroup` runs every test on its own; keep pytest below 9.2 (pyproject.toml)"
        )


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print the summaries that tests recorded (`("summary", text)` in their
    user_properties), such as the XSS corpus's table: a test's own output is not shown when
    it runs in a worker process."""
    for report in terminalreporter.getreports("passed"):
        for name, text in report.user_properties:
            if name == "summary":
                terminalreporter.write_line(f"\n{text}")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite tests/sites/*/expected from the current build (review the diff like code)",
    )
    parser.addoption(
        "--screenshots",
        action="store_true",
        help="keep a screenshot of every kind of page's first screen, at each size, in "
        "tests/browser/screenshots/after/, to look at after a change of the theme",
    )


@pytest.fixture(scope="session", autouse=True)
def _session_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """What fixtures shared by several tests build (before each test's own setting below)
    keeps its cache in a folder of the session, never the user's."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FABABREST_CACHE_DIR", str(tmp_path_factory.mktemp("session-cache")))
        yield


@pytest.fixture(autouse=True)
def _reproducible(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    # Each test's builds keep their cache in a folder of their own, never the user's, which
    # the first build that saves makes (a numbered folder made by mktemp for each test cost
    # a listing of the session's whole folder each time: seconds over the run).
    caches = tmp_path_factory.getbasetemp() / "caches"
    monkeypatch.setenv("FABABREST_CACHE_DIR", str(caches / str(next(_CACHES))))


_CACHES = itertools.count()


def forget_earlier_builds() -> None:
    """What earlier builds in this process made is forgotten, as in a new process: what
    follows sees what the cache store alone gives, and makes the rest itself
    (generator/process_memory.py, the theme's environments)."""
    from generator.process_memory import MADE
    from generator.site.render import theme

    MADE.forget()
    theme.forget_environments()


@pytest.fixture
def a_new_process() -> None:
    """The test starts as in a new process (forget_earlier_builds)."""
    forget_earlier_builds()


def made_once(factory: pytest.TempPathFactory, name: str, make: Callable[[Path], None]) -> Path:
    """A folder of this test run that make(folder) filled, once for all the workers: each
    pytest-xdist worker has a temporary folder of its own inside the run's; the first worker
    to ask makes it there while the others wait for it (a lock file), then all read it."""
    root = factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent
    folder, done = root / name, root / f"{name}.done"
    with (root / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)  # a worker that failed to make it
            folder.mkdir()
            make(folder)
            done.touch()
    return folder


def copy_site(name: str, target: Path) -> Path:
    """A copy of a test site's content (without its expected output) in target."""
    shutil.copytree(SITES / name, target, ignore=shutil.ignore_patterns("expected"))
    return target


def copy_example(target: Path, folders: tuple[str, ...] = SOURCE_FOLDERS) -> Path:
    """A copy of the example network's folders in target, with the CODEOWNERS made from its
    maintainers (which check compares with them)."""
    for folder in folders:
        shutil.copytree(ROOT / folder, target / folder)
    (target / ".github").mkdir(parents=True)
    shutil.copyfile(ROOT / ".github" / "CODEOWNERS", target / ".github" / "CODEOWNERS")
    return target


def write_files(root: Path, files: Mapping[str, str | bytes]) -> Path:
    """Write a dict of path -> text into root (Hugo's txtar, MkDocs' tempdir(files=...))."""
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, "utf-8")
    return root


@pytest.fixture
def minimal_site(tmp_path: Path) -> Callable[..., Path]:
    """A factory: the minimal test site, with some files replaced or removed."""

    def make(files: Mapping[str, str | bytes | None] | None = None) -> Path:
        root = copy_site("minimal", tmp_path / "site")
        for name, content in (files or {}).items():
            if content is None:
                (root / name).unlink()
            else:
                write_files(root, {name: content})
        return root

    return make

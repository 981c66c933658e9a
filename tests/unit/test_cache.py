"""The cache store: what is saved is found again, by the same code only; a damaged, foreign or
busy file is never a crash nor a false hit; a disabled store remembers nothing."""

from __future__ import annotations

import multiprocessing
import shutil
import sqlite3
import threading
from pathlib import Path

import pytest

from generator import cache, code_version
from generator.cache import Namespace, Store, entry_key, open_store
from generator.code_version import fingerprint_of


def _as_stored(value: bytes) -> bytes:
    return value


# Namespaces of the tests' own, whose values are any bytes.
THINGS = Namespace("things", "test values", _as_stored)
OTHER_THINGS = Namespace("other things", "test values", _as_stored)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "cache" / cache.FILE_NAME


def saved(path: Path, entries: dict[str, bytes], namespace: Namespace[bytes] = THINGS) -> None:
    with Store(path) as store:
        for key, value in entries.items():
            store.put(namespace, key, value)


def test_saved_entries_are_found_by_the_next_store(path: Path) -> None:
    saved(path, {"a": b"1", "b": b""})
    later = Store(path)
    assert later.get(THINGS, "a") == b"1"
    assert later.get(THINGS, "b") == b"", "an empty value is an entry"
    assert later.get(THINGS, "c") is None
    assert later.get(OTHER_THINGS, "a") is None, "namespaces are apart"


def test_entries_are_kept_in_memory_until_saved(path: Path) -> None:
    store = Store(path)
    store.put(THINGS, "a", b"1")
    assert store.get(THINGS, "a") == b"1"
    assert not path.exists()
    store.save()
    assert Store(path).get(THINGS, "a") == b"1"


def test_a_deleted_entry_is_gone(path: Path) -> None:
    saved(path, {"a": b"1", "b": b"2"})
    with Store(path) as store:
        store.delete(THINGS, "a")
        assert store.get(THINGS, "a") is None
    later = Store(path)
    assert later.get(THINGS, "a") is None
    assert later.get(THINGS, "b") == b"2"


def test_a_store_saves_even_when_the_build_fails(path: Path) -> None:
    with pytest.raises(RuntimeError), Store(path) as store:
        store.put(THINGS, "a", b"verified before the error")
        raise RuntimeError("a build error")
    assert Store(path).get(THINGS, "a") == b"verified before the error"


def test_a_disabled_store_remembers_nothing(tmp_path: Path) -> None:
    store = open_store(tmp_path, enabled=False)
    assert not store.enabled
    store.put(THINGS, "a", b"1")
    assert store.get(THINGS, "a") is None
    store.save()
    assert list(tmp_path.iterdir()) == []


def test_the_repository_store_lives_in_its_cache_folder(tmp_path: Path) -> None:
    with open_store(tmp_path) as store:
        store.put(THINGS, "a", b"1")
    assert (cache.cache_folder(tmp_path) / cache.FILE_NAME).is_file()
    assert open_store(tmp_path).get(THINGS, "a") == b"1"


@pytest.mark.parametrize(
    "damage",
    [b"not a database", b"SQLite format 3\0" + b"\xff" * 5000, b""],
    ids=["text", "truncated", "empty"],
)
def test_a_damaged_file_is_an_empty_cache_then_made_again(path: Path, damage: bytes) -> None:
    saved(path, {"a": b"1"})
    path.write_bytes(damage)
    store = Store(path)
    assert store.get(THINGS, "a") is None
    store.put(THINGS, "a", b"recomputed")
    store.save()
    assert Store(path).get(THINGS, "a") == b"recomputed"


def test_a_foreign_database_is_an_empty_cache_then_replaced(path: Path) -> None:
    path.parent.mkdir(parents=True)
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE entries (namespace TEXT, key TEXT, value TEXT)")
        db.execute("INSERT INTO entries VALUES ('things', 'a', 'theirs')")
    db.close()
    store = Store(path)
    assert store.get(THINGS, "a") is None
    store.put(THINGS, "a", b"ours")
    store.save()
    assert Store(path).get(THINGS, "a") == b"ours"


def test_an_unwritable_cache_folder_is_no_failure(tmp_path: Path) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the folder should be", "utf-8")
    with Store(blocker / cache.FILE_NAME) as store:
        store.put(THINGS, "a", b"1")
    assert store.get(THINGS, "a") == b"1"


def test_two_stores_writing_at_once_both_save(path: Path) -> None:
    saved(path, {"start": b""})
    errors: list[BaseException] = []

    def build(name: Namespace[bytes]) -> None:
        try:
            for round_ in range(20):
                with Store(path) as store:
                    store.get(THINGS, "start")
                    for index in range(200):
                        store.put(name, f"{round_}-{index}", b"x" * 1000)
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)

    spaces = [Namespace(name, "test values", _as_stored) for name in ("one", "two")]
    builds = [threading.Thread(target=build, args=(space,)) for space in spaces]
    for thread in builds:
        thread.start()
    for thread in builds:
        thread.join()
    assert errors == []
    later = Store(path)
    for name in spaces:
        assert later.get(name, "19-199") == b"x" * 1000
        assert later.get(name, "0-0") == b"x" * 1000


def test_a_forked_worker_never_writes(path: Path) -> None:
    store = Store(path)
    store.load(THINGS)  # read before forking, as the build does

    def worker() -> None:
        store.put(THINGS, "a", b"from a worker")
        store.save()

    process = multiprocessing.get_context("fork").Process(target=worker)
    process.start()
    process.join()
    assert process.exitcode == 0
    assert not path.exists(), "the build saves what its workers send back"


def test_entries_of_other_code_are_not_found_and_are_dropped(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    saved(path, {"a": b"1"})
    monkeypatch.setattr(cache, "code_fingerprint", lambda: "the code, edited")
    assert Store(path).get(THINGS, "a") is None, "even under the same key"
    saved(path, {"b": b"2"})
    with sqlite3.connect(path) as db:
        codes = db.execute("SELECT DISTINCT code FROM entries").fetchall()
    db.close()
    assert codes == [("the code, edited",)]


# Keys


def test_keys_depend_on_the_namespace_and_every_input() -> None:
    key = entry_key(THINGS, "a", b"b")
    assert key == entry_key(THINGS, "a", b"b")
    assert key != entry_key(OTHER_THINGS, "a", b"b")
    assert key != entry_key(THINGS, "a", b"c")
    assert key != entry_key(THINGS, "ab", b""), "inputs are not merely joined"
    assert key != entry_key(THINGS, "a")


def test_keys_change_with_the_code(monkeypatch: pytest.MonkeyPatch) -> None:
    before = entry_key(THINGS, "a")
    monkeypatch.setattr(cache, "code_fingerprint", lambda: "the code, edited")
    assert entry_key(THINGS, "a") != before


@pytest.fixture
def package(tmp_path: Path) -> Path:
    """A copy of the generator package."""
    copy = tmp_path / "generator"
    shutil.copytree(code_version.PACKAGE_ROOT, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def test_the_fingerprint_is_that_of_the_running_package(package: Path) -> None:
    assert fingerprint_of(package) == code_version.code_fingerprint()


@pytest.mark.parametrize(
    "edited",
    [
        "cache.py",
        "openbadges/dataintegrity.py",
        "openbadges/contexts/www.w3.org_ns_credentials_v2.jsonld",
        "schemas/badge.schema.json",
        "drawing/badge.py",
        "site/render/sharing.py",
        "site/render/theme.py",
    ],
)
def test_any_file_of_the_package_changes_the_fingerprint(package: Path, edited: str) -> None:
    before = fingerprint_of(package)
    file = package / edited
    assert file.is_file(), f"{edited} moved: name another file"
    file.write_bytes(file.read_bytes() + b"\n")
    assert fingerprint_of(package) != before


def test_moved_code_changes_the_fingerprint(package: Path) -> None:
    before = fingerprint_of(package)
    (package / "site" / "render" / "sharing.py").rename(package / "site" / "sharing.py")
    assert fingerprint_of(package) != before


def test_a_new_module_changes_the_fingerprint(package: Path) -> None:
    before = fingerprint_of(package)
    (package / "site" / "new_stage.py").write_text("VALUE = 1\n", "utf-8")
    assert fingerprint_of(package) != before


def test_compiled_files_do_not_change_the_fingerprint(package: Path) -> None:
    before = fingerprint_of(package)
    (package / "site" / "__pycache__").mkdir()
    (package / "site" / "__pycache__" / "build.cpython-311.pyc").write_bytes(b"compiled")
    assert fingerprint_of(package) == before


def test_library_versions_change_the_fingerprint(package: Path) -> None:
    assert fingerprint_of(package, ["jinja2"]) != fingerprint_of(package, ["pillow"])
    assert fingerprint_of(package, ["jinja2"]) != fingerprint_of(package, [])

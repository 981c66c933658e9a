"""The write stage: whole sites swapped into place, never a half-written one."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from generator import parallel
from generator.site.model.output import Output
from generator.site.write import writer as write
from generator.site.write.output_folder import SiteNotWritten
from generator.site.write.writer import Fanout, OutputError, check_outputs, write_site

SITE = [
    Output("index.html", b"<h1>Accueil</h1>"),
    Output("badges/laser/index.html", b"<h1>Laser</h1>"),
    Output("badges/laser/achievement.json", b"{}"),
    Output(".nojekyll", b""),
]


def _files(root: Path) -> dict[str, bytes]:
    """The files of a folder, but the marker every site gets (tested on its own below)."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and path.name != write.MARKER
    }


def _previous_site(out: Path) -> dict[str, bytes]:
    out.mkdir()
    (out / "old").mkdir()
    (out / "old" / "page.html").write_bytes(b"old page")
    (out / "index.html").write_bytes(b"last good build")
    return _files(out)


def _siblings(out: Path) -> list[str]:
    return sorted(path.name for path in out.parent.iterdir())


def test_creates_the_output_folder_and_its_parents(tmp_path: Path) -> None:
    out = tmp_path / "deep" / "_site"
    write_site(SITE, out)
    assert _files(out) == {output.path: output.data for output in SITE}
    assert _siblings(out) == ["_site"]


def test_replaces_an_existing_output_whole(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    _previous_site(out)
    write_site(SITE, out)
    assert _files(out) == {output.path: output.data for output in SITE}
    assert not (out / "old").exists()
    assert _siblings(out) == ["_site"]


def test_output_folder_is_world_readable(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    write_site(SITE, out)
    assert out.stat().st_mode & 0o777 == 0o755


def test_an_empty_site_is_written(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    write_site([], out)
    assert out.is_dir()
    assert _files(out) == {}


@pytest.mark.parametrize(
    ("outputs", "message"),
    [
        pytest.param(
            [*SITE, Output("index.html", b"again")],
            "output path 'index.html' is written twice",
            id="duplicate",
        ),
        pytest.param(
            [*SITE, Output("../x", b"x")],
            "output path '../x' escapes the output folder",
            id="parent",
        ),
        pytest.param(
            [*SITE, Output("badges/../../x", b"x")],
            "output path 'badges/../../x' escapes the output folder",
            id="nested-parent",
        ),
        pytest.param(
            [*SITE, Output("/abs", b"x")],
            "output path '/abs' escapes the output folder",
            id="absolute",
        ),
        pytest.param(
            [*SITE, Output("", b"x")], "output path '' escapes the output folder", id="empty"
        ),
    ],
)
def test_bad_paths_are_refused_before_touching_the_output(
    tmp_path: Path, outputs: list[Output], message: str
) -> None:
    out = tmp_path / "_site"
    previous = _previous_site(out)
    with pytest.raises(OutputError) as refused:
        write_site(outputs, out)
    assert str(refused.value) == message
    assert _files(out) == previous
    assert _siblings(out) == ["_site"]
    assert not (tmp_path / "x").exists()


@pytest.mark.parametrize(
    ("path", "normal"),
    [
        ("index.html", "index.html"), (".nojekyll", ".nojekyll"), ("a/b.c", "a/b.c"),
        ("a..b/c", "a..b/c"), ("a/..b", "a/..b"), ("a/.b", "a/.b"), ("...", "..."),
        ("a/.../b", "a/.../b"), (" /a", " /a"), ("./a", "a"), ("a/./b", "a/b"),
        ("a//b", "a/b"), ("a/", "a"), ("a/.", "a"),
        (".", None), ("", None), ("/a", None), ("//a", None), ("a/../b", None), ("..", None),
        ("a/..", None),
    ],
)  # fmt: skip
def test_output_path_is_normalised_or_refused(path: str, normal: str | None) -> None:
    if normal is None:
        with pytest.raises(OutputError, match="escapes the output folder"):
            write.output_path(path)
    else:
        assert write.output_path(path) == normal


def test_check_outputs_keeps_valid_outputs_in_order() -> None:
    assert list(check_outputs(iter(SITE))) == SITE


def test_failure_mid_write_keeps_the_previous_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "_site"
    previous = _previous_site(out)
    written: list[Path] = []
    real_place = write._place

    def failing_place(old: str, data: bytes, target: str) -> None:
        if len(written) == 2:
            raise OSError(28, "No space left on device")
        written.append(Path(target))
        real_place(old, data, target)

    monkeypatch.setattr(write, "_place", failing_place)
    with pytest.raises(
        SiteNotWritten, match="No space left on device; the previous site is unchanged"
    ):
        write_site(SITE, out)
    monkeypatch.undo()
    assert len(written) == 2, "the failure must happen after some files were written"
    assert all(not path.is_relative_to(out) for path in written)
    assert _files(out) == previous
    assert _siblings(out) == ["_site"]


def test_failure_mid_write_without_previous_output_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "_site"
    calls = 0
    real_place = write._place

    def failing_place(old: str, data: bytes, target: str) -> None:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise OSError(5, "Input/output error")
        real_place(old, data, target)

    monkeypatch.setattr(write, "_place", failing_place)
    with pytest.raises(SiteNotWritten, match="Input/output error"):
        write_site(SITE, out)
    monkeypatch.undo()
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_interrupted_write_keeps_the_previous_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "_site"
    previous = _previous_site(out)
    real_place = write._place

    def interrupted(old: str, data: bytes, target: str) -> None:
        if target.endswith("/achievement.json"):
            raise KeyboardInterrupt
        real_place(old, data, target)

    monkeypatch.setattr(write, "_place", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_site(SITE, out)
    monkeypatch.undo()
    assert _files(out) == previous
    assert _siblings(out) == ["_site"]


def test_failure_while_swapping_restores_the_previous_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where the system cannot exchange two folders: the second of the two renames fails."""
    out = tmp_path / "_site"
    previous = _previous_site(out)
    real_rename = Path.rename
    monkeypatch.setattr(write, "exchange", lambda first, second: False)

    def failing_rename(self: Path, target: str | Path) -> Path:
        if Path(target) == out and self.name.startswith("._site.new-"):
            raise OSError(16, "Device or resource busy")
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", failing_rename)
    with pytest.raises(SiteNotWritten, match="busy"):
        write_site(SITE, out)
    monkeypatch.undo()
    assert _files(out) == previous
    assert _siblings(out) == ["_site"]


def test_a_failed_exchange_leaves_the_previous_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "_site"
    previous = _previous_site(out)

    def failing_exchange(first: Path, second: Path) -> bool:
        raise OSError(16, "Device or resource busy")

    monkeypatch.setattr(write, "exchange", failing_exchange)
    with pytest.raises(SiteNotWritten, match="busy"):
        write_site(SITE, out)
    assert _files(out) == previous
    assert _siblings(out) == ["_site"]


@pytest.mark.parametrize("same_file", ["badges//laser/index.html", "./badges/laser/index.html"])
def test_duplicate_paths_spelled_differently_are_refused(tmp_path: Path, same_file: str) -> None:
    with pytest.raises(OutputError, match="written twice"):
        write_site([*SITE, Output(same_file, b"again")], tmp_path / "_site")


def test_unchanged_files_are_not_rewritten(tmp_path: Path) -> None:
    """An unchanged file keeps its inode and mtime across builds; a changed one is new."""
    out = tmp_path / "site"
    write_site([Output("same.html", b"same"), Output("changes.html", b"one")], out)
    same, changes = (out / "same.html").stat(), (out / "changes.html").stat()
    write_site([Output("same.html", b"same"), Output("changes.html", b"two")], out)
    assert (out / "same.html").stat().st_ino == same.st_ino
    assert (out / "same.html").stat().st_mtime_ns == same.st_mtime_ns
    assert (out / "changes.html").read_bytes() == b"two"
    assert (out / "changes.html").stat().st_ino != changes.st_ino
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def _two_of_each(chunk: Sequence[str]) -> list[Output]:
    return [Output(f"awards/{name}.html", name.encode()) for name in chunk]


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_fanout_is_written_with_the_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: str
) -> None:
    monkeypatch.setenv(parallel.JOBS_VARIABLE, workers)
    monkeypatch.setattr(parallel, "MIN_PARALLEL_ITEMS", 1)
    out = tmp_path / "_site"
    names = [f"a{number}" for number in range(9)]
    report = write_site(
        SITE,
        out,
        fanout=Fanout(names, _two_of_each, chunk_size=2),
        inspect=lambda output: ("seen",) if output.path.endswith("a3.html") else (),
    )
    assert report.files == len(SITE) + 9 + 1  # and the marker
    assert report.found == {"awards/a3.html": ("seen",)}
    assert _files(out) == {
        **{output.path: output.data for output in SITE},
        **{f"awards/{name}.html": name.encode() for name in names},
    }


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_path_written_twice_by_workers_is_refused_before_the_swap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: str
) -> None:
    monkeypatch.setenv(parallel.JOBS_VARIABLE, workers)
    monkeypatch.setattr(parallel, "MIN_PARALLEL_ITEMS", 1)
    out = tmp_path / "_site"
    previous = _previous_site(out)
    with pytest.raises(OutputError, match="written twice"):
        write_site(SITE, out, fanout=Fanout(["a1", "a2", "a1", "a3"], _two_of_each, chunk_size=1))
    assert _files(out) == previous
    assert _siblings(out) == ["_site"]


def test_a_fanout_path_that_is_also_a_shared_output_is_refused(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="written twice"):
        write_site(
            [Output("awards/a1.html", b"shared")],
            tmp_path / "_site",
            fanout=Fanout(["a1"], _two_of_each),
        )

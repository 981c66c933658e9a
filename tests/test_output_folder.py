"""`build --out DIR` writes only into a folder that is new, empty, or an earlier site of ours:
never the repository, its sources, a folder of other files, or a file (nothing is changed)."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.cli.commands import main
from generator.site.output_folder import MARKER


def build(source: Path, out: Path | str) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(["build", "--source", str(source), "--out", str(out), "--no-cache"])
    return code, err.getvalue()


def tree(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


@pytest.mark.parametrize(
    ("out", "why"),
    [
        (".", "is /"),
        ("content", "is /"),
        ("badges", "is /"),
        ("theme", "is /"),
        ("content/site", "is inside"),
        ("..", "holds"),
        ("notes.txt", "is a file"),
        ("keys", "is not empty and holds no site built by this tool"),
    ],
)
def test_a_folder_that_is_not_ours_is_refused_and_left_as_it_was(
    minimal_site: Callable[..., Path], out: str, why: str
) -> None:
    source = minimal_site(
        {"notes.txt": "mes notes\n", "keys/atelier.pem": "-----BEGIN PRIVATE KEY-----\n"}
    )
    before = tree(source.parent)
    code, err = build(source, source / out)
    assert code == 1
    assert err.startswith("error: cannot write the site there: ")
    assert why in err and err.rstrip().endswith("nothing was changed")
    assert "Traceback" not in err
    assert tree(source.parent) == before


def test_a_new_an_empty_and_an_earlier_output_are_written(
    minimal_site: Callable[..., Path], tmp_path: Path
) -> None:
    source = minimal_site()
    (tmp_path / "empty").mkdir()
    for out in (tmp_path / "new" / "site", tmp_path / "empty", source / "_site"):
        assert build(source, out)[0] == 0
        assert (out / MARKER).is_file() and (out / "index.html").is_file()
        (out / "index.html").write_text("stale", "utf-8")
        assert build(source, out)[0] == 0  # its own earlier site: replaced
        assert (out / "index.html").read_text("utf-8") != "stale"


def test_a_folder_the_system_refuses_is_a_message(minimal_site: Callable[..., Path]) -> None:
    source = minimal_site()
    code, err = build(source, "/proc/fababrest-test/site")  # nothing can be made under /proc
    assert code == 1
    assert err.startswith("error: cannot write the site to /proc/fababrest-test/site: ")
    assert err.rstrip().endswith("the previous site is unchanged")
    assert "Traceback" not in err

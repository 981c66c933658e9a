"""`build --out DIR` writes only into a folder that is new, empty, or an earlier site of ours:
never the repository, its sources, a folder of other files, or a file (nothing is changed)."""

from __future__ import annotations

import contextlib
import errno
import io
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.cli.commands import main
from generator.site.write import writer as write
from generator.site.write.output_folder import MARKER


def build(source: Path, out: Path | str) -> tuple[int, str]:
    """`build`, with the test's own cache store (tests/conftest.py): its share images and
    compiled templates are made once, not at every build."""
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(["build", "--source", str(source), "--out", str(out)])
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


def _fail(code: int) -> Callable[..., None]:
    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(code, os.strerror(code))

    return fail


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EDQUOT])
@pytest.mark.parametrize("where", ["_create", "exchange", "mkdtemp"])
def test_every_refusal_of_the_system_is_a_message_and_the_site_stays(
    minimal_site: Callable[..., Path], monkeypatch: pytest.MonkeyPatch, code: int, where: str
) -> None:
    """A full disk, a read-only file system, no permission, no quota: wherever the write
    fails (a file of the new site, making its folder, the swap), the same message, and the
    previous site as it was. (Tests run as root, whom permissions do not stop: the system's
    refusals are simulated where the writer meets them.)"""
    source = minimal_site()
    out = source / "_site"
    assert build(source, out)[0] == 0
    before = tree(out)
    (source / "content" / "pages" / "index.md").write_text(
        "---\ntitle: Autre\n---\nAutre texte.\n", "utf-8"
    )
    target = write.tempfile if where == "mkdtemp" else write
    monkeypatch.setattr(target, where, _fail(code))
    code_, err = build(source, out)
    assert code_ == 1 and "Traceback" not in err
    assert err == (
        f"error: cannot write the site to {out}: {os.strerror(code)}; the previous site is "
        "unchanged\n"
    )
    assert tree(out) == before
    assert not [p for p in source.iterdir() if p.name.startswith("._site.") and p.is_dir()]

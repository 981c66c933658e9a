"""Inputs come from the repository only: a file that links out of it (to /etc/passwd, to
/dev/zero) or that is no regular file (a FIFO would hang the build) is a located error, never
read; the build goes on to report every other problem."""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.cli.commands import main


def check(source: Path) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(["check", "--source", str(source), "--no-cache"])
    return code, err.getvalue()


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        ("content/pages/secrets.md", lambda path: path.symlink_to("/etc/passwd"),
         "is a link to a file outside the repository"),
        ("content/pages/zero.md", lambda path: path.symlink_to("/dev/zero"),
         "is a link to a file outside the repository"),
        ("content/pages/pipe.md", lambda path: os.mkfifo(path),
         "is not a regular file"),
        ("content/issuers/pipe.yaml", lambda path: os.mkfifo(path),
         "is not a regular file"),
    ],
    ids=["passwd", "dev-zero", "fifo-page", "fifo-issuer"],
)  # fmt: skip
def test_a_file_from_outside_or_not_a_file_is_refused(
    minimal_site: Callable[..., Path], name: str, make: Callable[[Path], None], message: str
) -> None:
    source = minimal_site()
    make(source / name)
    code, err = check(source)
    assert code == 1
    assert f"{name}: error: {message}" in err
    assert "root:" not in err and "Traceback" not in err


def test_a_link_inside_the_repository_is_read(minimal_site: Callable[..., Path]) -> None:
    source = minimal_site()
    (source / "content" / "pages" / "copie.md").symlink_to(source / "content" / "pages" / "index.md")
    assert check(source)[0] == 0


@pytest.mark.parametrize(
    "make",
    [lambda path: path.symlink_to("/etc/passwd"), lambda path: os.mkfifo(path)],
    ids=["link-out", "fifo"],
)
def test_the_theme_static_folder_holds_only_its_own_files(
    minimal_site: Callable[..., Path], make: Callable[[Path], None]
) -> None:
    source = minimal_site()
    static = source / "theme" / "static"
    if not static.is_dir():
        import shutil

        from .conftest import ROOT

        shutil.copytree(ROOT / "theme", source / "theme")
    make(static / "passwd.txt")
    code, err = check(source)
    assert code == 1
    assert "theme/static/passwd.txt: error: " in err
    assert "root:" not in err and "Traceback" not in err

"""Inputs come from the repository only: a file that links out of it (to /etc/passwd, to
/dev/zero) or that is no regular file (a FIFO would hang the build) is a located error, never
read; the build goes on to report every other problem."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import signal
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from generator.cli.commands import main

from .agreement import same_verdict
from .conftest import ROOT
from .credential_fixtures import Run


def check(source: Path) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(["check", "--source", str(source)])
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
    same_verdict(source, source.parent / "out")


def test_a_link_inside_the_repository_is_read(minimal_site: Callable[..., Path]) -> None:
    source = minimal_site()
    (source / "content" / "pages" / "copie.md").symlink_to(
        source / "content" / "pages" / "index.md"
    )
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
        shutil.copytree(ROOT / "theme", source / "theme")
    make(static / "passwd.txt")
    code, err = check(source)
    assert code == 1
    assert "theme/static/passwd.txt: error: " in err
    assert "root:" not in err and "Traceback" not in err


def with_theme(source: Path) -> Path:
    """The site with a theme of its own (a copy of the shipped one)."""
    if not (source / "theme").is_dir():
        shutil.copytree(ROOT / "theme", source / "theme")
    return source / "theme"


def outside_copy(theme: Path, folder: str, tmp_path: Path) -> Path:
    """A copy of one of the theme's folders outside the repository."""
    return Path(shutil.copytree(theme / folder, tmp_path / "elsewhere" / folder))


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        ("theme/templates/404.html",
         lambda theme, tmp: (theme / "templates/404.html").unlink()
         or (theme / "templates/404.html").symlink_to("/etc/passwd"),
         "is a link to a file outside the repository"),
        ("theme/templates",
         lambda theme, tmp: (target := outside_copy(theme, "templates", tmp))
         and shutil.rmtree(theme / "templates") is None
         and (theme / "templates").symlink_to(target),
         "is a link to a folder outside the repository"),
        ("theme/templates/partials",
         lambda theme, tmp: (target := outside_copy(theme, "templates/partials", tmp))
         and shutil.rmtree(theme / "templates/partials") is None
         and (theme / "templates/partials").symlink_to(target),
         "is a link to a folder outside the repository"),
        ("theme/locale/en/LC_MESSAGES/messages.po",
         lambda theme, tmp: (theme / "locale/en/LC_MESSAGES/messages.po").unlink()
         or (theme / "locale/en/LC_MESSAGES/messages.po").symlink_to("/etc/passwd"),
         "is a link to a file outside the repository"),
        ("theme/templates/pipe.html",
         lambda theme, tmp: os.mkfifo(theme / "templates/pipe.html"),
         "is not a regular file"),
    ],
    ids=["template-passwd", "templates-folder", "partials-folder", "catalogue-passwd",
         "template-fifo"],
)  # fmt: skip
def test_the_theme_is_read_like_every_other_input(
    minimal_site: Callable[..., Path],
    tmp_path: Path,
    name: str,
    make: Callable[[Path, Path], object],
    message: str,
) -> None:
    """A theme file or folder linking out of the repository is never read, never published:
    check and build both refuse it in one located line."""
    source = minimal_site()
    make(with_theme(source), tmp_path)
    said = []
    for command in ("check", "build"):
        result = command_line(command, source, tmp_path / "out")
        assert result.code == 1, result.err
        errors = [line for line in result.err.splitlines() if ": error: " in line]
        assert len(errors) == 1 and errors[0].startswith(f"{name}: error: {message}"), errors
        assert "root:" not in result.err and "Traceback" not in result.err
        said.append(errors)
    assert said[0] == said[1]
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        ("content/pages/pipe.md", os.mkfifo, "is not a regular file"),
        ("theme/static/pipe.css", os.mkfifo, "is not a regular file"),
        ("content/pages/zero.md", lambda path: path.symlink_to("/dev/zero"),
         "is a link to a file outside the repository"),
    ],
    ids=["fifo-page", "fifo-static", "dev-zero-page"],
)  # fmt: skip
def test_a_cached_build_reads_through_the_same_reader(
    minimal_site: Callable[..., Path],
    tmp_path: Path,
    name: str,
    make: Callable[[Path], None],
    message: str,
) -> None:
    """The no-change shortcut describes the sources before anything is checked: a FIFO or a
    link to /dev/zero added after a good build is never opened there (it hung the build, or
    ended in a MemoryError); the build refuses it in one located line, and the last good
    site is untouched."""
    source = minimal_site()
    with_theme(source)
    out = tmp_path / "out"
    assert command_line("build", source, out).code == 0
    site = sorted(path.relative_to(out) for path in out.rglob("*"))
    make(source / name)
    result = command_line("build", source, out)  # with the cache, as a build runs by default
    assert result.code == 1, result.err
    errors = [line for line in result.err.splitlines() if ": error: " in line]
    assert len(errors) == 1 and errors[0].startswith(f"{name}: error: {message}")
    assert "Traceback" not in result.err
    assert sorted(path.relative_to(out) for path in out.rglob("*")) == site


@contextlib.contextmanager
def hang_limit(seconds: int) -> Iterator[None]:
    """Stop what runs in this (main) thread after so many seconds, with an exception: a read
    that blocks (a FIFO's open) is interrupted by the alarm (a limit on hangs, not a measure
    of speed)."""

    def stop(signal_number: int, frame: object) -> None:
        raise TimeoutError(f"still running after {seconds} s: it hangs")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def command_line(command: str, source: Path, out: Path) -> Run:
    """`build.py check|build` as the command line runs it, in this process, which a hang
    would stop (starting the tool in a process of its own cost a second a run)."""
    options = ["--out", str(out)] if command == "build" else []
    printed, err = io.StringIO(), io.StringIO()
    with hang_limit(120), contextlib.redirect_stdout(printed), contextlib.redirect_stderr(err):
        code = main([command, "--source", str(source), *options])
    return Run(code, printed.getvalue(), err.getvalue())

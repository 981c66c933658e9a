"""No moment without a site, one build at a time, and a damaged output is repaired.

A build killed at any moment (while writing, between the steps of the swap, while removing
the old site) leaves a whole site at the published path: the previous one or the new one.
What it left beside the folder is cleaned by the next build. Two builds into one folder
take turns; `serve` holds its folder. The no-change shortcut trusts only an output that is
still what the last build wrote.
"""

from __future__ import annotations

import contextlib
import io
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from generator.cache import cache_folder
from generator.cli.commands import main
from generator.site.write import writer as write
from generator.site.write.output_folder import output_folder_lock, recover_output_folder

from .conftest import EPOCH, ROOT, copy_site
from .credential_fixtures import snapshot


def _build_killed_at(kind: str, number: int, exchange: bool, argv: list[str]) -> int:
    """In a child process: build, killing the whole process group (the build and any worker)
    at the chosen moment. kind and number are "file N" (the Nth file the build creates or
    links) or "swap N" (the Nth rename or exchange of the swap), or "clean" (removing the old
    site); without exchange, the swap is two renames, as where the system cannot exchange."""
    count = 0

    def tick(what: str) -> None:
        nonlocal count
        if what == kind:
            count += 1
            if count == number:
                os.killpg(0, signal.SIGKILL)

    create, place = write._create, write._place

    def counted_create(target: Path, data: bytes) -> None:
        tick("file")
        create(target, data)

    def counted_place(old: Path, data: bytes, target: Path) -> None:
        tick("file")
        place(old, data, target)

    real_exchange = write.exchange

    def counted_exchange(a: Path, b: Path) -> bool:
        if not exchange:
            return False  # as where the system cannot: two renames
        tick("swap")
        done = real_exchange(a, b)
        tick("swap")
        return done

    real_rename = Path.rename

    def counted_rename(self: Path, target: Path) -> Path:
        tick("swap")
        result = real_rename(self, target)
        tick("swap")
        return result

    real_rmtree = shutil.rmtree

    def counted_rmtree(path: Path, *args: Any, **kwargs: Any) -> None:
        tick("clean")
        real_rmtree(path, *args, **kwargs)

    # The child's own copies of these modules: the test's process is not changed.
    write._create, write._place, write.exchange = counted_create, counted_place, counted_exchange
    Path.rename = counted_rename  # type: ignore[method-assign,assignment]
    write.shutil.rmtree = counted_rmtree  # type: ignore[assignment]
    return main(argv)


def build_command(source: Path, out: Path, *more: str) -> list[str]:
    return ["build", "--source", str(source), "--out", str(out), *more]


def run_build(source: Path, out: Path, *more: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "build.py", *build_command(source, out, *more)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


@dataclass(frozen=True)
class Built:
    """What a build run in this process returned and printed (as run_build's process)."""

    returncode: int
    stdout: str
    stderr: str


def build_here(source: Path, out: Path) -> Built:
    """Build in this process: for the builds whose own process is not what a test is about
    (starting Python and importing the generator for each cost most of this module's time)."""
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = main(build_command(source, out))
    return Built(code, stdout.getvalue(), stderr.getvalue())


def leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}.n"))


@pytest.fixture(scope="session")
def built_two_sites(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, Path, dict[str, bytes], dict[str, bytes]]:
    """A source whose site is built (the old site), then changed (the new site), once per
    session: the source (the old site in its _site/), the folder of its cache store, and the
    whole trees of both sites."""
    root = tmp_path_factory.mktemp("two-sites")
    source = copy_site("minimal", root / "site")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        patch.setenv("FABABREST_CACHE_DIR", str(root / "cache"))
        assert build_here(source, root / "old").returncode == 0
        page = source / "content" / "pages" / "index.md"
        page.write_text(page.read_text("utf-8") + "\nUne phrase de plus.\n", "utf-8")
        assert build_here(source, root / "new").returncode == 0
        store = cache_folder(source)
    old, new = snapshot(root / "old"), snapshot(root / "new")
    assert old != new
    shutil.copytree(root / "old", source / "_site")
    return source, store, old, new


@pytest.fixture
def two_sites(
    built_two_sites: tuple[Path, Path, dict[str, bytes], dict[str, bytes]], tmp_path: Path
) -> tuple[Path, dict[str, bytes], dict[str, bytes]]:
    """A copy of the session's source holding the old site, with a copy of its cache store
    (as after its two builds), that the test may change; and the trees of both sites."""
    built, store, old, new = built_two_sites
    source = Path(shutil.copytree(built, tmp_path / "site"))
    shutil.copytree(store, cache_folder(source))
    return source, old, new


def killed_build(source: Path, out: Path, moment: str, exchange: bool) -> None:
    """Build in a child process, forked from this one (which has the generator loaded), in a
    process group of its own that it kills whole at the moment."""
    kind, number = moment.split()
    with tempfile.TemporaryFile("w+", encoding="utf-8") as output:  # what the child printed
        child = os.fork()
        if child == 0:  # the child: it is killed, or it ends here, never returns
            code = 70
            try:
                os.setsid()
                with contextlib.redirect_stdout(output), contextlib.redirect_stderr(output):
                    code = _build_killed_at(kind, int(number), exchange, build_command(source, out))
            except BaseException:
                traceback.print_exc(file=output)
            finally:
                output.flush()
                os._exit(code)
        _, status = os.waitpid(child, 0)
        returncode = -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
        output.seek(0)
        assert returncode in (-signal.SIGKILL, 0), output.read()


# The moments: before and after each step of the swap (an exchange: swap 1 and 2; two renames:
# swap 1 to 4), removing the old site, and files written at random (the site has about 70).
MOMENTS = [
    "swap 1",
    "swap 2",
    "swap 3",
    "swap 4",
    "clean 1",
    *(f"file {n}" for n in random.Random(13).sample(range(1, 70), 4)),
]


@pytest.mark.parametrize("moment", MOMENTS)
def test_a_build_killed_at_any_moment_leaves_a_whole_site_where_the_system_exchanges(
    two_sites: tuple[Path, dict[str, bytes], dict[str, bytes]], moment: str
) -> None:
    source, old, new = two_sites
    out = source / "_site"
    killed_build(source, out, moment, exchange=True)
    assert snapshot(out) in (old, new)  # at once: no moment without a site
    assert build_here(source, out).returncode == 0
    assert snapshot(out) == new
    assert leftovers(out) == []


@pytest.mark.parametrize("moment", MOMENTS)
def test_a_build_killed_between_two_renames_is_recovered_by_the_next(
    two_sites: tuple[Path, dict[str, bytes], dict[str, bytes]], moment: str
) -> None:
    """Where two folders cannot be exchanged in one step, the old site is renamed aside
    first; a kill right after leaves no folder, and the next build puts the old one back
    before anything else (even a build that then fails)."""
    source, old, new = two_sites
    out = source / "_site"
    killed_build(source, out, moment, exchange=False)
    if not out.exists():
        assert moment in ("swap 2", "swap 3")  # between the renames: the old site is aside
        with output_folder_lock(out, "build"):
            recover_output_folder(out)
    assert snapshot(out) in (old, new)
    assert build_here(source, out).returncode == 0
    assert snapshot(out) == new
    assert leftovers(out) == []


def test_a_site_set_aside_is_put_back_even_if_the_next_build_fails(
    two_sites: tuple[Path, dict[str, bytes], dict[str, bytes]],
) -> None:
    source, old, _ = two_sites
    out = source / "_site"
    out.rename(out.parent / "._site.old-abcd1234")
    (source / "content" / "site.yaml").write_text("base_url: [\n", "utf-8")
    result = build_here(source, out)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert snapshot(out) == old
    assert leftovers(out) == []


def test_what_interrupted_builds_left_is_removed_and_nothing_else(
    minimal_site: Callable[..., Path],
) -> None:
    source = minimal_site()
    out = source / "_site"
    for name in ("._site.new-abcd1234", "._site.old-efgh_678"):
        (source / name / "static").mkdir(parents=True)
    for name in ("._site.new-mine", ".other.new-abcd1234", "._site.new-abcd12345"):
        (source / name).mkdir()
    assert build_here(source, out).returncode == 0
    assert sorted(p.name for p in source.iterdir() if p.name.startswith(".")) == [
        "._site.lock",
        "._site.new-abcd12345",
        "._site.new-mine",
        ".github",  # the site's own (CODEOWNERS)
        ".other.new-abcd1234",
    ]


def test_two_builds_into_one_folder_take_turns(
    two_sites: tuple[Path, dict[str, bytes], dict[str, bytes]],
) -> None:
    source, _, new = two_sites
    out = source / "_site"
    for _ in range(3):
        builds = [
            subprocess.Popen(
                [sys.executable, "build.py", *build_command(source, out)],
                cwd=ROOT,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        for process in builds:
            _, err = process.communicate(timeout=120)
            assert process.returncode == 0, err
        assert snapshot(out) == new
        assert leftovers(out) == []
        shutil.rmtree(cache_folder(source))  # both build again next time


def test_a_build_waits_for_another_and_says_so(
    two_sites: tuple[Path, dict[str, bytes], dict[str, bytes]],
) -> None:
    source, old, new = two_sites
    out = source / "_site"
    with output_folder_lock(out, "build"):
        waiting = subprocess.Popen(
            [sys.executable, "build.py", *build_command(source, out)],
            cwd=ROOT,
            stderr=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        time.sleep(3)
        assert waiting.poll() is None  # still waiting
        assert snapshot(out) == old
    _, err = waiting.communicate(timeout=120)
    assert waiting.returncode == 0
    assert f"waiting for another build into {out} to finish (build, process {os.getpid()})" in err
    assert snapshot(out) == new


def test_a_build_into_a_served_folder_is_refused(
    two_sites: tuple[Path, dict[str, bytes], dict[str, bytes]],
) -> None:
    source, old, _ = two_sites
    out = source / "_site"
    with output_folder_lock(out, "serve"):
        result = run_build(source, out)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr == (
        f"error: {out} is being written by 'serve' (serve, process {os.getpid()}); stop it, "
        "or build into another folder with --out\n"
    )
    assert snapshot(out) == old


def damage_index(out: Path) -> None:
    """Deface a page, keeping its size and modification time."""
    page = out / "index.html"
    info = page.stat()
    page.write_bytes(b"X" * info.st_size)
    os.utime(page, ns=(info.st_atime_ns, info.st_mtime_ns))


@pytest.mark.parametrize(
    "damage",
    [
        damage_index,
        lambda out: (out / "index.html").unlink(),
        lambda out: (out / "static" / "extra.html").write_text("<script>alert(1)</script>"),
        lambda out: shutil.rmtree(out / "badges"),
    ],
    ids=["defaced", "deleted", "added", "folder removed"],
)
def test_a_damaged_output_is_repaired_by_the_next_build(
    minimal_site: Callable[..., Path], damage: Callable[[Path], None]
) -> None:
    source = minimal_site()
    out = source / "_site"
    assert build_here(source, out).returncode == 0
    good = snapshot(out)
    unchanged = build_here(source, out)
    assert "nothing changed since the last build" in unchanged.stdout  # the shortcut works
    damage(out)
    repaired = build_here(source, out)
    assert repaired.returncode == 0 and "built " in repaired.stdout
    assert snapshot(out) == good


def test_the_swap_exchanges_where_the_system_can(tmp_path: Path) -> None:
    """This machine's system exchanges folders in one step (so the first kill test above
    tests that path, not the fallback)."""
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "mark").touch()
    assert write.exchange(tmp_path / "a", tmp_path / "b")
    assert (tmp_path / "b" / "mark").exists() and not (tmp_path / "a" / "mark").exists()

"""`build.py serve` as a contributor previews the site: it says why it cannot serve in one
line, serves the site where its address says (and what to fix while it does not build),
reloads the browser after each rebuild, prints each thing once, and leaves nothing behind."""

from __future__ import annotations

import asyncio
import errno
import itertools
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from .credential_fixtures import SignedNetwork
from .serving import PATIENCE, Browser, Serving, get, serve_command, serve_environment

BASE = "/test-network/"


def test_a_port_in_use_is_one_error_and_nothing_is_left_behind(
    network: SignedNetwork, tmp_path: Path
) -> None:
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    with socket.socket() as other_server:
        other_server.bind(("127.0.0.1", 0))
        other_server.listen()
        port = other_server.getsockname()[1]
        result = subprocess.run(
            serve_command("--source", network.site, "--port", port),
            env=serve_environment(temporary),
            capture_output=True,
            text=True,
            timeout=PATIENCE,
        )
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == f"error: port {port} is already in use; choose another with --port\n"
    assert list(temporary.iterdir()) == []


def unprivileged() -> list[str]:
    """A command prefix under which binding port 80 is refused (the system's port), or a skip."""
    if sys.platform != "linux":
        pytest.skip("drops a Linux capability")
    prefix: list[str] = []
    if os.getuid() == 0:  # root: drop the right to bind it
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("setpriv (util-linux) is needed to drop root's right to bind port 80")
        prefix = [setpriv, "--bounding-set", "-net_bind_service", "--inh-caps", "-net_bind_service"]
    probe = "import socket, sys\ntry: socket.socket().bind(('127.0.0.1', 80))\n"
    probe += "except OSError as error: sys.exit(error.errno)"
    code = subprocess.run([*prefix, sys.executable, "-c", probe], timeout=PATIENCE).returncode
    if code != errno.EACCES:
        pytest.skip(f"binding port 80 here does not fail with EACCES ({code})")
    return prefix


def test_a_port_the_system_refuses_is_one_error(network: SignedNetwork, tmp_path: Path) -> None:
    result = subprocess.run(
        [*unprivileged(), *serve_command("--source", network.site, "--port", "80")],
        env=serve_environment(),
        capture_output=True,
        text=True,
        timeout=PATIENCE,
    )
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (
        "error: cannot serve on port 80: permission denied (ports below 1024 are the "
        "system's); choose another with --port\n"
    )


@pytest.mark.parametrize("port", ["0", "70000", "-1"])
def test_a_port_that_is_not_one_is_a_usage_error(network: SignedNetwork, port: str) -> None:
    result = subprocess.run(
        serve_command("--source", network.site, "--port", port),
        env=serve_environment(),
        capture_output=True,
        text=True,
        timeout=PATIENCE,
    )
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.splitlines()[-1] == (
        f"build.py serve: error: argument --port: {port} is not a port; choose one from 1 to 65535"
    )


def test_the_site_is_served_at_its_base_path_and_slash_leads_there(
    network: SignedNetwork, tmp_path: Path
) -> None:
    with Serving(network.site, "--out", tmp_path / "served") as serving:
        serving.line("serving on ")
        for path in ("/", BASE.rstrip("/")):
            status, headers, _ = get(serving.url(path))
            assert (status, headers["Location"]) == (302, BASE), path
        status, _, home = get(serving.url(BASE))
        assert status == 200 and "<title>Réseau Test" in home
        not_found = (tmp_path / "served" / "test-network" / "404.html").read_text("utf-8")
        # Unknown pages, in the site or beside it (the lock serve holds is not the site's).
        for path in (f"{BASE}no-such-page/", "/no-such-page", "/.test-network.lock"):
            status, _, page = get(serving.url(path))
            assert status == 404, path
            assert without_livereload(page) == not_found, path


def without_livereload(page: str) -> str:
    """A served page without the script livereload adds before </head>."""
    start = page.index('<script type="text/javascript">(function(){')
    return page[:start] + page[page.index("</script></head>", start) + len("</script>") :]


def test_each_edit_reaches_the_browser_once_the_site_is_rebuilt(
    network: SignedNetwork, tmp_path: Path
) -> None:
    """Edits one after the other, each made as soon as the previous one shows (livereload's
    own watcher skips a reload within 3 s of the last): each page reload shows the edit."""
    page_source = network.site / "content" / "pages" / "a-propos.md"
    original = page_source.read_text("utf-8")
    with Serving(network.site, "--out", tmp_path / "served") as serving:
        serving.line("serving on ")
        page = serving.url(f"{BASE}pages/a-propos/")

        async def edits() -> None:
            browser = await Browser.open(serving, page)
            for edit in ("Première retouche", "Deuxième retouche", "Troisième retouche"):
                page_source.write_text(original.replace("Une page", edit), "utf-8")
                await browser.reload()
                status, _, shown = get(page)  # at once: the site is written before the reload
                assert status == 200 and edit in shown
            browser.close()

        asyncio.run(edits())


def test_a_site_broken_at_start_lists_its_problems_until_it_builds(
    network: SignedNetwork, tmp_path: Path
) -> None:
    badge = network.site / "badges" / "laser-expert.yaml"
    good = badge.read_text("utf-8")
    badge.write_text(good.replace("level: expert", "level: expertissime"), "utf-8")
    problem = (
        "badges/laser-expert.yaml:5: error: level 'expertissime' is unknown (did you mean "
        "'expert'?); use one of: debutant, expert"
    )
    with Serving(network.site, "--out", tmp_path / "served") as serving:
        serving.line("serving on ")
        assert serving.lines == [
            problem,
            "1 error, 0 warnings",
            "the site does not build yet: fix the problems; it will be served as soon as it builds",
            f"serving on http://127.0.0.1:{serving.port}{BASE}, listing the problems until the "
            "site builds (Ctrl-C to stop)",
        ]
        status, _, page = get(serving.url(f"{BASE}badges/"))
        assert status == 503
        assert "The site does not build yet" in page
        assert problem.replace("'", "&#x27;") in page

        async def fixed() -> None:
            browser = await Browser.open(serving, serving.url(BASE))
            badge.write_text(good, "utf-8")
            await browser.reload()
            browser.close()

        asyncio.run(fixed())
        status, _, page = get(serving.url(f"{BASE}badges/"))
        assert status == 200 and "Laser - Expert" in page
        assert serving.line("built ", after=4)


# How tornado's log formatter starts a line: "[I 260101 12:00:00 server:331] ".
LOG_PREFIX = re.compile(r"^\[[DIWEC] \d{6} \d\d:\d\d:\d\d \w+:\d+\] ")


@pytest.mark.parametrize("verbose", [False, True], ids=["quiet", "verbose"])
def test_each_line_is_printed_once(network: SignedNetwork, tmp_path: Path, verbose: bool) -> None:
    """livereload's and tornado's logs, and ours, each once (with -v, what they say as they
    work; without, only what may need a look: a page the site does not have)."""
    page_source = network.site / "content" / "pages" / "a-propos.md"
    with Serving(network.site, "--out", tmp_path / "served", verbose=verbose) as serving:
        serving.line("serving on ")
        get(serving.url("/"))
        get(serving.url(f"{BASE}no-such-page/"))

        async def edit() -> None:
            browser = await Browser.open(serving, serving.url(BASE))
            text = page_source.read_text("utf-8")
            page_source.write_text(text.replace("Une page", "Retouchée"), "utf-8")
            await browser.reload()
            browser.close()

        asyncio.run(edit())
        assert serving.stop(signal.SIGINT) == 0
    assert "Traceback" not in serving.output
    said = [LOG_PREFIX.sub("", line) for line in serving.lines]
    assert [line for line, then in itertools.pairwise(said) if line == then] == [], serving.output
    assert [line.lower().startswith("serving on ") for line in said].count(True) == 1
    assert f"404 GET {BASE}no-such-page/ (127.0.0.1)" in serving.output
    assert ("302 GET / (127.0.0.1)" in serving.output) == verbose
    assert said[-1] == "stopped"


@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_the_temporary_folder_is_removed_when_serve_stops(
    network: SignedNetwork, tmp_path: Path, how: signal.Signals
) -> None:
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    with Serving(network.site, temporary=temporary) as serving:
        serving.line("serving on ")
        [folder] = temporary.iterdir()
        assert folder.name.startswith("fababrest-serve-")
        assert (folder / "test-network" / "index.html").is_file()
        assert serving.stop(how) == 0
    assert list(temporary.iterdir()) == []
    assert "Traceback" not in serving.output


def test_a_site_served_into_a_given_folder_stays_there(
    network: SignedNetwork, tmp_path: Path
) -> None:
    with Serving(network.site, "--out", tmp_path / "served") as serving:
        serving.line("serving on ")
        assert serving.stop() == 0
    assert (tmp_path / "served" / "test-network" / "index.html").is_file()


@pytest.mark.skipif(sys.platform != "linux", reason="reads the threads' signal masks in /proc")
def test_only_the_main_thread_takes_the_signals_that_stop_serve(
    network: SignedNetwork, tmp_path: Path
) -> None:
    """Python runs signal handlers in the main thread, which waits for its sockets: a Ctrl-C
    the system gave another thread (the file watcher's) would not wake it, and serve would
    not stop."""
    stops = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}
    with Serving(network.site, "--out", tmp_path / "served") as serving:
        serving.line("serving on ")
        pid = serving.process.pid
        masks = {
            int(task.name): int(line.split()[1], 16)
            for task in Path(f"/proc/{pid}/task").iterdir()
            for line in (task / "status").read_text().splitlines()
            if line.startswith("SigBlk:")
        }
        assert serving.stop() == 0
    blocked = {
        tid: {stop for stop in stops if mask >> (stop - 1) & 1} for tid, mask in masks.items()
    }
    assert blocked.pop(pid) == set()
    assert blocked and all(signals == stops for signals in blocked.values()), blocked

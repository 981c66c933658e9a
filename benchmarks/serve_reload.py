"""How long a person waits between saving a page and the browser's reload, with `serve`:
python benchmarks/serve_reload.py SOURCE RUNS [PAUSE].

Copies SOURCE (a content repository) to a temporary folder, runs `build.py serve` on it,
connects to its livereload socket as a page's script does, then RUNS times edits a page of
content/pages/ and times the wait from the write to the reload message; PAUSE seconds
(default 3.5: livereload's own watcher skips a reload within 3 s of the last) between edits.
Prints one JSON line: the seconds of each wait, and of each rebuild as serve printed it. An
edit that brought no reload within 30 s counts as null.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from tornado.websocket import websocket_connect

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from generator.site.load.repository import SOURCE_FOLDERS  # noqa: E402
from generator.site.model.authority import CODEOWNERS  # noqa: E402

HELLO = {"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"]}
REBUILT = re.compile(r"(?:re)?built \d+ files in ([\d.]+) s|updated \d+ files in ([\d.]+) s")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def waits(port: int, page: Path, runs: int, pause: float) -> list[float | None]:
    """Seconds from each edit of `page` to the reload message (None: no reload)."""
    connection = await websocket_connect(f"ws://127.0.0.1:{port}/livereload")
    await connection.write_message(json.dumps(HELLO))
    await connection.read_message()
    await connection.write_message(json.dumps({"command": "info", "url": "/", "plugins": {}}))
    await connection.write_message(json.dumps(HELLO))
    await connection.read_message()  # the server has taken 'info': it will send reloads
    original = page.read_text("utf-8")
    measured: list[float | None] = []
    try:
        for run in range(runs):
            await asyncio.sleep(pause)
            started = time.perf_counter()
            page.write_text(f"{original}\n\nEdit {run}.\n", "utf-8")
            try:
                while True:
                    message = await asyncio.wait_for(connection.read_message(), 30)
                    if message is None or json.loads(message)["command"] == "reload":
                        break
                measured.append(time.perf_counter() - started)
            except TimeoutError:
                measured.append(None)
    finally:
        page.write_text(original, "utf-8")
        connection.close()
    return measured


def main(source: Path, runs: int, pause: float) -> dict[str, list[float | None]]:
    """Time `runs` edits; return the waits and the rebuilds serve printed."""
    with tempfile.TemporaryDirectory(prefix="serve-reload-") as folder:
        site = Path(folder) / "site"
        for name in SOURCE_FOLDERS:
            if (source / name).is_dir():
                shutil.copytree(source / name, site / name)
        # The structures' maintainers, which the site is checked against (without them it
        # does not build, and serve would only show its problems).
        if (source / CODEOWNERS).is_file():
            (site / CODEOWNERS).parent.mkdir(parents=True)
            shutil.copyfile(source / CODEOWNERS, site / CODEOWNERS)
        page = sorted((site / "content" / "pages").glob("*.md"))[0]
        port = free_port()
        command = [
            sys.executable, str(ROOT / "build.py"), "serve", "--source", str(site),
            "--port", str(port), "--out", str(Path(folder) / "out"),
        ]  # fmt: skip
        # Unbuffered: serve's lines come as it prints them (a pipe would hold them to the end).
        serve = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        printed: list[str] = []
        ready = threading.Event()

        def read() -> None:
            assert serve.stdout is not None
            for line in serve.stdout:
                printed.append(line)
                if line.lower().startswith("serving on"):
                    ready.set()
            ready.set()

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        try:
            ready.wait()
            measured = asyncio.run(waits(port, page, runs, pause))
        finally:
            serve.terminate()
            serve.wait()
            reader.join(timeout=10)
    builds = [float(a or b) for line in printed for a, b in REBUILT.findall(line)]
    return {"reload": measured, "rebuild": builds[1:]}  # the first is serve's first build


if __name__ == "__main__":
    pause = float(sys.argv[3]) if len(sys.argv) > 3 else 3.5
    print(json.dumps(main(Path(sys.argv[1]), int(sys.argv[2]), pause)))

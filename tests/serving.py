"""`build.py serve` run as a person runs it: a process on a free port, on the real clock,
what it prints read as it comes; and a browser's side of livereload, as its script talks."""

from __future__ import annotations

import asyncio
import contextlib
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from tornado.websocket import WebSocketClientConnection, websocket_connect

from .conftest import ROOT

# Generous: the suite may run on a busy machine. How fast it really is is the benchmark's
# business (benchmarks/serve_edit.py), not a test's. 60 s was once not enough for serve's
# first build of the minimal site (2 s alone), with three workers on two cores beside the
# XSS corpus and the layout checks, on a disk deleting other tests' sites.
PATIENCE = 120.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def serve_command(*args: str | Path, verbose: bool = False) -> list[str]:
    """`build.py [-v] serve ARGS` with this Python."""
    options = ["-v"] if verbose else []
    return [sys.executable, str(ROOT / "build.py"), *options, "serve", *map(str, args)]


def serve_environment(temporary: Path | None = None) -> dict[str, str]:
    """The test's environment on the real clock; its temporary folders in `temporary`."""
    environment = {key: value for key, value in os.environ.items() if key != "SOURCE_DATE_EPOCH"}
    environment["PYTHONUNBUFFERED"] = "1"
    if temporary is not None:
        environment["TMPDIR"] = str(temporary)
    return environment


class Serving:
    """A running `serve`, what it printed so far (stdout and stderr, in order)."""

    def __init__(
        self,
        site: Path,
        *args: str | Path,
        temporary: Path | None = None,
        verbose: bool = False,
    ) -> None:
        self.port = free_port()
        command = serve_command("--source", site, "--port", self.port, *args, verbose=verbose)
        # In a process group of its own, as a terminal starts a command: a signal reaches
        # serve and the workers it forked alike (Ctrl-C, or a kill of the whole group), and
        # no orphaned worker keeps the pipe open once the test is over.
        self.process = subprocess.Popen(
            command,
            env=serve_environment(temporary),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self.lines: list[str] = []
        self._ended = False
        self._seen = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            with self._seen:
                self.lines.append(line.rstrip("\n"))
                self._seen.notify_all()
        with self._seen:
            self._ended = True
            self._seen.notify_all()

    @property
    def output(self) -> str:
        with self._seen:
            return "\n".join(self.lines)

    def line(self, start: str, after: int = 0) -> str:
        """The first line from index `after` that starts with `start`, once printed."""

        def found() -> str | None:
            return next((line for line in self.lines[after:] if line.startswith(start)), None)

        with self._seen:
            self._seen.wait_for(lambda: found() is not None or self._ended, timeout=PATIENCE)
            line = found()
        if line is None:
            pytest.fail(f"serve did not print {start!r}; it printed:\n{self.output}")
        return line

    def url(self, path: str = "") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def stop(self, how: signal.Signals = signal.SIGTERM) -> int:
        """Stop it as a person or a system would; its exit code, once all it printed is read."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, how)  # to the group, as a terminal sends Ctrl-C
        try:
            code = self.process.wait(timeout=PATIENCE)
        except subprocess.TimeoutExpired:
            pytest.fail(f"serve did not stop within {PATIENCE} s; it printed:\n{self.output}")
        self._reader.join(timeout=PATIENCE)
        return code

    def __enter__(self) -> Serving:
        return self

    def __exit__(self, *_: object) -> None:
        # Shown in the report of a test that fails (pytest captures it), so that a serve
        # which stopped answering says how far it got.
        print(f"serve printed:\n{self.output}")
        with contextlib.suppress(ProcessLookupError):  # the group may be gone already
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=PATIENCE)
        self._reader.join(timeout=PATIENCE)  # the pipe is closed once the whole group is gone
        if self.process.stdout is not None and not self._reader.is_alive():
            self.process.stdout.close()


def get(url: str) -> tuple[int, dict[str, str], str]:
    """One GET, redirects not followed: its status, headers and text."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=PATIENCE)
    try:
        connection.request("GET", parts.path or "/")
        response = connection.getresponse()
        body = response.read().decode("utf-8")
        return response.status, dict(response.getheaders()), body
    finally:
        connection.close()


def page_when(url: str, ready: str) -> str:
    """The page at url once it contains `ready` (a test failure after PATIENCE seconds)."""
    deadline = time.monotonic() + PATIENCE
    while True:
        try:
            # serve answers once its rebuild is done: on a loaded machine that may take more
            # than a few seconds, so one request may wait until the deadline.
            waited = max(1.0, deadline - time.monotonic())
            with urllib.request.urlopen(url, timeout=waited) as response:
                text: str = response.read().decode("utf-8")
            if ready in text:
                return text
        except urllib.error.HTTPError as error:
            if error.code not in (404, 503):
                raise
        if time.monotonic() > deadline:
            pytest.fail(f"{url} did not show {ready!r} within {PATIENCE} s")
        time.sleep(0.1)


HELLO = {"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"]}


class Browser:
    """A page's livereload script: connected to serve's socket, told when to reload."""

    def __init__(self, connection: WebSocketClientConnection) -> None:
        self._connection = connection

    @classmethod
    async def open(cls, serving: Serving, page: str) -> Browser:
        """Connected as livereload.js connects from `page`, and registered for reloads."""
        connection = await websocket_connect(f"ws://127.0.0.1:{serving.port}/livereload")
        browser = cls(connection)
        await browser._send(HELLO)
        assert (await browser.message())["command"] == "hello"
        await browser._send({"command": "info", "url": page, "plugins": {}})
        # The server answers messages in order: once this one is answered, it has taken
        # the page's 'info' (and will send it the next reload).
        await browser._send(HELLO)
        assert (await browser.message())["command"] == "hello"
        return browser

    async def _send(self, message: dict[str, Any]) -> None:
        await self._connection.write_message(json.dumps(message))

    async def message(self) -> dict[str, Any]:
        """The next message from the server (a test failure after PATIENCE seconds)."""
        try:
            text = await asyncio.wait_for(self._connection.read_message(), PATIENCE)
        except TimeoutError:
            pytest.fail(f"the browser was told nothing within {PATIENCE} s")
        assert isinstance(text, str), "the server closed the socket"
        message: dict[str, Any] = json.loads(text)
        return message

    async def reload(self) -> None:
        """Wait until the server tells the page to reload."""
        message = await self.message()
        assert message["command"] == "reload", message

    def close(self) -> None:
        self._connection.close()

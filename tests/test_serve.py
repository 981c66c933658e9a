"""`build.py serve` as an issuer uses it: a credential signed while it runs is published, and
its revocation reaches the award's page, without restarting anything."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from markupsafe import escape

from .conftest import ROOT
from .credential_fixtures import SignedNetwork, issue, ok
from .test_revocation import REASON

# Generous: the suite may run on a busy machine. How fast it really is is the benchmark's
# business (benchmarks/serve_edit.py), not a test's.
PATIENCE = 60.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def served(network: SignedNetwork, tmp_path: Path) -> Iterator[str]:
    """`serve` running on the network, on the real clock; its base URL."""
    port = free_port()
    environment = {key: value for key, value in os.environ.items() if key != "SOURCE_DATE_EPOCH"}
    command = [
        sys.executable, str(ROOT / "build.py"), "serve", "--source", str(network.site),
        "--port", str(port), "--out", str(tmp_path / "served"),
    ]  # fmt: skip
    environment["PYTHONUNBUFFERED"] = "1"
    server = subprocess.Popen(command, env=environment, stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        for line in server.stdout:
            if line.startswith("serving on "):
                break
        else:
            pytest.fail("serve stopped before serving")
        yield f"http://127.0.0.1:{port}/test-network/"
    finally:
        server.terminate()
        server.wait(timeout=10)


def page_when(url: str, ready: str) -> str:
    """The page at url once it contains `ready` (a test failure after PATIENCE seconds)."""
    deadline = time.monotonic() + PATIENCE
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                text: str = response.read().decode("utf-8")
            if ready in text:
                return text
        except urllib.error.HTTPError as error:
            if error.code != 404:
                raise
        if time.monotonic() > deadline:
            pytest.fail(f"{url} did not show {ready!r} within {PATIENCE} s")
        time.sleep(0.1)


def now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def test_a_credential_signed_while_serve_runs_is_published_then_revoked(
    network: SignedNetwork, served: str
) -> None:
    credential = issue(
        network.site, "laser-debutant", network.key_file, now(),
        "--recipient", "maiwenn.le-gall-8812@example.net",
    )  # fmt: skip
    page = f"{served}awards/atelier/{credential.stem}/"
    page_when(page, "Badge valide")
    ok(
        "revoke", credential, "--source", network.site, "--reason", REASON,
        "--key-file", network.key_file, at=now(),
    )  # fmt: skip
    page_when(page, str(escape(REASON)))


def test_a_build_into_the_folder_serve_writes_is_refused(
    served: str, network: SignedNetwork, tmp_path: Path
) -> None:
    """serve holds its output folder while it runs: a build into it says so and changes
    nothing (serve writes the site under a folder named after the base path)."""
    site = tmp_path / "served" / "test-network"
    before = sorted(path.relative_to(site).as_posix() for path in site.rglob("*"))
    result = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "build", "--source", str(network.site),
         "--out", str(site)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"error: {site} is being written by 'serve' (serve, process ")
    assert sorted(path.relative_to(site).as_posix() for path in site.rglob("*")) == before

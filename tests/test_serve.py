"""`build.py serve` as an issuer uses it: a credential signed while it runs is published, and
its revocation reaches the award's page, without restarting anything."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from markupsafe import escape

from .conftest import ROOT, copy_site
from .credential_fixtures import SignedNetwork, issue, keygen, ok
from .serving import Serving, page_when
from .test_revocation import REASON


@pytest.fixture
def served(network: SignedNetwork, tmp_path: Path) -> Iterator[str]:
    """`serve` running on the network, on the real clock; its base URL."""
    with Serving(network.site, "--out", tmp_path / "served") as serving:
        serving.line("serving on ")
        yield serving.url("/test-network/")


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


def test_the_first_credential_of_a_network_is_published_while_serve_runs(
    tmp_path: Path,
) -> None:
    """A network without credentials has no assertions/ folder: `issue` makes it while
    serve runs, and serve watches it from then on."""
    site = copy_site("minimal", tmp_path / "site")
    key = tmp_path / "keys" / "atelier-1.pem"
    keygen(site, "atelier", key, now())
    assert not (site / "assertions").exists()
    with Serving(site, "--out", tmp_path / "served") as serving:
        serving.line("serving on ")
        credential = issue(
            site, "laser-debutant", key, now(), "--recipient", "maiwenn.le-gall-8812@example.net"
        )
        award = f"awards/atelier/{credential.stem}/"
        page_when(serving.url(f"/test-network/{award}"), "Badge valide")

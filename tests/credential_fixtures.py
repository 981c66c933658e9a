"""A small signed network for the credential tests, made with the issuer tools at simulated
dates: the minimal test site, a second structure (`fablab`), keys for both, three
credentials of `atelier`, and the site built from them on 2026-01-01."""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from generator.cache import cache_folder
from generator.cli.commands import main
from generator.issuer import key_logs
from generator.issuer.keys import read_private_key
from generator.openbadges.multikey import public_key_multibase

from .conftest import copy_site, made_once

BASE_URL = "https://example.org/test-network/"
ATELIER_DID = "did:web:example.org:test-network:issuers:atelier"

# A second structure, to award nothing of the network and to hold another key.
FABLAB_YAML = (
    "name: Fablab Test\n"
    "url: https://fablab.example.org\n"
    "email: contact@fablab.example.org\n"
    "maintainers: [fablab-test]\n"
    "description: Un second atelier de test.\n"
    "awards: []\n"
)

# When each step of the example network happens.
KEYGEN_AT = "2024-02-01T10:00:00Z"
FABLAB_KEYGEN_AT = "2024-02-01T10:05:00Z"
LASER_AT = "2024-03-10T10:00:00Z"
ACCUEIL_AT = "2024-04-02T09:00:00Z"
EXPIRED_AT = "2024-05-01T12:00:00Z"
BUILD_AT = "2026-01-01T00:00:00Z"

# Distinctive addresses, so that a scan for them finds nothing by chance.
ALICE = "Alice.Kerbrat-7341@Example.NET"
BOB = "bob.lagadec-5521@example.net"
CAROL = "carol.quere-9902@example.net"
EMAILS = (ALICE, BOB, CAROL)
EVIDENCE_URL = "https://example.org/projets/porte-cles-7341"
NARRATIVE = "A découpé un porte-clés, lors de l'atelier du 10 mars."


def epoch(moment: str) -> str:
    """SOURCE_DATE_EPOCH for an ISO 8601 instant such as '2024-03-10T10:00:00Z'."""
    return str(int(datetime.fromisoformat(moment).timestamp()))


@contextlib.contextmanager
def simulated_time(moment: str) -> Iterator[None]:
    """Run with SOURCE_DATE_EPOCH set to moment, and restore it afterwards."""
    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = epoch(moment)
    try:
        yield
    finally:
        if before is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before


@dataclass(frozen=True)
class Run:
    """What a command did: exit code, stdout, stderr."""

    code: int
    out: str
    err: str

    @property
    def issued(self) -> list[Path]:
        """The credential files an `issue` run reports it wrote."""
        return [
            Path(line[len("issued ") :])
            for line in self.out.splitlines()
            if line.startswith("issued ")
        ]


def run(*argv: str | Path, at: str = BUILD_AT) -> Run:
    """Run `build.py ARGV` at a simulated instant; capture what it prints."""
    out, err = io.StringIO(), io.StringIO()
    with simulated_time(at), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(arg) for arg in argv])
    return Run(code, out.getvalue(), err.getvalue())


def ok(*argv: str | Path, at: str = BUILD_AT) -> Run:
    """Run a command that must succeed."""
    result = run(*argv, at=at)
    assert result.code == 0, result.err
    return result


def network_site(target: Path) -> Path:
    """The minimal test site with a second structure, `fablab`, and no keys yet."""
    site = copy_site("minimal", target)
    (site / "content" / "issuers" / "fablab.yaml").write_text(FABLAB_YAML, "utf-8")
    ok("codeowners", "--source", site)
    return site


KEYS = Path(__file__).resolve().parent / "keys"
# The test sites' coordinators (content/trust/coordinators.jsonl): 2 of the 3 approve.
COORDINATORS = tuple(
    KEYS / f"coordinator-{name}.test-only.pem" for name in ("anne", "bruno", "chloe")
)


def keygen(site: Path, issuer: str, key_file: Path, at: str, current: Path | None = None) -> Run:
    """`build.py keygen ISSUER` at a simulated instant; must succeed. With the current key
    file, a rotation; without, a first key (or a recovery), approved then by two of the test
    network's coordinators."""
    rotation = ("--current-key-file", current) if current is not None else ()
    result = ok("keygen", issuer, "--source", site, "--key-file", key_file, *rotation, at=at)
    if current is None:
        approve(site, issuer, at)
    return result


def history_keys(site: Path, issuer: str) -> list[dict[str, Any]]:
    """A structure's keys, as the last entry of its key history states them."""
    path = site / "content" / "issuers" / f"{issuer}.keys.jsonl"
    keys: list[dict[str, Any]] = json.loads(path.read_text("utf-8").splitlines()[-1])["keys"]
    return keys


HistoryKey = (
    tuple[str, Ed25519PrivateKey | str, str]
    | tuple[str, Ed25519PrivateKey | str, str, str | None, str | None]
)


def write_key_history(
    site: Path, issuer: str, keys: list[HistoryKey], date: str = "2024-01-01T00:00:00Z"
) -> Path:
    """Replace a structure's key history with a first entry stating these keys (id, private
    key or publicKeyMultibase, validFrom[, validUntil, compromisedAt]), approved by two of the
    test network's coordinators and signed by each key given as a private key (its proof of
    possession); the one way tests give a structure keys of their choosing."""
    written, holders = [], []
    for key_id, key, valid_from, *ends in keys:
        multibase = key if isinstance(key, str) else public_key_multibase(key)
        if not isinstance(key, str):
            holders.append(key)
        entry = {"id": key_id, "publicKeyMultibase": multibase, "validFrom": valid_from}
        for name, value in zip(("validUntil", "compromisedAt"), ends, strict=False):
            if value is not None:
                entry[name] = value
        written.append(entry)
    document = {"type": "KeyHistoryEntry", "issuer": issuer, "version": 1, "date": date}
    document["keys"] = written
    coordinators = [read_private_key(path) for path in COORDINATORS[:2]]
    path = site / "content" / "issuers" / f"{issuer}.keys.jsonl"
    path.write_bytes(key_logs.line_bytes(key_logs.signed(document, [*coordinators, *holders])))
    return path


def approve(site: Path, issuer: str, at: str, coordinators: int = 2) -> None:
    """Two (or `coordinators`) of the test network's coordinators approve the last entry of a
    structure's key history."""
    for key_file in COORDINATORS[:coordinators]:
        ok("approve", issuer, "--source", site, "--key-file", key_file, at=at)


def issue(
    site: Path, badge: str, key_file: Path, at: str, *args: str, issuer: str = "atelier"
) -> Path:
    """`build.py issue` for one recipient (given in args); the file it wrote."""
    result = ok(
        "issue",
        "--source",
        site,
        "--issuer",
        issuer,
        "--badge",
        badge,
        "--key-file",
        key_file,
        *args,
        at=at,
    )
    assert len(result.issued) == 1, result.out
    return result.issued[0]


@dataclass(frozen=True)
class SignedNetwork:
    """A content repository with signed credentials, its keys (outside it) and its build."""

    site: Path
    keys: Path
    out: Path
    laser: Path  # laser-debutant to ALICE, with evidence and narrative (PNG image)
    accueil: Path  # atelier-accueil to BOB (SVG image)
    expired: Path  # laser-debutant to CAROL, expired on 2025-05-01
    store: Path  # the folder of the cache store its build filled

    @property
    def key_file(self) -> Path:
        """atelier's private key (key-1)."""
        return self.keys / "atelier-1.pem"

    @property
    def fablab_key_file(self) -> Path:
        """fablab's private key."""
        return self.keys / "fablab-1.pem"

    @property
    def credentials(self) -> tuple[Path, Path, Path]:
        """Every credential file."""
        return (self.laser, self.accueil, self.expired)

    @property
    def atelier_yaml(self) -> Path:
        """atelier's YAML file."""
        return self.site / "content" / "issuers" / "atelier.yaml"

    @property
    def atelier_history(self) -> Path:
        """atelier's key history, where its public keys are."""
        return self.site / "content" / "issuers" / "atelier.keys.jsonl"

    @property
    def status_list(self) -> Path:
        """atelier's signed status list."""
        return self.site / "assertions" / "atelier" / "status-list.json"

    def relative(self, path: Path) -> str:
        """A path as diagnostics print it: relative to the site, with forward slashes."""
        return path.relative_to(self.site).as_posix()

    def award_dir(self, credential: Path) -> Path:
        """The built folder of an award."""
        return self.out / "awards" / credential.parent.name / credential.stem


CREDENTIALS = ("laser", "accueil", "expired")  # SignedNetwork's fields that are credentials


def make_signed_network(root: Path) -> SignedNetwork:
    """Make the signed network under root with the issuer tools, then build it."""
    site = network_site(root / "site")
    keys = root / "keys"
    keygen(site, "atelier", keys / "atelier-1.pem", KEYGEN_AT)
    keygen(site, "fablab", keys / "fablab-1.pem", FABLAB_KEYGEN_AT)
    key = keys / "atelier-1.pem"
    laser = issue(
        site,
        "laser-debutant",
        key,
        LASER_AT,
        "--recipient",
        f"  {ALICE} ",
        "--evidence",
        EVIDENCE_URL,
        "--narrative",
        NARRATIVE,
    )
    accueil = issue(site, "atelier-accueil", key, ACCUEIL_AT, "--recipient", BOB)
    expired = issue(
        site, "laser-debutant", key, EXPIRED_AT, "--recipient", CAROL, "--expires", "2025-05-01"
    )
    out = root / "out"
    ok("build", "--source", site, "--out", out)
    return SignedNetwork(site, keys, out, laser, accueil, expired, cache_folder(site))


_SHARED: dict[str, SignedNetwork] = {}


def _make_shared_network(folder: Path) -> None:
    """The signed network made in folder, its cache store there too, and where its
    credentials are (their names are made as they are issued)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FABABREST_CACHE_DIR", str(folder / "cache"))
        made = make_signed_network(folder / "network")
    credentials = {name: str(getattr(made, name).relative_to(made.site)) for name in CREDENTIALS}
    (folder / "credentials.json").write_text(json.dumps(credentials), "utf-8")


def shared_network(factory: pytest.TempPathFactory) -> SignedNetwork:
    """One signed network per test run (made by the first worker that needs it when the
    tests run in parallel), for tests that only read it."""
    if "network" not in _SHARED:
        folder = made_once(factory, "signed-network", _make_shared_network)
        root = folder / "network"
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("FABABREST_CACHE_DIR", str(folder / "cache"))
            store = cache_folder(root / "site")
        credentials = read_json(folder / "credentials.json")
        _SHARED["network"] = SignedNetwork(
            root / "site",
            root / "keys",
            root / "out",
            **{name: root / "site" / path for name, path in credentials.items()},
            store=store,
        )
    return _SHARED["network"]


def copy_network(network: SignedNetwork, target: Path) -> SignedNetwork:
    """A copy of a signed network (site, keys and build) that a test may change, with a copy
    of the cache store its build filled (see `example_cache` in tests/published_sites.py)."""
    site = Path(shutil.copytree(network.site, target / "site"))
    shutil.copytree(network.store, cache_folder(site))
    keys = Path(shutil.copytree(network.keys, target / "keys"))
    out = Path(shutil.copytree(network.out, target / "out"))

    def moved(path: Path) -> Path:
        return site / path.relative_to(network.site)

    return replace(
        network,
        site=site,
        keys=keys,
        out=out,
        laser=moved(network.laser),
        accueil=moved(network.accueil),
        expired=moved(network.expired),
        store=cache_folder(site),
    )


def read_json(path: Path) -> Any:
    """A JSON file's value."""
    return json.loads(path.read_text("utf-8"))


def write_json(path: Path, value: Any) -> None:
    """Write JSON as the issuer tools do (indented, UTF-8)."""
    path.write_text(json.dumps(value, ensure_ascii=False, indent=2), "utf-8")


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under root, path -> bytes."""
    if not root.exists():
        return {}
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def credential_url(credential: Path) -> str:
    """The URL a credential file is published at."""
    return f"{BASE_URL}awards/{credential.parent.name}/{credential.stem}/credential.json"


def assertion_url(credential: Path) -> str:
    """The URL of the OB 2.0 hosted assertion of a credential."""
    return f"{BASE_URL}awards/{credential.parent.name}/{credential.stem}/assertion.json"


AWARD_SLUG = re.compile(r"^\d{8}-[0-9a-f]{8}$")


@pytest.fixture(scope="session")
def signed(tmp_path_factory: pytest.TempPathFactory) -> SignedNetwork:
    """The signed network, made once per test run; tests must not change it."""
    return shared_network(tmp_path_factory)


@pytest.fixture
def network(signed: SignedNetwork, tmp_path: Path) -> SignedNetwork:
    """A copy of the signed network that the test may change, with its cache store (the
    images, compiled templates and verified proofs of what the test does not change are not
    made again; tests about the store itself empty it)."""
    return copy_network(signed, tmp_path)


def line_of(path: Path, key: str) -> int:
    """The 1-based line of a JSON file where a member's key first appears: where a problem
    about that member points."""
    lines = path.read_text("utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if line.lstrip().startswith(key))

"""`issue --from-earlier`: an earlier award (imported from Badgr) signed again as an Open
Badges 3.0 credential of the network, only for the address its original salted hash names,
linking the original award in its evidence."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from generator.cli.commands import main

from .conftest import ROOT, copy_site

BADGR = ROOT / "tests" / "importing" / "badgr"
KEY = ROOT / "tests" / "keys" / "signed-atelier.test-only.pem"
ORIGINAL = "https://api.badgr.io/public/assertions/Va7lId9LaSeR1bAdGe3xYz"
SALT = "f00dcafe12345678"


@pytest.fixture
def site(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """The signed test network, with two earlier awards of its laser badge imported for
    'atelier': one to alice@example.org, and one revoked."""
    root = copy_site("signed", tmp_path / "site")
    export = tmp_path / "export"
    export.mkdir()
    laser = json.loads((BADGR / "badge-laser.json").read_text())
    award = json.loads((BADGR / "assertion-expired.json").read_text())
    del award["expires"]
    award["id"] = ORIGINAL
    digest = hashlib.sha256(("alice@example.org" + SALT).encode()).hexdigest()
    award["recipient"] = {
        "type": "email",
        "hashed": True,
        "identity": f"sha256${digest}",
        "salt": SALT,
    }
    for name, document in {
        "laser.json": laser,
        "award.json": award,
        "revoked.json": json.loads((BADGR / "assertion-revoked.json").read_text()),
    }.items():
        (export / name).write_text(json.dumps(document))
    assert main(["import", "--source", str(root), str(export), "--issuer", "atelier"]) == 0
    capsys.readouterr()
    return root


def record(site: Path, original: str) -> Path:
    for path in sorted((site / "assertions/atelier/earlier").glob("*.yaml")):
        if f"original: {original}\n" in path.read_text():
            return path
    raise AssertionError(f"no record of {original}")


def reissue(site: Path, path: Path, email: str) -> int:
    return main([
        "issue", "--source", str(site), "--from-earlier", str(path),
        "--recipient", email, "--key-file", str(KEY),
    ])  # fmt: skip


def credentials(site: Path) -> set[Path]:
    return set((site / "assertions/atelier").glob("*.json")) - {
        site / "assertions/atelier/status-list.json"
    }


def test_the_earner_gets_a_signed_credential_linking_the_original(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = credentials(site)
    assert reissue(site, record(site, ORIGINAL), " Alice@Example.org ") == 0
    (new,) = credentials(site) - before
    assert "linking the original award in its evidence" in capsys.readouterr().out
    credential = json.loads(new.read_text())
    assert credential["credentialSubject"]["achievement"]["id"].endswith(
        "/badges/laser-debutant/achievement.json"
    )
    assert credential["evidence"][0]["id"] == ORIGINAL
    assert "Badgr" in credential["evidence"][0]["narrative"]
    assert b"alice" not in new.read_bytes().lower()
    assert main(["check", "--source", str(site)]) == 0


def test_another_address_signs_nothing(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = credentials(site)
    path = record(site, ORIGINAL)
    assert reissue(site, path, "mallory@example.org") == 1
    assert credentials(site) == before
    assert capsys.readouterr().err == (
        f"error: {path}: 'mallory@example.org' is not the address of the original award's "
        "recipient (its salted hash differs); nothing was signed: check the address with the "
        "earner\n"
    )


def test_a_revoked_earlier_award_is_not_issued_again(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = record(site, "https://api.badgr.io/public/assertions/Rv5kEd7mNb9xCz1aSd3fGh")
    assert reissue(site, path, "carol@example.org") == 1
    assert "the original award was revoked; it cannot be issued again" in capsys.readouterr().err

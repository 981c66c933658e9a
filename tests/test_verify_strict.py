"""`build.py verify` is as strict as the build: a credential properly signed by a structure
that the build would refuse is never VALID, with or without a built site; what cannot be
checked is said; two baked badges that disagree are reported; hostile input is a verdict,
never a traceback."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator.issuer.keys import read_private_key
from generator.openbadges.dataintegrity import sign
from generator.openbadges.png_baking import bake_png, unbake_png

from .credential_fixtures import (
    ATELIER_DID,
    BASE_URL,
    LASER_AT,
    SignedNetwork,
    assertion_url,
    read_json,
    run,
    write_json,
)

Document = dict[str, Any]


def achievement(slug: str) -> Callable[[Document], None]:
    def change(document: Document) -> None:
        document["credentialSubject"]["achievement"]["id"] = (
            f"{BASE_URL}badges/{slug}/achievement.json"
        )

    return change


def valid_from(moment: str) -> Callable[[Document], None]:
    def change(document: Document) -> None:
        document["validFrom"] = moment

    return change


def status_list(url: str) -> Callable[[Document], None]:
    def change(document: Document) -> None:
        document["credentialStatus"]["statusListCredential"] = url
        document["credentialStatus"]["id"] = f"{url}#0"

    return change


def pre_freeze_status(document: Document) -> None:
    """The form this tool signed before the credential format was frozen: a list of a
    BitstringStatusListEntry and a 1EdTechRevocationList (1EdTech's schema refuses a list)."""
    document["@context"] = [
        *document["@context"],
        "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json",
    ]
    document["credentialStatus"] = [
        document["credentialStatus"],
        {
            "id": f"{BASE_URL}issuers/atelier/status/revocation-list.json",
            "type": "1EdTechRevocationList",
        },
    ]


PRE_FREEZE = "credentialStatus is a list, the form signed before the credential format was frozen"


def credential_id(url: str) -> Callable[[Document], None]:
    def change(document: Document) -> None:
        document["id"] = url

    return change


# Each: a change the structure signs properly, and what the verdict must say.
REFUSED = {
    "unknown badge": (achievement("nope"), "is not a badge of this network"),
    "badge not awarded by the structure": (achievement("couture-debutant"), "does not award"),
    "award before approval": (
        valid_from("2024-01-10T10:00:00Z"),
        "before badge 'laser-debutant' was approved",
    ),
    "foreign status list": (
        status_list("https://elsewhere.example/status.json"),
        "credentialStatus must point to",
    ),
    "id on another host": (
        credential_id("https://elsewhere.example/awards/atelier/x/credential.json"),
        "is not the URL of a credential of atelier",
    ),
    "id climbing out": (
        credential_id(f"{BASE_URL}awards/../../x/credential.json"),
        "is not the URL of a credential of atelier",
    ),
    "pre-freeze status list": (pre_freeze_status, PRE_FREEZE),
    "a credential the network does not hold": (
        credential_id(f"{BASE_URL}awards/atelier/20990101-00000000/credential.json"),
        "the network does not hold this credential",
    ),
}


def signed_variant(network: SignedNetwork, change: Callable[[Document], None], to: Path) -> Path:
    document = read_json(network.laser)
    del document["proof"]
    change(document)
    key = read_private_key(network.key_file)
    write_json(to, sign(document, key, f"{ATELIER_DID}#key-1", LASER_AT))
    return to


@pytest.mark.parametrize("case", sorted(REFUSED))
@pytest.mark.parametrize("with_site", [False, True], ids=["source", "site"])
def test_a_properly_signed_credential_the_build_refuses_is_never_valid(
    signed: SignedNetwork, tmp_path: Path, case: str, with_site: bool
) -> None:
    change, reason = REFUSED[case]
    forged = signed_variant(signed, change, tmp_path / "forged.json")
    site = ["--site", signed.out] if with_site else []
    result = run("verify", forged, "--source", signed.site, *site)
    assert result.code == 1
    assert result.out.startswith("INVALID — "), result.out
    if not with_site:
        assert reason in result.out
    assert "Traceback" not in result.err


def test_a_site_publishing_the_pre_freeze_form_is_not_valid(
    signed: SignedNetwork, tmp_path: Path
) -> None:
    """A site built before the format was frozen publishes the list form: verify says what
    to do, even though the site publishes that very credential."""
    site = tmp_path / "site"
    shutil.copytree(signed.out, site)
    published = site / signed.award_dir(signed.laser).relative_to(signed.out) / "credential.json"
    signed_variant(signed, pre_freeze_status, published)
    result = run("verify", published, "--site", site)
    assert result.code == 1
    assert result.out.startswith(f"INVALID — {PRE_FREEZE}"), result.out
    assert "issue it again with 'build.py issue'" in result.out
    assert "Traceback" not in result.err


def test_without_a_network_what_cannot_be_checked_is_said(
    signed: SignedNetwork, tmp_path: Path
) -> None:
    result = run("verify", signed.laser, "--source", tmp_path)
    assert result.code == 1
    assert result.out.startswith(f"UNCHECKED — no network's content in {tmp_path} to check")
    assert "give --source the network's repository, or --site a site it built" in result.out
    assert "VALID —" not in result.out


def test_two_baked_badges_that_disagree_are_reported(signed: SignedNetwork, tmp_path: Path) -> None:
    """The PNG of a valid award, with the OB 2.0 chunk of another (expired) award."""
    png = (signed.award_dir(signed.laser) / "badge.png").read_bytes()
    texts = unbake_png(png)
    assert set(texts) == {"openbadgecredential", "openbadges"}
    texts["openbadges"] = assertion_url(signed.expired)
    mixed = tmp_path / "mixed.png"
    mixed.write_bytes(bake_png(png, texts))
    result = run("verify", mixed, "--source", signed.site, "--site", signed.out)
    assert result.code == 1
    assert result.out.startswith("INVALID — ")
    assert "two badges that disagree" in result.out


def test_both_baked_badges_are_judged(signed: SignedNetwork, tmp_path: Path) -> None:
    """The PNG of an expired award holds its credential and its assertion: EXPIRED, from
    either; the worse verdict wins (here both agree)."""
    png = signed.award_dir(signed.expired) / "badge.png"
    result = run("verify", png, "--source", signed.site, "--site", signed.out)
    assert result.code == 1 and "EXPIRED" in result.out


def _hostile(tmp_path: Path, signed: SignedNetwork) -> dict[str, Path]:
    laser = read_json(signed.laser)
    cases: dict[str, bytes | Document | str] = {
        "not UTF-8": b'{"type": "\xff\xfe"}',
        "deep nesting": "[" * 50_000 + "]" * 50_000,
        "huge integer": '{"type": ["OpenBadgeCredential"], "n": ' + "9" * 5000 + "}",
        "duplicate keys": '{"type": "Assertion", "type": "Assertion"}',
        "issuer is a list": {**laser, "issuer": ["x"]},
        "credentialSubject is a string": {**laser, "credentialSubject": "x"},
        "proof is a number": {**laser, "proof": 3},
        "type is a number": {**laser, "type": 7},
        "validFrom is an object": {**laser, "validFrom": {"a": 1}},
        "assertion without id": {"type": "Assertion"},
        "credentialStatus is a string": {**laser, "credentialStatus": "x"},
    }
    paths = {}
    for index, (name, value) in enumerate(cases.items()):
        path = tmp_path / f"case-{index}.json"
        if isinstance(value, bytes):
            path.write_bytes(value)
        elif isinstance(value, str):
            path.write_text(value, "utf-8")
        else:
            path.write_text(json.dumps(value), "utf-8")
        paths[name] = path
    big = tmp_path / "big.json"
    with open(big, "wb") as handle:
        handle.truncate(11 * 1024 * 1024)
    paths["11 MB"] = big
    return paths


def test_hostile_input_is_a_verdict_never_a_traceback(
    signed: SignedNetwork, tmp_path: Path
) -> None:
    (tmp_path / "cases").mkdir()
    for name, path in _hostile(tmp_path / "cases", signed).items():
        for site in ([], ["--site", signed.out]):
            result = run("verify", path, "--source", signed.site, *site)
            assert result.code == 1, name
            assert result.out.startswith("INVALID — "), (name, result.out)
            assert "Traceback" not in result.err, (name, result.err)


def test_what_is_not_a_file_is_a_usage_error_never_a_traceback(
    signed: SignedNetwork, tmp_path: Path
) -> None:
    """A FIFO (never waited on) or a folder names no badge: a usage error, not a verdict."""
    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)
    for path in (fifo, tmp_path):
        for site in ([], ["--site", signed.out]):
            result = run("verify", path, "--source", signed.site, *site)
            assert (result.code, result.out) == (2, ""), path
            assert result.err.endswith(
                f"build.py verify: error: {path}: not a file; give a credential file, a baked "
                "PNG/SVG image or a URL\n"
            )

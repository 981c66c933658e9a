"""`build.py verify`: a credential file, a hosted URL (with --site) or a baked image, judged
the way an outside verifier would; and how expiry shows on the site."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from generator.issuer.keys import read_private_key
from generator.openbadges.dataintegrity import sign

from .credential_fixtures import (
    ATELIER_DID,
    BASE_URL,
    LASER_AT,
    SignedNetwork,
    assertion_url,
    credential_url,
    issue,
    keygen,
    ok,
    read_json,
    run,
    write_json,
)

LASER_VALID = (
    "Laser - Débutant: VALID — signature verified, issued by Atelier Test on 2024-03-10T10:00:00Z\n"
)


def targets(network: SignedNetwork, credential: Path) -> dict[str, list[str | Path]]:
    """Every way of naming one award to `verify`."""
    award = network.award_dir(credential)
    site: list[str | Path] = ["--site", network.out]
    named: dict[str, list[str | Path]] = {
        "credential-file": [credential],
        "credential-file-with-site": [credential, *site],
        "published-credential-file": [award / "credential.json", *site],
        "credential-url": [credential_url(credential), *site],
        "award-page-url": [credential_url(credential).removesuffix("credential.json"), *site],
        "english-award-page-url": [
            credential_url(credential)
            .replace(BASE_URL, f"{BASE_URL}en/")
            .removesuffix("credential.json"),
            *site,
        ],
        "assertion-url": [assertion_url(credential), *site],
    }
    if (award / "badge.png").exists():
        named["baked-png"] = [award / "badge.png", *site]
    else:
        named["baked-svg"] = [award / "badge.svg", *site]
        named["baked-svg-ob2"] = [award / "badge-ob2.svg", *site]
    return named


TARGETS = [
    "credential-file",
    "credential-file-with-site",
    "published-credential-file",
    "credential-url",
    "award-page-url",
    "english-award-page-url",
    "assertion-url",
]


@pytest.mark.parametrize("target", [*TARGETS, "baked-png"])
def test_a_valid_credential_is_valid(signed: SignedNetwork, target: str) -> None:
    result = run("verify", *targets(signed, signed.laser)[target], "--source", signed.site)
    assert result.code == 0, result.out + result.err
    assert result.out == LASER_VALID


@pytest.mark.parametrize("target", [*TARGETS, "baked-svg", "baked-svg-ob2"])
def test_a_valid_svg_award_is_valid(signed: SignedNetwork, target: str) -> None:
    result = run("verify", *targets(signed, signed.accueil)[target], "--source", signed.site)
    assert result.code == 0, result.out + result.err
    assert "VALID — signature verified, issued by Atelier Test" in result.out


@pytest.mark.parametrize("target", [*TARGETS, "baked-png"])
def test_an_expired_credential_is_expired(signed: SignedNetwork, target: str) -> None:
    result = run("verify", *targets(signed, signed.expired)[target], "--source", signed.site)
    assert result.code == 1
    assert "EXPIRED — expired on 2025-05-01T00:00:00Z" in result.out
    assert "VALID" not in result.out


def test_a_credential_is_not_yet_valid_before_its_date(signed: SignedNetwork) -> None:
    result = run("verify", signed.laser, "--source", signed.site, at="2024-03-01T00:00:00Z")
    assert result.code == 1
    assert f"NOT YET VALID — valid from {LASER_AT}" in result.out


def test_a_credential_expires_with_time(signed: SignedNetwork) -> None:
    result = run("verify", signed.laser, "--source", signed.site, at="2026-03-10T10:00:00Z")
    assert result.code == 1
    assert "EXPIRED — expired on 2026-03-10T10:00:00Z" in result.out


@pytest.mark.parametrize("with_site", [False, True], ids=["source", "site"])
def test_a_changed_credential_is_invalid(
    signed: SignedNetwork, tmp_path: Path, with_site: bool
) -> None:
    document = read_json(signed.laser)
    document["validUntil"] = "2036-03-10T10:00:00Z"
    changed = tmp_path / "changed.json"
    write_json(changed, document)
    site = ["--site", signed.out] if with_site else []
    result = run("verify", changed, "--source", signed.site, *site)
    assert result.code == 1
    assert result.out.startswith("INVALID — signature does not match")


def test_a_changed_published_credential_is_invalid_through_its_assertion(
    network: SignedNetwork,
) -> None:
    published = network.award_dir(network.laser) / "credential.json"
    document = read_json(published)
    document["credentialSubject"]["identifier"][0]["salt"] = "0" * 32
    write_json(published, document)
    result = run("verify", assertion_url(network.laser), "--site", network.out)
    assert result.code == 1
    assert "INVALID — signature does not match" in result.out


def test_a_key_missing_from_the_did_document_is_invalid(network: SignedNetwork) -> None:
    did_file = network.out / "issuers" / "atelier" / "did.json"
    did = read_json(did_file)
    did["assertionMethod"] = []
    write_json(did_file, did)
    result = run("verify", network.laser, "--site", network.out)
    assert result.code == 1
    assert (
        "INVALID — key did:web:example.org:test-network:issuers:atelier#key-1 is not an assertion key"
        in result.out
    )


def test_a_credential_of_another_network_is_invalid(signed: SignedNetwork, tmp_path: Path) -> None:
    document = read_json(signed.laser)
    document["issuer"]["id"] = "did:web:elsewhere.example:issuers:atelier"
    changed = tmp_path / "elsewhere.json"
    write_json(changed, document)
    result = run("verify", changed, "--source", signed.site)
    assert result.code == 1
    assert (
        "INVALID — issuer 'did:web:elsewhere.example:issuers:atelier' is not a structure"
        in result.out
    )


def test_verify_with_site_refuses_what_the_build_refuses(
    network: SignedNetwork, tmp_path: Path
) -> None:
    """A credential signed with key-1 after its rotation: INVALID with or without --site."""
    keygen(network.site, "atelier", network.keys / "atelier-2.pem", "2025-01-15T09:00:00Z")
    ok("build", "--source", network.site, "--out", network.out)
    document = read_json(network.laser)
    del document["proof"]
    key = read_private_key(network.key_file)
    forged = tmp_path / "forged.json"
    write_json(forged, sign(document, key, f"{ATELIER_DID}#key-1", "2025-03-01T10:00:00Z"))
    without_site = run("verify", forged, "--source", network.site)
    assert without_site.code == 1
    assert "INVALID — signed on 2025-03-01T10:00:00Z with key 'key-1', which was not valid" in (
        without_site.out
    )
    with_site = run("verify", forged, "--source", network.site, "--site", network.out)
    assert with_site.code == 1
    assert with_site.out.startswith("INVALID — ")


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("URL", "give --site DIR (a built site) to resolve URLs; nothing is fetched"),
        ("https://elsewhere.example/awards/x/credential.json", "is not under this site's base URL"),
        (f"{BASE_URL}awards/atelier/nope/credential.json", "is not published by this site"),
        ("MISSING", "no such file"),
        ("BADGE-IMAGE", "the image carries no baked badge"),
        ("NOT-JSON", "not JSON"),
    ],
    ids=[
        "url-without-site",
        "url-of-another-site",
        "url-not-published",
        "missing-file",
        "unbaked-image",
        "not-json",
    ],
)
def test_verify_explains_what_it_cannot_check(
    signed: SignedNetwork, tmp_path: Path, target: str, message: str
) -> None:
    not_json = tmp_path / "not.json"
    not_json.write_text("{", "utf-8")
    given = {
        "URL": credential_url(signed.laser),
        "MISSING": str(tmp_path / "missing.json"),
        "BADGE-IMAGE": str(signed.out / "badges" / "laser-debutant" / "image.png"),
        "NOT-JSON": str(not_json),
    }.get(target, target)
    site = [] if target == "URL" else ["--site", signed.out]
    result = run("verify", given, "--source", signed.site, *site)
    assert result.code == 1
    assert result.out.startswith("INVALID — ")
    assert message in result.out
    assert "Traceback" not in result.err


def test_a_url_never_reads_a_file_outside_the_site(signed: SignedNetwork) -> None:
    """A path climbing out of the base URL ('..') is refused, even where a credential lies."""
    outside = Path(os.path.relpath(signed.laser, signed.out)).as_posix()
    assert outside.startswith("../")
    result = run("verify", BASE_URL + outside, "--site", signed.out, "--source", signed.site)
    assert result.code == 1
    assert result.out.startswith("INVALID — ")
    assert "is not under this site's base URL" in result.out


def test_verify_says_when_site_is_not_a_built_site(signed: SignedNetwork, tmp_path: Path) -> None:
    result = run("verify", credential_url(signed.laser), "--site", tmp_path)
    assert result.code == 1
    assert result.out.startswith(f"INVALID — {tmp_path} is not a built site")
    assert "Traceback" not in result.err


# Expiry on the site ----------------------------------------------------------------------


def test_an_expired_award_is_published_and_says_so(signed: SignedNetwork) -> None:
    award = signed.award_dir(signed.expired)
    assert (award / "credential.json").read_bytes() == signed.expired.read_bytes()
    assert read_json(award / "assertion.json")["expires"] == "2025-05-01T00:00:00Z"
    page = (award / "index.html").read_text("utf-8")
    assert "Badge expiré" in page
    assert "il était valable jusqu\u2019au 1 mai 2025" in page
    english = signed.out / "en" / "awards" / "atelier" / signed.expired.stem / "index.html"
    assert "Expired badge" in english.read_text("utf-8")


def test_a_valid_award_does_not_say_expired(signed: SignedNetwork) -> None:
    page = (signed.award_dir(signed.laser) / "index.html").read_text("utf-8")
    assert "Badge valide" in page
    assert "Badge expiré" not in page
    assert read_json(signed.award_dir(signed.laser) / "assertion.json")["expires"] == (
        "2026-03-10T10:00:00Z"
    )


def test_an_award_without_expiry_has_no_expires(signed: SignedNetwork) -> None:
    assert "expires" not in read_json(signed.award_dir(signed.accueil) / "assertion.json")


def test_a_past_award_that_already_expired_can_be_issued_and_built(network: SignedNetwork) -> None:
    path = issue(
        network.site, "laser-debutant", network.key_file, "2026-01-01T00:00:00Z",
        "--recipient", "past@example.net", "--issued-on", "2024-06-01", "--expires", "2025-06-01",
    )  # fmt: skip
    ok("build", "--source", network.site, "--out", network.out)
    award = network.award_dir(path)
    assert "Badge expiré" in (award / "index.html").read_text("utf-8")
    assert read_json(award / "assertion.json")["expires"] == "2025-06-01T00:00:00Z"
    result = run("verify", path, "--source", network.site)
    assert result.code == 1
    assert "EXPIRED — expired on 2025-06-01T00:00:00Z" in result.out


def test_a_rebuild_after_the_expiry_date_marks_the_award_expired(network: SignedNetwork) -> None:
    shutil.rmtree(network.out)
    ok("build", "--source", network.site, "--out", network.out, at="2026-04-01T00:00:00Z")
    page = (network.award_dir(network.laser) / "index.html").read_text("utf-8")
    assert "Badge expiré" in page
    assert "il était valable jusqu\u2019au 10 mars 2026" in page
    result = run(
        "verify", assertion_url(network.laser), "--site", network.out, at="2026-04-01T00:00:00Z"
    )
    assert result.code == 1
    assert "EXPIRED" in result.out

"""`build.py verify`: a credential file, a hosted URL (with --site) or a baked image, judged
the way an outside verifier would; and how expiry shows on the site."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from generator.issuer.keys import read_private_key
from generator.openbadges.dataintegrity import sign
from generator.openbadges.png_baking import bake_png, unbake_png

from .conftest import ROOT
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
from .system_refusals import refused

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
        ("https://elsewhere.example/awards/x/credential.json", "is not under this site's base URL"),
        (f"{BASE_URL}awards/atelier/nope/credential.json", "is not published by this site"),
        ("BADGE-IMAGE", "the image carries no baked badge"),
        ("NOT-JSON", "not JSON"),
    ],
    ids=["url-of-another-site", "url-not-published", "unbaked-image", "not-json"],
)
def test_verify_explains_what_it_cannot_check(
    signed: SignedNetwork, tmp_path: Path, target: str, message: str
) -> None:
    not_json = tmp_path / "not.json"
    not_json.write_text("{", "utf-8")
    given = {
        "BADGE-IMAGE": str(signed.out / "badges" / "laser-debutant" / "image.png"),
        "NOT-JSON": str(not_json),
    }.get(target, target)
    result = run("verify", given, "--source", signed.site, "--site", signed.out)
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


# What names no badge: a usage error, not a verdict ----------------------------------------

USAGE = "usage: build.py verify [-h] [--source DIR] [--format {text,github}]"


@pytest.mark.parametrize(
    ("target", "site", "message"),
    [
        ("URL", None, "{target} is a URL: give --site DIR, the folder of the site built by "
         "this tool that publishes it, to check it against (nothing is fetched)"),
        ("URL", "MISSING", "--site {site}: no such folder; give the folder the build wrote"),
        ("URL", "FILE", "--site {site}: not a folder; give the folder the build wrote"),
        ("URL", "REPOSITORY", "{site} is not a site built by this tool: no data/badges.json; "
         "build it with `python build.py build` or give its folder"),
        ("URL", "EMPTY", "{site} is not a site built by this tool: no data/badges.json; "
         "build it with `python build.py build` or give its folder"),
        ("MISSING", None, "{target}: no such file"),
        ("FOLDER", None, "{target}: not a file; give a credential file, a baked PNG/SVG image "
         "or a URL"),
        (f"{BASE_URL}badges/laser-debutant/", "SITE", "{target} is a page of the site, not an "
         "award: give the address of an award's page (…/awards/STRUCTURE/AWARD/), of its "
         "credential.json or of its assertion.json"),
    ],
    ids=["url-without-site", "site-missing", "site-a-file", "site-the-repository",
         "site-empty", "no-such-file", "a-folder", "a-page-not-an-award"],
)  # fmt: skip
def test_what_names_no_badge_is_a_usage_error(
    signed: SignedNetwork, tmp_path: Path, target: str, site: str | None, message: str
) -> None:
    """`verify URL` without --site, a --site that is no built site (`--site .` in the
    repository), a file that is not there: said as argparse says a usage error, exit 2."""
    a_file = tmp_path / "notes.txt"
    a_file.write_text("notes\n", "utf-8")
    target = {
        "URL": credential_url(signed.laser),
        "MISSING": str(tmp_path / "missing.json"),
        "FOLDER": str(tmp_path),
    }.get(target, target)
    folder = {
        "MISSING": tmp_path / "nowhere",
        "FILE": a_file,
        "REPOSITORY": signed.site,
        "EMPTY": tmp_path,
        "SITE": signed.out,
    }.get(site or "")
    result = run("verify", target, *(["--site", folder] if folder else []))
    assert result.code == 2
    assert result.out == ""
    assert result.err.startswith(USAGE)
    assert result.err.endswith(
        f"build.py verify: error: {message.format(target=target, site=folder)}\n"
    )


# Award URLs as people type them ----------------------------------------------------------


@pytest.mark.parametrize(
    "spelling",
    [
        "{award}",
        "{award}/index.html",
        "{award}/?utm_source=linkedin#top",
        "{award}/badge.png",
        "{english}",
        "http{s_less}",
        "http{s_less}/",
        "http{s_less}/credential.json",
    ],
    ids=[
        "page-without-slash",
        "page-index-html",
        "page-with-query",
        "baked-image-url",
        "english-page-without-slash",
        "http-without-slash",
        "http-page",
        "http-credential",
    ],
)
def test_an_award_url_as_people_type_it_is_verified(signed: SignedNetwork, spelling: str) -> None:
    """Without the page's last '/', with http:// for https://, with a query a sharing site
    added, an award's URL names the award: verified like its published form."""
    award = credential_url(signed.laser).removesuffix("/credential.json")
    url = spelling.format(
        award=award,
        english=award.replace(BASE_URL, f"{BASE_URL}en/"),
        s_less=award.removeprefix("https"),
    )
    result = run("verify", url, "--site", signed.out)
    assert (result.code, result.err) == (0, "")
    assert result.out == LASER_VALID


def test_http_is_accepted_for_this_site_only(signed: SignedNetwork) -> None:
    elsewhere = credential_url(signed.laser).replace("https://example.org/", "http://example.net/")
    result = run("verify", elsewhere, "--site", signed.out)
    assert result.code == 1
    assert f"INVALID — {elsewhere} is not under this site's base URL {BASE_URL}" in result.out


def test_the_site_default_language_is_the_one_it_was_built_with(network: SignedNetwork) -> None:
    """A site whose default language is English has its French award pages under fr/ (its
    theme, the shipped one, with a French catalogue: the templates' own words)."""
    shutil.copytree(ROOT / "theme", network.site / "theme")
    french = network.site / "theme" / "locale" / "fr" / "LC_MESSAGES" / "messages.po"
    french.parent.mkdir(parents=True)
    french.write_text('msgid ""\nmsgstr ""\n"Language: fr\\n"\n', "utf-8")
    settings = network.site / "content" / "site.yaml"
    text = settings.read_text("utf-8").replace("language: fr\n", "language: en\n")
    settings.write_text(text.replace("languages: [fr, en]", "languages: [en, fr]"), "utf-8")
    shutil.rmtree(network.out)
    ok("build", "--source", network.site, "--out", network.out)
    award = credential_url(network.laser).removesuffix("credential.json")
    in_french = award.replace(BASE_URL, f"{BASE_URL}fr/")
    assert (network.out / in_french.removeprefix(BASE_URL) / "index.html").is_file()
    for url in (award, in_french, in_french.rstrip("/")):
        result = run("verify", url, "--site", network.out)
        assert (result.code, result.out) == (0, LASER_VALID), url
    english = award.replace(BASE_URL, f"{BASE_URL}en/")
    assert run("verify", english, "--site", network.out).code == 1


# The system's refusals ---------------------------------------------------------------------


@pytest.mark.parametrize("unreadable", ["target", "site-file", "catalogue"])
def test_a_file_the_system_refuses_is_an_error_not_a_verdict(
    signed: SignedNetwork, monkeypatch: pytest.MonkeyPatch, unreadable: str
) -> None:
    """Permission denied on the file to verify or on a file of the site: the badge may be
    fine, so no verdict; one line naming the file."""
    path = {
        "target": signed.laser,
        "site-file": signed.out / "issuers" / "atelier" / "did.json",
        "catalogue": signed.out / "data" / "badges.json",
    }[unreadable]
    with refused(monkeypatch) as paths:
        paths.add(path)
        result = run("verify", signed.laser, "--site", signed.out)
    assert (result.code, result.out) == (1, "")
    assert result.err == f"error: {path}: Permission denied; check its permissions\n"


# Expiry on the site ----------------------------------------------------------------------


def test_an_expired_award_is_published_and_says_so(signed: SignedNetwork) -> None:
    award = signed.award_dir(signed.expired)
    assert (award / "credential.json").read_bytes() == signed.expired.read_bytes()
    assert read_json(award / "assertion.json")["expires"] == "2025-05-01T00:00:00Z"
    page = (award / "index.html").read_text("utf-8")
    assert "Badge expiré" in page
    assert "il était valable jusqu\u2019au 1er mai 2025" in page
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


# A baked image without --site, in the example network ------------------------------------

VALID_AWARD = ("biklab", "20240312-ef961c53")
REVOKED_AWARD = ("fablab-exemple-port", "20240420-6ebc5c6e")


def baked_png(example_site: Path, award: tuple[str, str]) -> Path:
    """The baked PNG the build published for an award of the example network."""
    return example_site / "awards" / award[0] / award[1] / "badge.png"


def test_a_baked_png_is_verified_against_the_repository_it_is_in(
    example_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The whole credential is in the image: the repository's keys and status lists judge
    it, as the build would (the repository found as every command finds it)."""
    monkeypatch.chdir(ROOT / "assertions")
    result = run("verify", baked_png(example_site, VALID_AWARD))
    assert (result.code, result.err) == (0, "")
    assert result.out == (
        "Découpe laser - 1er pas: VALID — signature verified, issued by BIK'LAB on "
        "2024-03-12T18:30:00Z\n"
    )


def test_a_revoked_baked_png_is_revoked(example_site: Path) -> None:
    result = run("verify", baked_png(example_site, REVOKED_AWARD), "--source", ROOT)
    assert (result.code, result.err) == (1, "")
    assert result.out == (
        "Impression 3D FDM - Utilisateur autonome: REVOKED — revoked by its issuer: Délivré "
        "par erreur : la personne n'avait pas encore validé l'évaluation pratique.\n"
    )


@pytest.mark.parametrize(
    ("chunk", "change", "message"),
    [
        ("openbadgecredential", ("validFrom", "2024-03-01T00:00:00Z"), "signature does not match"),
        ("openbadges", ("issuedOn", "2024-03-01T00:00:00Z"), "its Open Badges 2.0 assertion is "
         "not the one the network publishes at https://fababrest.github.io/open-badges/awards/"
         "biklab/20240312-ef961c53/assertion.json: it was changed after the build baked it"),
    ],
    ids=["credential", "assertion"],
)  # fmt: skip
def test_a_tampered_baked_png_is_invalid(
    example_site: Path, tmp_path: Path, chunk: str, change: tuple[str, str], message: str
) -> None:
    png = baked_png(example_site, VALID_AWARD).read_bytes()
    texts = unbake_png(png)
    document = json.loads(texts[chunk])
    document[change[0]] = change[1]
    tampered = tmp_path / "badge.png"
    tampered.write_bytes(bake_png(png, {chunk: json.dumps(document, ensure_ascii=False)}))
    result = run("verify", tampered, "--source", ROOT)
    assert (result.code, result.err) == (1, "")
    assert result.out.startswith("INVALID — "), result.out
    assert message in result.out


def test_a_baked_png_outside_a_repository_and_without_site_is_a_usage_error(
    example_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    png = baked_png(example_site, VALID_AWARD)
    result = run("verify", png)
    assert (result.code, result.out) == (2, "")
    assert result.err.startswith(USAGE)
    assert result.err.endswith(
        f"build.py verify: error: {png}: no content repository in {tmp_path} nor above it to "
        "check it against (its keys and status lists); run verify inside the network's "
        "repository, or give --source DIR, the repository, or --site DIR, a site built from "
        "it\n"
    )

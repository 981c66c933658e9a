"""Interoperability: independent JavaScript implementations verify what the build publishes.

tests/interop/verify.mjs checks a built site with Digital Bazaar's VC / Data Integrity /
eddsa-rdfc-2022 libraries (JSON-LD safe mode on, no network: only the bundled contexts and
the site's own DID documents and status lists) and Mozilla's openbadges-bakery;
tests/interop/verify-dcc.mjs with the Digital Credentials Consortium's verifier-core (its
own contexts and did:web resolver, HTTP answered from the built site). Nothing there shares
code with generator/. See tests/interop/README.md.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from generator.site import build as orchestrator

from .conftest import EPOCH, ROOT, SITES, copy_example
from .credential_fixtures import SignedNetwork, ok
from .test_alignments_site import align_laser_badge, issue_aligned

INTEROP = ROOT / "tests" / "interop"
VERIFY = INTEROP / "verify.mjs"
VERIFY_DCC = INTEROP / "verify-dcc.mjs"
NODE = shutil.which("node")
INSTALL = "npm ci --prefix tests/interop --no-audit --no-fund --prefer-offline"

if NODE is None:
    pytest.skip(
        f"interoperability tests need Node.js (20 or newer): install it, then run `{INSTALL}`",
        allow_module_level=True,
    )
if not (INTEROP / "node_modules").is_dir():
    pytest.skip(
        f"interoperability tests need their npm packages: run `{INSTALL}` at the repository root",
        allow_module_level=True,
    )

Report = dict[str, Any]
ENDORSEMENT_SCHEMA = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_endorsementcredential_schema.json"
)


def run_verifier(site: Path, *args: str, script: Path = VERIFY) -> tuple[int, list[Report]]:
    """Run verify.mjs (or verify-dcc.mjs) on a built site; return its exit code and reports."""
    assert NODE is not None
    done = subprocess.run(
        [NODE, str(script), str(site), *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode in (0, 1), f"{script.name} crashed:\n{done.stderr}\n{done.stdout}"
    reports = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    assert reports and reports[-1]["kind"] == "summary", done.stdout + done.stderr
    return done.returncode, reports


def build(source: Path, out: Path) -> Path:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        orchestrator.build(source, out)
    return out


@pytest.fixture(scope="module")
def site(example_site: Path) -> Path:
    """The example network, built once per session (tests/published_sites.py)."""
    return example_site


@pytest.fixture(scope="module")
def verified(site: Path) -> tuple[int, list[Report]]:
    return run_verifier(site)


@pytest.fixture(scope="module")
def verified_dcc(site: Path) -> tuple[int, list[Report]]:
    return run_verifier(site, script=VERIFY_DCC)


def of_kind(reports: list[Report], kind: str) -> list[Report]:
    return [report for report in reports if report["kind"] == kind]


def relative(site: Path, reports: list[Report]) -> dict[str, Report]:
    return {Path(report["file"]).relative_to(site).as_posix(): report for report in reports}


def test_every_credential_verifies_independently(
    site: Path, verified: tuple[int, list[Report]]
) -> None:
    code, reports = verified
    credentials = relative(site, of_kind(reports, "credential"))
    published = {p.relative_to(site).as_posix() for p in site.glob("awards/*/*/credential.json")}
    assert published, "the example network publishes no credential"
    assert set(credentials) == published
    failures = {name: r["error"] for name, r in credentials.items() if not r["verified"]}
    assert failures == {}
    assert code == 0, [r for r in reports if r.get("error")]


def test_status_list_credentials_verify_independently(
    site: Path, verified: tuple[int, list[Report]]
) -> None:
    _, reports = verified
    lists = relative(site, of_kind(reports, "status-list"))
    published = {
        p.relative_to(site).as_posix() for p in site.glob("issuers/*/status/revocation.json")
    }
    assert published
    assert set(lists) == published
    assert {name: r["error"] for name, r in lists.items() if not r["verified"]} == {}


def revoked_credential_ids() -> set[str]:
    """The ids of the credentials that the example network revokes."""
    ids = set()
    for record in ROOT.glob("assertions/*/revocations/*.json"):
        ids.add(json.loads(record.read_text("utf-8"))["credentialSubject"]["id"])
    return ids


def test_revocation_is_seen_through_the_bitstring_status_list(
    site: Path, verified: tuple[int, list[Report]]
) -> None:
    _, reports = verified
    revoked = revoked_credential_ids()
    assert any("/awards/fablab-exemple-port/" in i for i in revoked), "the revoked example is gone"
    seen = {}
    for report in of_kind(reports, "credential"):
        credential = json.loads(Path(report["file"]).read_text("utf-8"))
        seen[credential["id"]] = report["revoked"]
    assert {i for i, flag in seen.items() if flag is True} == revoked
    # every credential carries a BitstringStatusListEntry, so every one got a verdict
    assert all(flag is not None for flag in seen.values()), seen


def test_expiry_is_seen_and_the_signature_still_checked(
    site: Path, verified: tuple[int, list[Report]]
) -> None:
    _, reports = verified
    now = datetime.now(UTC)
    for report in of_kind(reports, "credential"):
        credential = json.loads(Path(report["file"]).read_text("utf-8"))
        until = credential.get("validUntil")
        expected = until is not None and datetime.fromisoformat(until) < now
        assert report["expired"] is expected, report
        assert report["verified"], report


def test_every_baked_image_unbakes_to_the_published_json(
    site: Path, verified: tuple[int, list[Report]]
) -> None:
    _, reports = verified
    baked = of_kind(reports, "baked")
    assert {r["error"] for r in baked if not r["matches"]} == set()
    keywords = {(Path(r["file"]).parent, r["keyword"]) for r in baked}
    for folder in {p.parent for p in site.glob("awards/*/*/credential.json")}:
        if (folder / "badge.png").exists():
            assert (folder, "openbadges") in keywords
            assert (folder, "openbadgecredential") in keywords
        else:
            assert (folder, "openbadges:credential") in keywords
            assert (folder, "openbadges:assertion") in keywords


def test_bundled_contexts_equal_the_independently_published_ones(
    verified: tuple[int, list[Report]],
) -> None:
    _, reports = verified
    contexts = of_kind(reports, "context")
    assert {r["url"]: r["error"] for r in contexts if r["matches"] is False} == {}
    used = {r["url"] for r in contexts if r["used"]}
    assert "https://www.w3.org/ns/credentials/v2" in used
    assert "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json" in used
    assert all(r["matches"] for r in contexts if r["used"])


@pytest.fixture
def controls(site: Path, tmp_path: Path) -> Iterator[dict[str, Path]]:
    """Copies of a published credential: untouched, with its name changed by one character,
    and with a term that no context defines (top level and nested)."""
    source = min(site.glob("awards/*/*/credential.json"))
    credential = json.loads(source.read_text("utf-8"))

    def write(name: str, document: dict[str, Any]) -> Path:
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(document, ensure_ascii=False, indent=2), "utf-8")
        return path

    renamed = json.loads(json.dumps(credential))
    last = renamed["name"][-1]
    renamed["name"] = renamed["name"][:-1] + ("x" if last != "x" else "y")
    undefined = {**credential, "colour": "red"}
    # the form signed before the credential format was frozen, which 1EdTech's schema refuses
    listed = {**credential, "credentialStatus": [credential["credentialStatus"]]}
    nested = json.loads(json.dumps(credential))
    nested["credentialSubject"]["achievement"]["colour"] = "red"
    yield {
        "untouched": write("untouched", credential),
        "renamed": write("renamed", renamed),
        "undefined-term": write("undefined-term", undefined),
        "nested-undefined-term": write("nested-undefined-term", nested),
        "status-list": write("status-list", listed),
    }


def test_negative_controls_fail_independent_verification(
    site: Path, controls: dict[str, Path]
) -> None:
    code, reports = run_verifier(site, "--credential", *map(str, controls.values()))
    by_name = {Path(r["file"]).stem: r for r in of_kind(reports, "credential")}
    assert set(by_name) == set(controls)
    # the copy itself verifies: what fails below fails because of the change alone
    assert by_name["untouched"]["verified"], by_name["untouched"]
    assert not by_name["renamed"]["verified"]
    # a one-item list is the same JSON-LD graph as its item: the signature cannot tell the
    # two forms apart, only 1EdTech's JSON Schema does (below)
    assert by_name["status-list"]["verified"], by_name["status-list"]
    assert "Invalid signature" in by_name["renamed"]["error"]
    for name in ("undefined-term", "nested-undefined-term"):
        assert not by_name[name]["verified"]
        # JSON-LD safe mode: the undefined term is an error, not silently dropped
        assert "Safe mode validation error" in by_name[name]["error"]
        assert '"property":"colour"' in by_name[name]["error"]
    assert code == 1

    code, reports = run_verifier(
        site, "--credential", *map(str, controls.values()), script=VERIFY_DCC
    )
    dcc = {Path(r["file"]).stem: r for r in of_kind(reports, "dcc")}
    assert set(dcc) == set(controls)
    assert dcc["untouched"]["signature"], dcc["untouched"]
    assert dcc["untouched"]["schema"]["valid"], dcc["untouched"]
    assert not dcc["renamed"]["signature"]
    # 1EdTech's schema, run by the DCC verifier from the vendored copy, refuses the list
    assert dcc["status-list"]["schema"]["valid"] is False
    assert any(e.startswith("/credentialStatus:") for e in dcc["status-list"]["schema"]["errors"])
    assert "invalid_signature" in " ".join(dcc["renamed"]["errors"])
    for name in ("undefined-term", "nested-undefined-term"):
        assert not dcc[name]["signature"]
        assert "Safe mode validation error" in " ".join(dcc[name]["errors"])
    assert code == 1


def test_baked_svg_images_unbake_with_the_reference_bakery(
    tmp_path: Path, example_cache: Callable[[Path], Path]
) -> None:
    """The example network has PNG images only: give an awarded badge an SVG image."""
    source = example_cache(copy_example(tmp_path / "source"))
    badge = "decoupe-vinyle-animateur"
    shutil.copyfile(
        SITES / "minimal" / "badges" / "atelier-accueil.svg", source / "badges" / f"{badge}.svg"
    )
    out = build(source, tmp_path / "site")
    svgs = sorted(out.glob("awards/*/*/badge.svg"))
    assert svgs, "no award of the badge got an SVG image"
    code, reports = run_verifier(out)
    assert code == 0, [r for r in reports if r.get("error")]
    baked = {(Path(r["file"]).name, r["keyword"]): r for r in of_kind(reports, "baked")}
    assert baked[("badge.svg", "openbadges:credential")]["matches"]
    assert baked[("badge-ob2.svg", "openbadges:assertion")]["matches"]
    assert all(r["verified"] for r in of_kind(reports, "credential"))


def test_the_verifier_fetches_nothing(verified: tuple[int, list[Report]]) -> None:
    """Every document the verifier loaded came from the bundle or from the built site."""
    _, reports = verified
    summary = reports[-1]
    bundled = set(json.loads((ROOT / "generator/openbadges/contexts/index.json").read_text()))
    for url in summary["loaded"]:
        assert url in bundled or url.startswith(("did:web:", summary["baseUrl"])), url


def test_the_dcc_verifier_accepts_every_credential(
    site: Path, verified_dcc: tuple[int, list[Report]]
) -> None:
    """The Digital Credentials Consortium's verifier: signature, 1EdTech's JSON Schema,
    revocation and expiry."""
    code, reports = verified_dcc
    assert_dcc_verdicts(site, reports, revoked_credential_ids())
    assert code == 0


def assert_dcc_verdicts(site: Path, reports: list[Report], revoked: set[str]) -> None:
    """Every credential of the site checked: signature and schema valid, revoked and
    expired exactly those that are."""
    dcc = of_kind(reports, "dcc")
    published = sorted(site.glob("awards/*/*/credential.json"))
    assert sorted(Path(r["file"]) for r in dcc) == published
    assert {r["file"]: r["errors"] for r in dcc if not r["signature"]} == {}
    schema = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
    assert {
        r["file"]: r["schema"]
        for r in dcc
        if r["schema"] != {"url": schema, "valid": True, "errors": []}
    } == {}
    now = datetime.now(UTC)
    for report in dcc:
        credential = json.loads(Path(report["file"]).read_text("utf-8"))
        # verifier-core reads the BitstringStatusListEntry (a credential has one status
        # entry, the form 1EdTech's schema requires): revocation is seen through it.
        assert report["revoked"] is (credential["id"] in revoked), report
        until = credential.get("validUntil")
        assert report["expired"] is (until is not None and datetime.fromisoformat(until) < now)


def test_the_dcc_verifier_fetched_only_the_site(verified_dcc: tuple[int, list[Report]]) -> None:
    """Its contexts are its own; it asked only for DID documents and status lists, and for
    1EdTech's JSON Schema, which it got from tests/standards/ (nothing left the machine)."""
    _, reports = verified_dcc
    summary = reports[-1]
    schema = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
    assert {url for url in summary["requested"] if not url.startswith(summary["baseUrl"])} == {
        schema,
        ENDORSEMENT_SCHEMA,
    }
    assert any(url.endswith("/did.json") for url in summary["requested"])
    assert any(url.endswith("/status/revocation.json") for url in summary["requested"])


def test_both_verifiers_accept_the_golden_signed_site() -> None:
    """The golden site with signed awards (tests/sites/signed/expected, which test_golden
    keeps equal to a fresh build): valid awards accepted, the revoked and expired refused."""
    site = SITES / "signed" / "expected"
    revoked = {
        json.loads(record.read_text("utf-8"))["credentialSubject"]["id"]
        for record in (SITES / "signed").glob("assertions/*/revocations/*.json")
    }
    assert revoked
    code, reports = run_verifier(site)
    assert code == 0, [r for r in reports if r.get("error")]
    seen = {}
    for report in of_kind(reports, "credential"):
        credential = json.loads(Path(report["file"]).read_text("utf-8"))
        until = credential.get("validUntil")
        assert report["verified"], report
        assert report["expired"] is (
            until is not None and datetime.fromisoformat(until) < datetime.now(UTC)
        )
        seen[credential["id"]] = report["revoked"]
    assert {i for i, flag in seen.items() if flag} == revoked
    assert any(r["expired"] for r in of_kind(reports, "credential")), "no expired award to refuse"
    code, reports = run_verifier(site, script=VERIFY_DCC)
    assert_dcc_verdicts(site, reports, revoked)
    assert code == 0


def test_every_endorsement_verifies_independently(
    site: Path, verified: tuple[int, list[Report]], verified_dcc: tuple[int, list[Report]]
) -> None:
    """Each endorsement of the example (EndorsementCredential), and each endorser's status
    list: Digital Bazaar's verifier, and the DCC's with 1EdTech's EndorsementCredential schema."""
    published = {p.relative_to(site).as_posix() for p in site.glob("endorsements/*.json")}
    assert len(published) == 5, "the example's endorsements are gone"
    _, reports = verified
    endorsements = relative(site, of_kind(reports, "endorsement"))
    assert set(endorsements) == published
    assert {name: r["error"] for name, r in endorsements.items() if not r["verified"]} == {}
    assert {r["revoked"] for r in endorsements.values()} == {False}
    lists = relative(site, of_kind(reports, "endorsement-status-list"))
    assert set(lists) == {
        p.relative_to(site).as_posix() for p in site.glob("endorsements/status/*.json")
    }
    assert all(r["verified"] for r in lists.values()), lists
    _, reports = verified_dcc
    dcc = relative(site, of_kind(reports, "dcc-endorsement"))
    assert set(dcc) == published
    for name, report in dcc.items():
        assert report["signature"], (name, report["errors"])
        assert report["schema"] == {"url": ENDORSEMENT_SCHEMA, "valid": True, "errors": []}
        assert report["revoked"] is False and report["expired"] is False


def test_revoked_and_tampered_endorsements_fail_independently(
    tmp_path: Path, example_cache: Callable[[Path], Path]
) -> None:
    """An endorsement revoked with `revoke-endorsement` is revoked for both verifiers; one
    whose comment was changed fails both signature checks."""
    from .credential_fixtures import ok

    source = example_cache(copy_example(tmp_path / "source"))
    [endorsement] = sorted((source / "assertions/employeurs-exemple/endorsements").glob("2*.json"))
    key = ROOT / "tests/keys/employeurs-exemple.test-only.pem"
    ok(
        "revoke-endorsement", endorsement, "--source", source, "--key-file", key,
        "--reason", "Le partenariat a pris fin.", at="2026-01-01T00:00:00Z",
    )  # fmt: skip
    out = build(source, tmp_path / "site")
    _, reports = run_verifier(out)
    revoked = {Path(r["file"]).name: r["revoked"] for r in of_kind(reports, "endorsement")}
    assert revoked[endorsement.name] is True
    assert sum(flag is True for flag in revoked.values()) == 1
    _, reports = run_verifier(out, script=VERIFY_DCC)
    dcc = {Path(r["file"]).name: r for r in of_kind(reports, "dcc-endorsement")}
    assert dcc[endorsement.name]["revoked"] is True and dcc[endorsement.name]["signature"]
    tampered = json.loads(endorsement.read_text("utf-8"))
    tampered["credentialSubject"]["endorsementComment"] += " Modifié."
    forged = tmp_path / "tampered.json"
    forged.write_text(json.dumps(tampered), "utf-8")
    code, reports = run_verifier(out, "--credential", str(forged))
    assert code == 1 and not of_kind(reports, "credential")[0]["verified"]
    code, reports = run_verifier(out, "--credential", str(forged), script=VERIFY_DCC)
    assert code == 1 and not of_kind(reports, "dcc")[0]["signature"]


def test_an_endorsement_signed_with_its_own_domains_did_verifies_independently(
    tmp_path: Path,
) -> None:
    """An endorser of its own domain's DID (tests/test_endorser_own_did.py): both verifiers
    resolve its DID to the document vendored in the repository (nothing is fetched) and
    verify its endorsement and status list; without that document they cannot, and a
    tampered copy fails."""
    from .test_endorser_own_did import BASE, DID, SLUG, endorser_site

    source = endorser_site(tmp_path / "source")
    out = build(source, tmp_path / "site")
    [published] = out.glob("endorsements/2*.json")
    vendored = source / "content" / "endorsers" / f"{SLUG}.did.json"
    given = ("--base-url", BASE, "--did-document", f"{DID}={vendored}")
    code, reports = run_verifier(out, *given)
    [endorsement] = of_kind(reports, "endorsement")
    assert endorsement["verified"], endorsement["error"]
    assert [r["verified"] for r in of_kind(reports, "endorsement-status-list")] == [True]
    code, reports = run_verifier(out, *given, script=VERIFY_DCC)
    [dcc] = of_kind(reports, "dcc-endorsement")
    assert dcc["signature"], dcc["errors"]
    assert dcc["schema"] == {"url": ENDORSEMENT_SCHEMA, "valid": True, "errors": []}
    assert dcc["revoked"] is False
    _, reports = run_verifier(out, "--base-url", BASE)  # its domain is not the site
    assert not of_kind(reports, "endorsement")[0]["verified"]
    tampered = json.loads(published.read_text("utf-8"))
    tampered["credentialSubject"]["endorsementComment"] += " Modifié."
    forged = tmp_path / "tampered.json"
    forged.write_text(json.dumps(tampered), "utf-8")
    code, reports = run_verifier(out, *given, "--credential", str(forged))
    assert code == 1 and not of_kind(reports, "credential")[0]["verified"]
    code, reports = run_verifier(out, *given, "--credential", str(forged), script=VERIFY_DCC)
    assert code == 1 and not of_kind(reports, "dcc")[0]["signature"]


def test_both_verifiers_accept_a_credential_aligned_with_skill_frameworks(
    network: SignedNetwork, tmp_path: Path
) -> None:
    """A credential signed for a badge aligned with ESCO and ROME (targetType, and the OB 3.0
    fields achievementType, humanCode, fieldOfStudy, creditsAvailable): both verifiers check
    its signature (JSON-LD safe mode: every term is defined), the DCC one 1EdTech's schema."""
    align_laser_badge(network)
    credential = issue_aligned(network)
    site = tmp_path / "out"
    ok("build", "--source", network.site, "--out", site)
    published = site / "awards" / "atelier" / credential.stem / "credential.json"
    assert json.loads(published.read_text("utf-8"))["credentialSubject"]["achievement"]["alignment"]
    _, reports = run_verifier(site)
    mine = [r for r in of_kind(reports, "credential") if Path(r["file"]) == published]
    assert mine and mine[0]["verified"], mine
    _, reports = run_verifier(site, script=VERIFY_DCC)
    dcc = [r for r in of_kind(reports, "dcc") if Path(r["file"]) == published]
    schema = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
    assert dcc and dcc[0]["signature"], dcc
    assert dcc[0]["schema"] == {"url": schema, "valid": True, "errors": []}

"""An outside endorser that signs with its own domain's DID (did:web:partenaire.example.org),
end to end on the minimal site: its DID document vendored beside its file and checked,
`endorse` signs with its key (tests/keys/partenaire-exemple.test-only.pem), the build verifies
the endorsement against the vendored document and publishes it (the site hosts no DID
document for it: its domain does), and a tampered endorsement, or one whose key the vendored
document no longer lists, is refused at its line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.issuer.keys import read_private_key
from generator.openbadges.multikey import public_key_multibase
from generator.site import build as orchestrator
from generator.site.model.problems import BuildFailed

from .conftest import ROOT, copy_site
from .credential_fixtures import ok
from .test_standard_schemas import endorsement_schema_errors

KEY = ROOT / "tests" / "keys" / "partenaire-exemple.test-only.pem"
OTHER_KEY = ROOT / "tests" / "keys" / "employeurs-exemple.test-only.pem"
SLUG = "partenaire-exemple"
DID = "did:web:partenaire.example.org"
BASE = "https://example.org/test-network/"
AT = "2025-06-02T00:00:00Z"


def did_document(key: Path) -> dict[str, object]:
    """The DID document did:web:partenaire.example.org resolves to, listing key's public key."""
    method = {
        "id": f"{DID}#key-1",
        "type": "Multikey",
        "controller": DID,
        "publicKeyMultibase": public_key_multibase(read_private_key(key)),
    }
    return {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": DID,
        "verificationMethod": [method],
        "assertionMethod": [method["id"]],
    }


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return endorser_site(tmp_path / "source")


def endorser_site(target: Path) -> Path:
    """The minimal site with the endorser, its vendored DID document, and one endorsement of
    laser-debutant signed by `endorse`."""
    root = copy_site("minimal", target)
    endorsers = root / "content" / "endorsers"
    endorsers.mkdir()
    (endorsers / f"{SLUG}.yaml").write_text(
        "name: Partenaire Exemple (organisation fictive)\n"
        "url: https://partenaire.example.org\n"
        "description: Une organisation fictive qui signe avec le DID de son propre domaine.\n"
        f"did: {DID}\n",
        "utf-8",
    )
    (endorsers / f"{SLUG}.did.json").write_text(json.dumps(did_document(KEY), indent=2), "utf-8")
    ok(
        "endorse", "--source", root, "--endorser", SLUG, "--badge", "laser-debutant",
        "--key-file", KEY, "--comment", "Un **savoir-faire** que nous recherchons.", at=AT,
    )  # fmt: skip
    return root


def endorsement(root: Path) -> Path:
    [path] = (root / "assertions" / SLUG / "endorsements").glob("2*.json")
    return path


def errors(root: Path) -> list[str]:
    with pytest.raises(BuildFailed) as failed:
        orchestrator.check(root)
    return [str(problem) for problem in failed.value.problems if problem.severity == "error"]


def test_signed_with_its_own_did_verified_and_published(site: Path, tmp_path: Path) -> None:
    path = endorsement(site)
    document = json.loads(path.read_text("utf-8"))
    assert document["issuer"]["id"] == DID
    assert document["proof"][0]["verificationMethod"] == f"{DID}#key-1"
    out = tmp_path / "out"
    orchestrator.build(site, out)
    published = out / "endorsements" / path.name
    assert published.read_bytes() == path.read_bytes()
    # 1EdTech's two EndorsementCredential schemas (tests/standards/ob-v3p0/)
    found = endorsement_schema_errors(document)
    assert len(found) == 2 and all(errors == [] for errors in found.values()), found
    status = json.loads((out / "endorsements" / "status" / f"{SLUG}.json").read_text("utf-8"))
    assert status["issuer"] == DID
    achievement = json.loads((out / "badges" / "laser-debutant" / "achievement.json").read_text())
    assert [e["id"] for e in achievement["endorsement"]] == [f"{BASE}endorsements/{path.name}"]
    page = (out / "badges" / "laser-debutant" / "index.html").read_text("utf-8")
    assert "Partenaire Exemple (organisation fictive)" in page
    assert "<strong>savoir-faire</strong>" in page
    # its own domain publishes its DID document: the site hosts none for it
    assert not (out / "endorsers" / SLUG / "did.json").exists()


def test_a_tampered_endorsement_is_refused_at_its_line(site: Path) -> None:
    path = endorsement(site)
    text = path.read_text("utf-8")
    path.write_text(text.replace("savoir-faire", "savoir-vivre"), "utf-8")
    proof = 1 + text.splitlines().index('  "proof": [')
    assert errors(site) == [
        f"{path.relative_to(site).as_posix()}:{proof}: error: signature does not match: the "
        f"credential or its proof was changed after signing, or {DID}#key-1 is not the key that "
        "signed it; this endorsement is not published"
    ]


def test_a_key_the_vendored_document_does_not_list_signs_nothing(site: Path) -> None:
    """The vendored DID document is what the build trusts: replace its key with another, and
    the endorsement signed with the first no longer verifies."""
    vendored = site / "content" / "endorsers" / f"{SLUG}.did.json"
    vendored.write_text(json.dumps(did_document(OTHER_KEY), indent=2), "utf-8")
    folder = endorsement(site).parent.relative_to(site).as_posix()
    found = errors(site)
    assert [line.split(": error: ")[0].rsplit(":", 1)[0] for line in found] == [
        f"{folder}/{endorsement(site).name}",
        f"{folder}/status-list.json",  # signed with the same key
    ]
    assert all("signature does not match" in line for line in found), found


def test_a_vendored_document_of_another_did_is_refused_at_its_line(site: Path) -> None:
    vendored = site / "content" / "endorsers" / f"{SLUG}.did.json"
    document = did_document(KEY) | {"id": "did:web:ailleurs.example.org"}
    vendored.write_text(json.dumps(document, indent=2), "utf-8")
    found = errors(site)
    assert any(
        line.startswith(f"content/endorsers/{SLUG}.did.json:6: error: this DID document is of "
                        f"'did:web:ailleurs.example.org', not of {DID}")
        for line in found
    ), found  # fmt: skip

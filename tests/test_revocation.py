"""Revocation end to end: `revoke` writes a signed record and status list, the build publishes
the stripped assertion and the revocation list, and every way of verifying says REVOKED."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from generator.issuer.keys import read_private_key
from generator.openbadges import statuslist
from generator.openbadges.credential import REVOCATION_LIST_CONTEXT
from generator.openbadges.dataintegrity import sign, verify
from generator.openbadges.multikey import decode_public_key, public_key_multibase

from .credential_fixtures import (
    ALICE,
    ATELIER_DID,
    BASE_URL,
    Run,
    SignedNetwork,
    assertion_url,
    copy_network,
    credential_url,
    keygen,
    line_of,
    ok,
    read_json,
    run,
    shared_network,
    snapshot,
    write_json,
)

REASON = "Délivré par erreur : l'évaluation pratique n'était pas validée."
REVOKED_AT = "2025-06-01T09:00:00Z"


def revoke(network: SignedNetwork, credential: str | Path, key_file: Path | None = None) -> Run:
    return run(
        "revoke", credential, "--source", network.site, "--reason", REASON,
        "--key-file", key_file or network.key_file, at=REVOKED_AT,
    )  # fmt: skip


def record_of(network: SignedNetwork, credential: Path) -> Path:
    return network.site / "assertions" / "atelier" / "revocations" / credential.name


def index_of(credential: Path) -> int:
    return int(read_json(credential)["credentialStatus"]["statusListIndex"])


def encoded_list(network: SignedNetwork) -> str:
    return str(read_json(network.status_list)["credentialSubject"]["encodedList"])


@pytest.fixture(params=["relative-path", "absolute-path", "id-url"])
def revoked(request: pytest.FixtureRequest, network: SignedNetwork) -> SignedNetwork:
    """The network with its laser credential revoked, named one of three ways."""
    credential = {
        "relative-path": network.relative(network.laser),
        "absolute-path": str(network.laser),
        "id-url": credential_url(network.laser),
    }[request.param]
    before = network.laser.read_bytes()
    result = revoke(network, credential)
    assert result.code == 0, result.err
    assert f"revoked: record {record_of(network, network.laser)}" in result.out
    assert network.laser.read_bytes() == before
    return network


def test_revoke_sets_the_status_bit_of_that_credential_only(revoked: SignedNetwork) -> None:
    encoded = encoded_list(revoked)
    assert statuslist.is_set(encoded, index_of(revoked.laser))
    for other in (revoked.accueil, revoked.expired):
        assert not statuslist.is_set(encoded, index_of(other))


def test_revoke_re_signs_the_status_list(revoked: SignedNetwork) -> None:
    status = read_json(revoked.status_list)
    assert status["proof"][0]["created"] == REVOKED_AT
    assert status["validFrom"] == REVOKED_AT
    key = read_private_key(revoked.key_file).public_key()
    verify(status, key.public_bytes_raw())


def test_revoke_writes_a_signed_record(revoked: SignedNetwork) -> None:
    record = read_json(record_of(revoked, revoked.laser))
    assert record["issuer"] == ATELIER_DID
    assert record["description"] == REASON
    assert record["validFrom"] == REVOKED_AT
    assert record["credentialSubject"] == {"id": credential_url(revoked.laser)}
    assert record["proof"][0]["verificationMethod"] == f"{ATELIER_DID}#key-1"
    verify(record, read_private_key(revoked.key_file).public_key().public_bytes_raw())


@pytest.fixture(scope="session")
def revoked_and_built(tmp_path_factory: pytest.TempPathFactory) -> SignedNetwork:
    """A copy of the signed network with its laser credential revoked, built, once per
    session; tests only read it."""
    network = copy_network(shared_network(tmp_path_factory), tmp_path_factory.mktemp("revoked"))
    assert revoke(network, network.relative(network.laser)).code == 0
    ok("build", "--source", network.site, "--out", network.out)
    return network


def test_the_hosted_assertion_becomes_the_stripped_body(revoked_and_built: SignedNetwork) -> None:
    network = revoked_and_built
    assertion = read_json(network.award_dir(network.laser) / "assertion.json")
    assert assertion == {
        "@context": "https://w3id.org/openbadges/v2",
        "id": assertion_url(network.laser),
        "type": "Assertion",
        "revoked": True,
        "revocationReason": REASON,
    }


def test_the_credential_stays_published_verbatim(revoked_and_built: SignedNetwork) -> None:
    network = revoked_and_built
    published = network.award_dir(network.laser) / "credential.json"
    assert published.read_bytes() == network.laser.read_bytes()
    status = network.out / "issuers" / "atelier" / "status" / "revocation.json"
    assert status.read_bytes() == network.status_list.read_bytes()


def test_the_revocation_list_gives_the_reason(revoked_and_built: SignedNetwork) -> None:
    network = revoked_and_built
    listed = read_json(network.out / "issuers" / "atelier" / "status" / "revocation-list.json")
    assert listed == {
        "@context": REVOCATION_LIST_CONTEXT,
        "id": f"{BASE_URL}issuers/atelier/status/revocation-list.json",
        "issuer": ATELIER_DID,
        "revokedCredentials": [{"id": credential_url(network.laser), "revocationReason": REASON}],
    }


def test_the_award_page_says_revoked(revoked_and_built: SignedNetwork) -> None:
    page = (revoked_and_built.award_dir(revoked_and_built.laser) / "index.html").read_text("utf-8")
    assert "Badge révoqué" in page
    assert REASON.replace("'", "&#39;") in page or REASON in page


def test_other_awards_are_untouched(revoked_and_built: SignedNetwork) -> None:
    network = revoked_and_built
    assertion = read_json(network.award_dir(network.accueil) / "assertion.json")
    assert "revoked" not in assertion
    assert assertion["recipient"]["hashed"] is True


@pytest.mark.parametrize(
    "target",
    [
        "credential-file",
        "credential-file-with-site",
        "assertion-url",
        "credential-url",
        "baked-png",
    ],
)
def test_verify_says_revoked(revoked_and_built: SignedNetwork, target: str) -> None:
    network = revoked_and_built
    award = network.award_dir(network.laser)
    site = ["--site", network.out]
    argv = {
        "credential-file": [network.laser],
        "credential-file-with-site": [network.laser, *site],
        "assertion-url": [assertion_url(network.laser), *site],
        "credential-url": [credential_url(network.laser), *site],
        "baked-png": [award / "badge.png", *site],
    }[target]
    result = run("verify", *argv, "--source", network.site)
    assert result.code == 1
    assert "REVOKED" in result.out
    assert REASON in result.out
    assert "VALID" not in result.out.replace("REVOKED", "")


def test_a_second_revocation_keeps_the_first(network: SignedNetwork) -> None:
    assert revoke(network, network.relative(network.laser)).code == 0
    second = run(
        "revoke", network.relative(network.expired), "--source", network.site,
        "--reason", "Autre raison.", "--key-file", network.key_file, at="2025-07-01T09:00:00Z",
    )  # fmt: skip
    assert second.code == 0, second.err
    encoded = encoded_list(network)
    assert statuslist.is_set(encoded, index_of(network.laser))
    assert statuslist.is_set(encoded, index_of(network.expired))
    assert not statuslist.is_set(encoded, index_of(network.accueil))
    ok("build", "--source", network.site, "--out", network.out)
    listed = read_json(network.out / "issuers" / "atelier" / "status" / "revocation-list.json")
    assert sorted(listed["revokedCredentials"], key=lambda item: item["id"]) == sorted(
        [
            {"id": credential_url(network.laser), "revocationReason": REASON},
            {"id": credential_url(network.expired), "revocationReason": "Autre raison."},
        ],
        key=lambda item: item["id"],
    )


def test_revoking_twice_is_refused(network: SignedNetwork) -> None:
    assert revoke(network, network.relative(network.laser)).code == 0
    before = snapshot(network.site)
    result = revoke(network, credential_url(network.laser))
    assert result.code == 1
    assert f"error: {network.relative(network.laser)} is already revoked" in result.err
    assert snapshot(network.site) == before


@pytest.mark.parametrize(
    ("credential", "key", "reason", "message"),
    [
        ("assertions/atelier/20990101-00000000.json", "atelier", REASON, "error: no credential"),
        (
            f"{BASE_URL}awards/atelier/nope/credential.json",
            "atelier",
            REASON,
            "error: no credential",
        ),
        ("LASER", "fablab", REASON, "does not match atelier's current published key 'key-1'"),
        ("LASER", "atelier", "   ", "error: give a --reason"),
    ],
    ids=["unknown-file", "unknown-url", "key-of-another-issuer", "empty-reason"],
)
def test_revoke_refuses(
    network: SignedNetwork, credential: str, key: str, reason: str, message: str
) -> None:
    before = snapshot(network.site)
    key_file = network.key_file if key == "atelier" else network.fablab_key_file
    target = network.relative(network.laser) if credential == "LASER" else credential
    result = run(
        "revoke", target, "--source", network.site, "--reason", reason, "--key-file", key_file,
        at=REVOKED_AT,
    )  # fmt: skip
    assert result.code == 1
    assert message in result.err
    assert snapshot(network.site) == before


def test_revoke_after_rotation_signs_with_the_new_key(network: SignedNetwork) -> None:
    new_key = network.keys / "atelier-2.pem"
    keygen(network.site, "atelier", new_key, "2025-01-15T09:00:00Z")
    assert revoke(network, network.relative(network.laser)).code == 1  # the old key is refused
    result = revoke(network, network.relative(network.laser), new_key)
    assert result.code == 0, result.err
    record = read_json(record_of(network, network.laser))
    assert record["proof"][0]["verificationMethod"] == f"{ATELIER_DID}#key-2"
    ok("build", "--source", network.site, "--out", network.out)
    assert read_json(network.award_dir(network.laser) / "assertion.json")["revoked"] is True


def test_a_revoked_badge_can_be_issued_again_to_the_same_person(network: SignedNetwork) -> None:
    assert revoke(network, network.relative(network.laser)).code == 0
    result = run(
        "issue", "--source", network.site, "--issuer", "atelier", "--badge", "laser-debutant",
        "--key-file", network.key_file, "--recipient", ALICE, at="2025-06-02T09:00:00Z",
    )  # fmt: skip
    assert result.code == 0, result.err
    assert result.out.endswith("1 credential(s) issued, 0 skipped\n")


# Hand-edited status lists and records are refused -----------------------------------------


def _clear_bit(network: SignedNetwork) -> tuple[Path, str]:
    status = read_json(network.status_list)
    status["credentialSubject"]["encodedList"] = statuslist.encode_status_list(set())
    write_json(network.status_list, status)
    return network.status_list, "signature does not match"


def _signed_by_nobody(network: SignedNetwork) -> tuple[Path, str]:
    status = read_json(network.status_list)
    del status["proof"]
    status["credentialSubject"]["encodedList"] = statuslist.encode_status_list(set())
    stranger = Ed25519PrivateKey.generate()
    write_json(network.status_list, sign(status, stranger, f"{ATELIER_DID}#key-1", REVOKED_AT))
    return network.status_list, "signature does not match"


def _signed_by_another_issuer(network: SignedNetwork) -> tuple[Path, str]:
    status = read_json(network.status_list)
    del status["proof"]
    status["credentialSubject"]["encodedList"] = statuslist.encode_status_list(set())
    key = read_private_key(network.fablab_key_file)
    fablab = "did:web:example.org:test-network:issuers:fablab#key-1"
    write_json(network.status_list, sign(status, key, fablab, REVOKED_AT))
    return network.status_list, "which is not a key of atelier"


def _proof_removed(network: SignedNetwork) -> tuple[Path, str]:
    status = read_json(network.status_list)
    del status["proof"]
    write_json(network.status_list, status)
    return network.status_list, "the document has no proof"


def _status_list_deleted(network: SignedNetwork) -> tuple[Path, str]:
    network.status_list.unlink()
    return network.laser, "assertions/atelier/status-list.json is missing"


def _bit_cleared_by_the_issuer(network: SignedNetwork) -> tuple[Path, str]:
    """Validly signed, but the record says revoked: the two must agree."""
    status = read_json(network.status_list)
    del status["proof"]
    status["credentialSubject"]["encodedList"] = statuslist.encode_status_list(set())
    key = read_private_key(network.key_file)
    write_json(network.status_list, sign(status, key, f"{ATELIER_DID}#key-1", REVOKED_AT))
    return network.laser, "has a revocation record but is not revoked in the status list"


def _record_deleted(network: SignedNetwork) -> tuple[Path, str]:
    record_of(network, network.laser).unlink()
    return network.laser, "revoked in the status list but has no revocation record"


def _record_reason_edited(network: SignedNetwork) -> tuple[Path, str]:
    path = record_of(network, network.laser)
    record = read_json(path)
    record["description"] = "Une autre raison."
    write_json(path, record)
    return path, "signature does not match"


def _record_for_another_credential(network: SignedNetwork) -> tuple[Path, str]:
    path = record_of(network, network.laser)
    path.rename(record_of(network, network.accueil))
    return record_of(
        network, network.accueil
    ), "credentialSubject.id must be the revoked credential"


TAMPERING: dict[str, Callable[[SignedNetwork], tuple[Path, str]]] = {
    "status-bit-cleared": _clear_bit,
    "status-list-signed-by-nobody": _signed_by_nobody,
    "status-list-signed-by-another-issuer": _signed_by_another_issuer,
    "status-list-proof-removed": _proof_removed,
    "status-list-deleted": _status_list_deleted,
    "status-bit-cleared-and-re-signed-by-the-issuer": _bit_cleared_by_the_issuer,
    "revocation-record-deleted": _record_deleted,
    "revocation-record-reason-edited": _record_reason_edited,
    "revocation-record-renamed": _record_for_another_credential,
}


@pytest.mark.parametrize("tamper", TAMPERING.values(), ids=TAMPERING.keys())
def test_hand_edited_revocation_data_is_refused(
    network: SignedNetwork, tamper: Callable[[SignedNetwork], tuple[Path, str]]
) -> None:
    assert revoke(network, network.relative(network.laser)).code == 0
    ok("build", "--source", network.site, "--out", network.out)
    path, message = tamper(network)
    relative = network.relative(path)
    result = run("check", "--source", network.site)
    assert result.code == 1
    assert any(
        line.startswith(f"{relative}:") and message in line for line in result.err.splitlines()
    ), result.err
    before = snapshot(network.out)
    assert run("build", "--source", network.site, "--out", network.out).code == 1
    assert snapshot(network.out) == before


def test_a_status_list_bit_set_by_hand_is_refused(network: SignedNetwork) -> None:
    """Revoking without the key (no record, no valid signature) is refused too."""
    status = read_json(network.status_list)
    status["credentialSubject"]["encodedList"] = statuslist.encode_status_list(
        {index_of(network.accueil)}
    )
    write_json(network.status_list, status)
    result = run("check", "--source", network.site)
    assert result.code == 1
    line = line_of(network.status_list, '"proof"')
    assert (
        f"{network.relative(network.status_list)}:{line}: error: signature does not match"
        in result.err
    )


def test_the_did_document_publishes_the_key_that_signs_the_status_list(
    revoked_and_built: SignedNetwork,
) -> None:
    network = revoked_and_built
    did = read_json(network.out / "issuers" / "atelier" / "did.json")
    status = read_json(network.out / "issuers" / "atelier" / "status" / "revocation.json")
    method = status["proof"][0]["verificationMethod"]
    [key] = [m for m in did["verificationMethod"] if m["id"] == method]
    assert key["publicKeyMultibase"] == public_key_multibase(read_private_key(network.key_file))
    verify(status, decode_public_key(key["publicKeyMultibase"]))

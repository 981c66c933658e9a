"""eddsa-jcs-2022 proofs and proof sets, against the W3C test vectors, and did:key methods."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import base58
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from generator.openbadges.dataintegrity import ProofError
from generator.openbadges.eddsa_jcs import (
    canonical,
    hash_data,
    proofs_of,
    sign_proof,
    signer_of,
    with_proof,
)
from generator.openbadges.multikey import (
    did_key_method,
    key_of_did_key_method,
    public_key_multibase,
)

VECTORS = Path(__file__).resolve().parents[1] / "vectors" / "eddsa-jcs-2022"
CREATED = "2026-03-01T10:00:00Z"


def text(name: str) -> str:
    return (VECTORS / name).read_text("utf-8").strip()


def signed_vector() -> dict[str, Any]:
    value: dict[str, Any] = json.loads(text("signedJCS.json"))
    return value


def vector_private_key() -> Ed25519PrivateKey:
    """The vector's key: multicodec ed25519-priv (0x80 0x26), then the 32-byte seed."""
    encoded = json.loads(text("keyPair.test-only.json"))["privateKeyMultibase"]
    decoded = base58.b58decode(encoded[1:])
    assert decoded[:2] == b"\x80\x26"
    return Ed25519PrivateKey.from_private_bytes(decoded[2:])


def test_the_w3c_vector_canonicalises_and_hashes_byte_for_byte() -> None:
    signed = signed_vector()
    unsecured = {key: value for key, value in signed.items() if key != "proof"}
    options = {key: value for key, value in signed["proof"].items() if key != "proofValue"}
    assert canonical(unsecured).decode("utf-8") == text("canonDocJCS.txt")
    assert canonical(options).decode("utf-8") == text("proofCanonJCS.txt")
    assert hash_data(unsecured, options).hex() == text("combinedHashJCS.txt")


def test_the_w3c_vector_verifies_and_names_its_did_key() -> None:
    signed = signed_vector()
    (proof,) = proofs_of(signed)
    assert (
        signer_of(signed, proof) == json.loads(text("keyPair.test-only.json"))["publicKeyMultibase"]
    )


def test_signing_the_w3c_vector_gives_its_proof_value() -> None:
    signed = signed_vector()
    unsecured = {key: value for key, value in signed.items() if key != "proof"}
    proof = sign_proof(unsecured, vector_private_key(), signed["proof"]["created"])
    assert proof == signed["proof"]
    assert proof["proofValue"] == text("sigBTC58JCS.txt")


def test_a_changed_document_or_proof_does_not_verify() -> None:
    signed = signed_vector()
    changed = {**signed, "name": "Forged Credential"}
    with pytest.raises(ProofError, match="signature does not match"):
        signer_of(changed, signed["proof"])
    later = {**signed["proof"], "created": "2024-02-24T23:36:38Z"}
    with pytest.raises(ProofError, match="signature does not match"):
        signer_of(signed, later)


def entry() -> dict[str, Any]:
    return {"type": "KeyHistoryEntry", "issuer": "biklab", "version": 1, "keys": []}


def test_a_proof_set_holds_independent_proofs_in_any_order() -> None:
    first, second = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    one = with_proof(entry(), sign_proof(entry(), first, CREATED))
    both = with_proof(one, sign_proof(one, second, CREATED))
    assert [signer_of(both, proof) for proof in proofs_of(both)] == [
        public_key_multibase(first),
        public_key_multibase(second),
    ]
    # Each proof signs the document without the set: either one alone still verifies.
    alone = {**entry(), "proof": [proofs_of(both)[1]]}
    assert signer_of(alone, proofs_of(alone)[0]) == public_key_multibase(second)
    assert "@context" not in proofs_of(both)[0]


def test_a_proof_by_a_key_that_is_not_a_did_key_is_refused() -> None:
    key = Ed25519PrivateKey.generate()
    proof = sign_proof(entry(), key, CREATED)
    multibase = public_key_multibase(key)
    for method in (f"did:web:example.org#{multibase}", f"did:key:{multibase}#key-1"):
        with pytest.raises(ProofError, match="is not a did:key"):
            signer_of({**entry(), "proof": [proof]}, {**proof, "verificationMethod": method})


def test_another_cryptosuite_and_a_proofless_document_are_refused() -> None:
    proof = sign_proof(entry(), Ed25519PrivateKey.generate(), CREATED)
    with pytest.raises(ProofError, match="only 'eddsa-jcs-2022'"):
        signer_of(entry(), {**proof, "cryptosuite": "eddsa-rdfc-2022"})
    with pytest.raises(ProofError, match="has no proof"):
        proofs_of(entry())
    with pytest.raises(ProofError, match="empty"):
        proofs_of({**entry(), "proof": []})


def test_did_key_methods_round_trip_and_refuse_other_keys() -> None:
    multibase = public_key_multibase(Ed25519PrivateKey.generate())
    method = did_key_method(multibase)
    assert method == f"did:key:{multibase}#{multibase}"
    assert key_of_did_key_method(method) == multibase
    not_ed25519 = "z" + base58.b58encode(b"\x12\x00" + hashlib.sha256(b"x").digest()).decode()
    with pytest.raises(ValueError, match="not an Ed25519 key"):
        key_of_did_key_method(f"did:key:{not_ed25519}#{not_ed25519}")

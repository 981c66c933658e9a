"""eddsa-rdfc-2022 Data Integrity proofs, JSON-LD safe-mode checks and Ed25519 Multikeys."""

from __future__ import annotations

import copy
import json
import re
import socket
from pathlib import Path
from typing import Any

import base58
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pyld import jsonld as pyld

from generator.openbadges import jsonld
from generator.openbadges.dataintegrity import ProofError, proof_of, sign, verify
from generator.openbadges.jsonld import (
    JsonLdError,
    canonicalize,
    load_context,
    undefined_terms,
)
from generator.openbadges.multikey import (
    decode_public_key,
    encode_public_key,
    public_key_multibase,
    raw_public_key,
)

VECTORS = Path(__file__).resolve().parents[1] / "vectors"
VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB_EXTENSIONS = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"
VERIFICATION_METHOD = "did:web:badges.example.org#key-1"
CREATED = "2024-05-01T12:00:00Z"


def vector(name: str) -> Any:
    return json.loads((VECTORS / name).read_text(encoding="utf-8"))


def vector_key() -> bytes:
    issuer = vector("issuer-565049.json")
    return decode_public_key(issuer["verificationMethod"][0]["publicKeyMultibase"])


def profile() -> dict[str, Any]:
    return {
        "id": "did:web:badges.example.org",
        "type": ["Profile"],
        "name": "Fab@brest",
        "url": "https://badges.example.org/",
        "email": "contact@badges.example.org",
    }


def credential() -> dict[str, Any]:
    """A realistic OpenBadgeCredential using every term the generator emits."""
    return {
        "@context": [VC_V2, OB_V3, OB_EXTENSIONS],
        "id": "https://badges.example.org/credentials/3f2a.json",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": "Découpe laser : premiers pas",
        "issuer": profile(),
        "validFrom": "2024-05-01T00:00:00Z",
        "validUntil": "2027-05-01T00:00:00Z",
        "awardedDate": "2024-05-01T00:00:00Z",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "emailAddress",
                    "hashed": True,
                    "salt": "6Kc1yZ",
                    "identityHash": "sha256$" + "ab" * 32,
                }
            ],
            "achievement": {
                "id": "https://badges.example.org/badges/laser-1",
                "type": ["Achievement"],
                "name": "Découpe laser",
                "description": "Utiliser la découpeuse laser en sécurité.",
                "criteria": {"narrative": "Avoir découpé une pièce sous supervision."},
                "image": {"id": "https://badges.example.org/badges/laser-1.png", "type": "Image"},
                "creator": profile(),
                "tag": ["laser", "fablab"],
                "alignment": [
                    {
                        "type": ["Alignment"],
                        "targetName": "Sécurité machine",
                        "targetUrl": "https://example.org/frameworks/safety",
                        "targetFramework": "Fab Lab safety",
                        "targetCode": "S1",
                    }
                ],
            },
        },
        "evidence": [
            {
                "id": "https://badges.example.org/evidence/3f2a",
                "type": ["Evidence"],
                "narrative": "Pièce découpée le 30 avril.",
            }
        ],
        "credentialStatus": [
            {
                "id": "https://badges.example.org/status/1#7",
                "type": "BitstringStatusListEntry",
                "statusPurpose": "revocation",
                "statusListIndex": "7",
                "statusListCredential": "https://badges.example.org/status/1",
            },
            {"id": "https://badges.example.org/revocations.json", "type": "1EdTechRevocationList"},
        ],
    }


@pytest.fixture(scope="module")
def private_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


@pytest.fixture(scope="module")
def signed(private_key: Ed25519PrivateKey) -> dict[str, Any]:
    return sign(credential(), private_key, VERIFICATION_METHOD, CREATED)


# --- the official test vector, byte for byte -------------------------------------------


def test_vector_document_canonical_form_is_byte_for_byte() -> None:
    expected = (VECTORS / "obv3-document-canon.txt").read_bytes()
    document = vector("obv3-signed-example.json")
    del document["proof"]
    # N-Quads end every statement with a newline, the last one included.
    assert expected.endswith(b" .\n")
    assert canonicalize(document).encode("utf-8") == expected


def test_vector_proof_options_canonical_form_is_byte_for_byte() -> None:
    expected = (VECTORS / "obv3-proof-canon.txt").read_bytes()
    document = vector("obv3-signed-example.json")
    proof_options = {key: value for key, value in document["proof"].items() if key != "proofValue"}
    proof_options["@context"] = document["@context"]
    assert expected.endswith(b" .\n")
    assert canonicalize(proof_options).encode("utf-8") == expected


def test_vector_verifies_with_the_issuer_key() -> None:
    verify(vector("obv3-signed-example.json"), vector_key())


def test_vector_fails_with_another_key(private_key: Ed25519PrivateKey) -> None:
    with pytest.raises(ProofError, match="signature does not match"):
        verify(vector("obv3-signed-example.json"), raw_public_key(private_key))


def test_canonicalization_is_rdfc_1_0_not_pyld_default() -> None:
    # The vector has one blank node per graph, where URGNA2012 (pyld's default) and
    # RDFC-1.0 agree; this credential has several, where they differ.
    document = credential()
    options: dict[str, Any] = {
        "documentLoader": jsonld.document_loader,
        "format": "application/n-quads",
    }
    rdfc = pyld.normalize(document, {**options, "algorithm": "URDNA2015"})
    urgna = pyld.normalize(document, {**options, "algorithm": "URGNA2012"})
    assert rdfc != urgna
    assert canonicalize(document) == rdfc


def test_vector_has_no_undefined_terms() -> None:
    assert undefined_terms(vector("obv3-signed-example.json")) == []


# --- Multikey ------------------------------------------------------------------------


def test_vector_key_decodes_to_32_bytes_and_reencodes_identically() -> None:
    multibase = vector("issuer-565049.json")["verificationMethod"][0]["publicKeyMultibase"]
    raw = decode_public_key(multibase)
    assert len(raw) == 32
    assert encode_public_key(raw) == multibase


def test_multikey_round_trip(private_key: Ed25519PrivateKey) -> None:
    multibase = public_key_multibase(private_key)
    assert multibase.startswith("z6Mk")
    assert decode_public_key(multibase) == raw_public_key(private_key)


@pytest.mark.parametrize(
    ("multibase", "message"),
    [
        ("6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi", "does not start with 'z'"),
        ("uZXhhbXBsZQ", "does not start with 'z'"),
        ("z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hw0", "not valid base58btc"),
        ("z" + base58.b58encode(b"\xe7\x01" + bytes(33)).decode(), "not an Ed25519 key"),
        ("z" + base58.b58encode(b"\xed\x01" + bytes(31)).decode(), "holds 31 key bytes"),
        ("z" + base58.b58encode(b"\xed\x01" + bytes(33)).decode(), "holds 33 key bytes"),
        ("z", "not an Ed25519 key"),
    ],
)
def test_bad_multibase_is_refused(multibase: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        decode_public_key(multibase)


def test_encoding_a_key_of_the_wrong_length_is_refused() -> None:
    with pytest.raises(ValueError, match="32 bytes, not 33"):
        encode_public_key(bytes(33))


# --- sign and verify -----------------------------------------------------------------


def test_sign_adds_one_proof_in_an_array_and_leaves_the_input_alone(
    private_key: Ed25519PrivateKey,
) -> None:
    unsigned = credential()
    signed = sign(unsigned, private_key, VERIFICATION_METHOD, CREATED)
    assert unsigned == credential()
    assert {key: value for key, value in signed.items() if key != "proof"} == unsigned
    [proof] = signed["proof"]
    assert proof == {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-rdfc-2022",
        "created": CREATED,
        "verificationMethod": VERIFICATION_METHOD,
        "proofPurpose": "assertionMethod",
        "proofValue": proof["proofValue"],
    }
    assert len(base58.b58decode(proof["proofValue"][1:])) == 64


def test_signing_is_deterministic(private_key: Ed25519PrivateKey, signed: dict[str, Any]) -> None:
    # Ed25519 and RDFC-1.0 are both deterministic: any difference would be a bug.
    assert sign(credential(), private_key, VERIFICATION_METHOD, CREATED) == signed


def test_sign_then_verify(private_key: Ed25519PrivateKey, signed: dict[str, Any]) -> None:
    verify(signed, raw_public_key(private_key))
    # The proof as an object, as some issuers write it, verifies too.
    verify({**signed, "proof": signed["proof"][0]}, raw_public_key(private_key))


def test_key_order_does_not_matter(private_key: Ed25519PrivateKey, signed: dict[str, Any]) -> None:
    reordered = dict(reversed(list(signed.items())))
    verify(reordered, raw_public_key(private_key))


def test_wrong_key_fails(signed: dict[str, Any]) -> None:
    other = Ed25519PrivateKey.generate()
    with pytest.raises(ProofError, match="signature does not match"):
        verify(signed, raw_public_key(other))


def test_key_of_the_wrong_length_fails(signed: dict[str, Any]) -> None:
    with pytest.raises(ProofError, match="31 bytes"):
        verify(signed, bytes(31))


def _other_proof_value(private_key: Ed25519PrivateKey) -> str:
    other = sign({**credential(), "name": "Autre"}, private_key, VERIFICATION_METHOD, CREATED)
    value: str = other["proof"][0]["proofValue"]
    return value


TAMPERINGS: dict[str, Any] = {
    "top-level name": lambda d, k: d.update(name="Découpe laser : expert"),
    "validUntil": lambda d, k: d.update(validUntil="2099-01-01T00:00:00Z"),
    "issuer name": lambda d, k: d["issuer"].update(name="Someone else"),
    "achievement name": lambda d, k: d["credentialSubject"]["achievement"].update(name="X"),
    "identity hash": lambda d, k: d["credentialSubject"]["identifier"][0].update(
        identityHash="sha256$" + "cd" * 32
    ),
    "status index": lambda d, k: d["credentialStatus"][0].update(statusListIndex="8"),
    "added evidence": lambda d, k: d["evidence"].append(
        {"id": "https://badges.example.org/evidence/x", "type": ["Evidence"]}
    ),
    "proof created": lambda d, k: d["proof"][0].update(created="2024-05-02T12:00:00Z"),
    "proof verificationMethod": lambda d, k: d["proof"][0].update(
        verificationMethod="did:web:badges.example.org#key-2"
    ),
    "proof proofValue": lambda d, k: d["proof"][0].update(proofValue=_other_proof_value(k)),
}


@pytest.mark.parametrize("tampering", sorted(TAMPERINGS))
def test_tampering_makes_verification_fail(
    tampering: str, private_key: Ed25519PrivateKey, signed: dict[str, Any]
) -> None:
    document = copy.deepcopy(signed)
    TAMPERINGS[tampering](document, private_key)
    with pytest.raises(ProofError, match="signature does not match"):
        verify(document, raw_public_key(private_key))


# --- proof shape ---------------------------------------------------------------------


def test_a_proof_context_must_begin_the_document_context(
    private_key: Ed25519PrivateKey, signed: dict[str, Any]
) -> None:
    # https://www.w3.org/TR/vc-di-eddsa/#verify-proof-eddsa-rdfc-2022
    verify(_with_proof(signed, **{"@context": signed["@context"]}), raw_public_key(private_key))
    with pytest.raises(ProofError, match="not the beginning of the document's @context"):
        verify(_with_proof(signed, **{"@context": [OB_V3]}), raw_public_key(private_key))


def test_proof_of_accepts_an_object_or_a_one_item_array(signed: dict[str, Any]) -> None:
    [proof] = signed["proof"]
    assert proof_of(signed) == proof
    assert proof_of({**signed, "proof": proof}) == proof


def _with_proof(signed: dict[str, Any], **changes: Any) -> dict[str, Any]:
    proof = {**signed["proof"][0], **changes}
    return {**signed, "proof": [{k: v for k, v in proof.items() if v is not None}]}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"type": "Ed25519Signature2020"}, "proof type is 'Ed25519Signature2020'"),
        ({"cryptosuite": "eddsa-jcs-2022"}, "proof cryptosuite is 'eddsa-jcs-2022'"),
        ({"cryptosuite": None}, "proof cryptosuite is None"),
        ({"proofPurpose": "authentication"}, "proof proofPurpose is 'authentication'"),
        ({"verificationMethod": None}, "no verificationMethod"),
        ({"created": None}, "no created"),
        ({"created": "2024-05-01"}, "not a date-time with a time zone"),
        ({"created": "2024-05-01T12:00:00"}, "not a date-time with a time zone"),
        ({"proofValue": None}, "no proofValue"),
        ({"proofValue": "u" + "A" * 86}, "must start with 'z'"),
        ({"proofValue": "z0OIl"}, "not valid base58btc"),
        ({"proofValue": "z" + base58.b58encode(bytes(63)).decode()}, "63 bytes"),
    ],
)
def test_unfit_proofs_are_refused(
    changes: dict[str, Any], message: str, signed: dict[str, Any]
) -> None:
    document = _with_proof(signed, **changes)
    with pytest.raises(ProofError, match=message):
        proof_of(document)
    with pytest.raises(ProofError, match=message):
        verify(document, vector_key())


def test_missing_and_multiple_proofs_are_refused(signed: dict[str, Any]) -> None:
    unsigned = {key: value for key, value in signed.items() if key != "proof"}
    with pytest.raises(ProofError, match="no proof"):
        proof_of(unsigned)
    with pytest.raises(ProofError, match="2 proofs"):
        proof_of({**signed, "proof": signed["proof"] * 2})
    with pytest.raises(ProofError, match="0 proofs"):
        proof_of({**signed, "proof": []})


def test_sign_refuses_a_document_that_already_has_a_proof(
    private_key: Ed25519PrivateKey, signed: dict[str, Any]
) -> None:
    with pytest.raises(ProofError, match="already has a proof"):
        sign(signed, private_key, VERIFICATION_METHOD, CREATED)


def test_sign_refuses_a_created_without_time_zone(private_key: Ed25519PrivateKey) -> None:
    with pytest.raises(ProofError, match="time zone"):
        sign(credential(), private_key, VERIFICATION_METHOD, "2024-05-01T12:00:00")


# --- undefined terms (what jsonld.js safe mode rejects) -------------------------------


def test_realistic_credential_has_no_undefined_terms(signed: dict[str, Any]) -> None:
    assert undefined_terms(credential()) == []
    assert undefined_terms(signed) == []


def _changed(change: Any) -> dict[str, Any]:
    document = credential()
    change(document)
    return document


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d.update(colour="red"), ["colour"]),
        (lambda d: d["credentialSubject"].update(foo=1), ["credentialSubject.foo"]),
        (
            lambda d: d["credentialSubject"]["achievement"].update(foo=1),
            ["credentialSubject.achievement.foo"],
        ),
        (lambda d: d["evidence"][0].update(foo=1), ["evidence[0].foo"]),
        (lambda d: d["credentialStatus"][1].update(foo=1), ["credentialStatus[1].foo"]),
        # Terms of a type-scoped context do not leak to other types or upwards.
        (
            lambda d: d["credentialSubject"]["achievement"].update(email="a@b.c"),
            ["credentialSubject.achievement.email"],
        ),
        (lambda d: d.update(achievement="x"), ["achievement"]),
        (lambda d: d["issuer"].update(statusPurpose="x"), ["issuer.statusPurpose"]),
        (lambda d: d.update(cryptosuite="eddsa-rdfc-2022"), ["cryptosuite"]),
        # Type values that expand to no absolute IRI.
        (
            lambda d: d["credentialSubject"]["achievement"].update(type=["Achievement", "Badge"]),
            ['credentialSubject.achievement.type "Badge"'],
        ),
        # 1EdTechRevocationList is defined by the extensions context only.
        (
            lambda d: d.update({"@context": [VC_V2, OB_V3]}),
            ['credentialStatus[1].type "1EdTechRevocationList"'],
        ),
        # Relative IRIs: pyld would sign them resolved against http://example.org/base/.
        (lambda d: d["issuer"].update(id="fabbrest"), ['issuer.id "fabbrest"']),
        (
            lambda d: d["credentialSubject"]["achievement"].update(image="laser-1.png"),
            ['credentialSubject.achievement.image "laser-1.png"'],
        ),
    ],
)
def test_undefined_terms_are_reported_with_their_path(change: Any, expected: list[str]) -> None:
    assert undefined_terms(_changed(change)) == expected


def test_undefined_terms_in_a_proof_are_reported(signed: dict[str, Any]) -> None:
    document = copy.deepcopy(signed)
    document["proof"][0]["foo"] = "bar"
    assert undefined_terms(document) == ["proof[0].foo"]


def test_undefined_term_is_refused_by_canonicalize() -> None:
    with pytest.raises(JsonLdError, match=r"credentialSubject\.foo"):
        canonicalize(_changed(lambda d: d["credentialSubject"].update(foo=1)))


def test_undefined_term_is_refused_by_sign(private_key: Ed25519PrivateKey) -> None:
    document = _changed(lambda d: d.update(colour="red"))
    with pytest.raises(ProofError, match="not defined by the document's @context: colour;"):
        sign(document, private_key, VERIFICATION_METHOD, CREATED)


def test_undefined_term_is_refused_by_verify(
    private_key: Ed25519PrivateKey, signed: dict[str, Any]
) -> None:
    document = copy.deepcopy(signed)
    document["credentialSubject"]["foo"] = 1
    document["proof"][0]["foo"] = 1
    # Refused as undefined, before (and rather than) a mismatching signature.
    with pytest.raises(ProofError, match=r"credentialSubject\.foo, proof\.foo;"):
        verify(document, raw_public_key(private_key))


# --- contexts and the network ----------------------------------------------------------


def test_unknown_context_url_is_refused(private_key: Ed25519PrivateKey) -> None:
    url = "https://example.org/my-context.jsonld"
    with pytest.raises(JsonLdError, match=r"is not bundled; use one of: .*ns/credentials/v2"):
        load_context(url)
    document = {**credential(), "@context": [VC_V2, url]}
    not_bundled = re.escape(f"{url!r} is not bundled")
    with pytest.raises(JsonLdError, match=not_bundled):
        canonicalize(document)
    with pytest.raises(JsonLdError, match=not_bundled):
        undefined_terms(document)
    with pytest.raises(ProofError, match=not_bundled):
        sign(document, private_key, VERIFICATION_METHOD, CREATED)


def test_invalid_json_ld_is_refused_with_pyld_reason() -> None:
    document = _changed(lambda d: d["issuer"].update(id=5))
    with pytest.raises(JsonLdError, match=r'cannot canonicalize the document: .*"@id" value must'):
        canonicalize(document)


def test_non_json_values_are_refused() -> None:
    with pytest.raises(JsonLdError, match="not plain JSON"):
        canonicalize({**credential(), "validFrom": object()})


def test_load_context_returns_a_copy() -> None:
    context = load_context(VC_V2)
    context["@context"]["name"] = "https://example.org/name"
    assert load_context(VC_V2)["@context"]["name"] == "https://schema.org/name"


def test_no_network_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the network was used")

    monkeypatch.setattr(pyld, "_default_document_loader", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    # Empty every cache, so that the contexts really are loaded during this test.
    jsonld._parsed_context.cache_clear()
    jsonld._RESOLVED_CONTEXTS.clear()
    monkeypatch.setattr(pyld, "_resolved_context_cache", {})

    document = vector("obv3-signed-example.json")
    verify(document, vector_key())
    del document["proof"]
    expected = (VECTORS / "obv3-document-canon.txt").read_text(encoding="utf-8")
    assert canonicalize(document) == expected

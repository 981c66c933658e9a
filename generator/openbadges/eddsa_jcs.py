"""Data Integrity proofs with the eddsa-jcs-2022 cryptosuite (Ed25519 over JSON
Canonicalization, RFC 8785), by did:key verification methods, alone or in proof sets.

Spec: https://www.w3.org/TR/vc-di-eddsa/#eddsa-jcs-2022 . In short:
proof configuration = the proof without `proofValue` (with the document's `@context`, if it
has one); hashData = SHA-256(JCS(proof configuration)) || SHA-256(JCS(document without proof));
proofValue = "z" + base58btc(Ed25519 signature of hashData).

A proof set (https://www.w3.org/TR/vc-data-integrity/#proof-sets) is a list of proofs made
independently: each signs the document without any proof, so signers may add theirs in any
order, and removing one leaves the others valid.

Unlike eddsa-rdfc-2022 (dataintegrity.py), JCS signs the JSON itself, so it needs no JSON-LD
context: it suits plain JSON documents such as key histories.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

import base58
import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from generator.openbadges.dataintegrity import (
    PROOF_PURPOSE,
    PROOF_TYPE,
    ProofError,
    _check_created,
    _decode_proof_value,
    check_proof_fields,
)
from generator.openbadges.multikey import (
    decode_public_key,
    did_key_method,
    key_of_did_key_method,
    public_key_multibase,
)

CRYPTOSUITE = "eddsa-jcs-2022"


class SignatureMismatch(ProofError):
    """A well-formed proof whose signature is not of this document by this key."""


def canonical(value: Any) -> bytes:
    """The JCS (RFC 8785) serialisation of a JSON value; ProofError if it has none (a float
    that is not finite, an integer beyond 2^53)."""
    try:
        return rfc8785.dumps(value)
    except rfc8785.CanonicalizationError as error:
        raise ProofError(f"the document cannot be canonicalised (RFC 8785): {error}") from None


def hash_data(unsecured: Mapping[str, Any], proof_options: Mapping[str, Any]) -> bytes:
    """hashData of https://www.w3.org/TR/vc-di-eddsa/#hashing-eddsa-jcs-2022: the proof
    configuration's hash, then the document's."""
    proof_config = dict(proof_options)
    if "@context" in unsecured:
        proof_config["@context"] = unsecured["@context"]
    return (
        hashlib.sha256(canonical(proof_config)).digest()
        + hashlib.sha256(canonical(dict(unsecured))).digest()
    )


def proofs_of(document: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The document's proofs (a proof set: one object or a list); ProofError if there is none
    or one is not an object."""
    if "proof" not in document:
        raise ProofError("the document has no proof; sign it first")
    proofs = document["proof"]
    items = proofs if isinstance(proofs, list) else [proofs]
    if not items:
        raise ProofError("the document's proof list is empty; sign it first")
    if not all(isinstance(item, Mapping) for item in items):
        raise ProofError("a proof is not a JSON object")
    return [dict(item) for item in items]


def _checked(proof: Mapping[str, Any]) -> str:
    """The signer's publicKeyMultibase of a well-formed eddsa-jcs-2022 proof by a did:key."""
    check_proof_fields(proof, CRYPTOSUITE)
    try:
        return key_of_did_key_method(str(proof["verificationMethod"]))
    except ValueError as error:
        raise ProofError(str(error)) from None


def signer_of(document: Mapping[str, Any], proof: Mapping[str, Any]) -> str:
    """Verify one proof of a document's proof set; return the publicKeyMultibase of the
    did:key that made it. ProofError says why it does not verify."""
    multibase = _checked(proof)
    options = {key: value for key, value in proof.items() if key != "proofValue"}
    signature = _decode_proof_value(proof["proofValue"])
    unsecured = {key: value for key, value in document.items() if key != "proof"}
    # https://www.w3.org/TR/vc-di-eddsa/#verify-proof-eddsa-jcs-2022 : a proof carrying its
    # own @context must name a prefix of the document's, which is then used for both.
    if "@context" in options:
        context = options.pop("@context")
        contexts = context if isinstance(context, list) else [context]
        documents = unsecured.get("@context")
        documents = documents if isinstance(documents, list) else [documents]
        if documents[: len(contexts)] != contexts:
            raise ProofError(
                "the proof's @context is not the beginning of the document's @context; "
                "the proof was made for another document"
            )
        unsecured["@context"] = context
    key = Ed25519PublicKey.from_public_bytes(decode_public_key(multibase))
    try:
        key.verify(signature, hash_data(unsecured, options))
    except InvalidSignature:
        raise SignatureMismatch(
            f"signature does not match: the document was changed after it was signed, or "
            f"{proof['verificationMethod']} is not the key that signed it"
        ) from None
    return multibase


def sign_proof(
    document: Mapping[str, Any], private_key: Ed25519PrivateKey, created: str
) -> dict[str, Any]:
    """A new eddsa-jcs-2022 proof of the document (without its proofs), by the did:key of
    private_key; add it to the document's proof set with with_proof."""
    _check_created(created)
    options = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": created,
        "verificationMethod": did_key_method(public_key_multibase(private_key)),
        "proofPurpose": PROOF_PURPOSE,
    }
    unsecured = {key: value for key, value in document.items() if key != "proof"}
    if "@context" in unsecured:  # the spec's step: the proof names the context it signed
        options["@context"] = unsecured["@context"]
    signature = private_key.sign(hash_data(unsecured, options))
    return {**options, "proofValue": "z" + base58.b58encode(signature).decode("ascii")}


def with_proof(document: Mapping[str, Any], proof: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of the document with one more proof in its proof set (always a list)."""
    existing = proofs_of(document) if document.get("proof") else []
    return {**document, "proof": [*existing, dict(proof)]}

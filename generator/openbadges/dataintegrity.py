"""Data Integrity proofs with the eddsa-rdfc-2022 cryptosuite (Ed25519 over RDFC-1.0).

Spec: https://www.w3.org/TR/vc-di-eddsa/#eddsa-rdfc-2022 . In short:
proof configuration = the proof without `proofValue`, with the document's `@context`;
hashData = SHA-256(canon(proof configuration)) || SHA-256(canon(document without proof));
proofValue = "z" + base58btc(Ed25519 signature of hashData).
"""

from __future__ import annotations

import copy
import hashlib
import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import base58
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from generator.openbadges.jsonld import JsonLdError, UndefinedTermsError, canonicalize

PROOF_TYPE = "DataIntegrityProof"
CRYPTOSUITE = "eddsa-rdfc-2022"
PROOF_PURPOSE = "assertionMethod"
SIGNATURE_LENGTH = 64

# xsd:dateTimeStamp, which `created` must be: a dateTime with a time zone
# (https://www.w3.org/TR/vc-data-integrity/#dfn-created).
_DATE_TIME_STAMP = re.compile(r"-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")


class ProofError(ValueError):
    """A proof that cannot be made or does not verify; the message says why."""


def check_proof_fields(proof: Mapping[str, Any], cryptosuite: str) -> None:
    """Raise ProofError unless a proof is a DataIntegrityProof of the cryptosuite for an
    assertion, with a verification method, a creation date-time and a proof value (the
    fields every cryptosuite of ours requires)."""
    expected = {"type": PROOF_TYPE, "cryptosuite": cryptosuite, "proofPurpose": PROOF_PURPOSE}
    for key, value in expected.items():
        if proof.get(key) != value:
            raise ProofError(f"proof {key} is {proof.get(key)!r}; only {value!r} is supported")
    for key in ("verificationMethod", "created", "proofValue"):
        if not isinstance(proof.get(key), str) or not proof[key]:
            raise ProofError(f"the proof has no {key}; it is required for {cryptosuite}")
    _check_created(proof["created"])


def _check_created(created: Any) -> None:
    if not isinstance(created, str) or not _DATE_TIME_STAMP.fullmatch(created):
        raise ProofError(
            f"proof created {created!r} is not a date-time with a time zone; "
            "write it like '2024-05-01T12:00:00Z'"
        )


def _decode_proof_value(proof_value: Any) -> bytes:
    """The 64 signature bytes of a multibase base58btc ("z...") proofValue."""
    if not isinstance(proof_value, str) or not proof_value.startswith("z"):
        raise ProofError(
            f"proofValue {proof_value!r} is not base58btc multibase (it must start with 'z')"
        )
    signature = _base58btc(proof_value[1:])
    if signature is None:
        raise ProofError(f"proofValue {proof_value!r} is not valid base58btc")
    if len(signature) != SIGNATURE_LENGTH:
        raise ProofError(
            f"proofValue holds {len(signature)} bytes, not the {SIGNATURE_LENGTH} of an "
            "Ed25519 signature; the proof is truncated or was not made with eddsa-rdfc-2022"
        )
    return signature


@lru_cache(maxsize=65536)
def _base58btc(text: str) -> bytes | None:
    """Decoded once per proof: a build reads each proof twice (the cache lookup, the checks)."""
    try:
        return bytes(base58.b58decode(text))
    except ValueError:
        return None


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def proof_of(document: Mapping[str, Any]) -> dict[str, Any]:
    """Return the document's single eddsa-rdfc-2022 DataIntegrityProof; ProofError if unfit."""
    if "proof" not in document:
        raise ProofError("the document has no proof; sign it first")
    proofs = document["proof"]
    if isinstance(proofs, list):
        if len(proofs) != 1:
            raise ProofError(
                f"the document has {len(proofs)} proofs; exactly one DataIntegrityProof "
                "is supported"
            )
        proofs = proofs[0]
    if not isinstance(proofs, Mapping):
        raise ProofError("the proof is not a JSON object")
    proof = dict(proofs)
    check_proof_fields(proof, CRYPTOSUITE)
    _decode_proof_value(proof["proofValue"])
    return proof


def _hash_data(unsecured: Mapping[str, Any], proof_options: Mapping[str, Any]) -> bytes:
    """hashData of https://www.w3.org/TR/vc-di-eddsa/#hashing-eddsa-rdfc-2022."""
    # Proof configuration: the proof options under the document's @context
    # (https://www.w3.org/TR/vc-di-eddsa/#proof-configuration-eddsa-rdfc-2022).
    proof_config = {**proof_options, "@context": unsecured.get("@context")}
    undefined: list[str] = []
    canonical: dict[str, str] = {}
    for name, part, path in (("proof", proof_config, "proof."), ("document", unsecured, "")):
        try:
            canonical[name] = canonicalize(part)
        except UndefinedTermsError as error:
            undefined.extend(path + term for term in error.paths)
        except JsonLdError as error:
            raise ProofError(str(error)) from error
    if undefined:
        raise ProofError(str(UndefinedTermsError(sorted(undefined))))
    # Proof configuration hash first, then the document's: the order matters.
    return (
        hashlib.sha256(canonical["proof"].encode("utf-8")).digest()
        + hashlib.sha256(canonical["document"].encode("utf-8")).digest()
    )


def sign(
    document: Mapping[str, Any],
    private_key: Ed25519PrivateKey,
    verification_method: str,
    created: str,
) -> dict[str, Any]:
    """Return a copy of `document` with an eddsa-rdfc-2022 proof, as a one-item array."""
    if "proof" in document:
        raise ProofError("the document already has a proof; remove it before signing again")
    _check_created(created)
    unsecured = copy.deepcopy(dict(document))
    proof_options = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": created,
        "verificationMethod": verification_method,
        "proofPurpose": PROOF_PURPOSE,
    }
    signature = private_key.sign(_hash_data(unsecured, proof_options))
    proof = {**proof_options, "proofValue": "z" + base58.b58encode(signature).decode("ascii")}
    # An array: the 1EdTech JSON Schema rejects a single proof object.
    return {**unsecured, "proof": [proof]}


def verify(document: Mapping[str, Any], public_key: bytes) -> None:
    """Check the document's eddsa-rdfc-2022 proof with a raw Ed25519 key; ProofError if not."""
    proof = proof_of(document)
    signature = _decode_proof_value(proof.pop("proofValue"))
    unsecured = {key: value for key, value in document.items() if key != "proof"}
    # https://www.w3.org/TR/vc-di-eddsa/#verify-proof-eddsa-rdfc-2022 : a proof carrying
    # its own @context must name a prefix of the document's, and that @context is then
    # used for both. (Ours never carry one.)
    if "@context" in proof:
        proof_context = _as_list(proof.pop("@context"))
        if _as_list(unsecured.get("@context"))[: len(proof_context)] != proof_context:
            raise ProofError(
                "the proof's @context is not the beginning of the document's @context; "
                "the proof was made for another document"
            )
        unsecured["@context"] = proof_context
    try:
        key = Ed25519PublicKey.from_public_bytes(public_key)
    except ValueError:
        raise ProofError(
            f"the public key has {len(public_key)} bytes, not the 32 of an Ed25519 key"
        ) from None
    try:
        key.verify(signature, _hash_data(unsecured, proof))
    except InvalidSignature:
        raise ProofError(
            f"signature does not match: the credential or its proof was changed after "
            f"signing, or {proof['verificationMethod']} is not the key that signed it"
        ) from None

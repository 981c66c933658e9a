"""Ed25519 public keys in the Multikey format (`publicKeyMultibase`).

https://www.w3.org/TR/controller-document/#multikey : "z" (base58btc multibase prefix),
then base58btc of the multicodec header 0xed 0x01 (ed25519-pub) and the 32-byte raw key.
"""

from __future__ import annotations

import base58
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

BASE58BTC_PREFIX = "z"
ED25519_PUB_HEADER = b"\xed\x01"
ED25519_KEY_LENGTH = 32


def encode_public_key(raw: bytes) -> str:
    """Return the Multikey `publicKeyMultibase` ("z6Mk...") of a raw 32-byte Ed25519 key."""
    if len(raw) != ED25519_KEY_LENGTH:
        raise ValueError(
            f"an Ed25519 public key has {ED25519_KEY_LENGTH} bytes, not {len(raw)}; "
            "pass the raw key bytes"
        )
    encoded: str = base58.b58encode(ED25519_PUB_HEADER + raw).decode("ascii")
    return BASE58BTC_PREFIX + encoded


def decode_public_key(multibase: str) -> bytes:
    """Return the raw 32-byte Ed25519 key of a Multikey `publicKeyMultibase` string."""
    if not multibase.startswith(BASE58BTC_PREFIX):
        raise ValueError(
            f"publicKeyMultibase {multibase!r} does not start with 'z' (base58btc); "
            "an Ed25519 Multikey looks like 'z6Mk...'"
        )
    try:
        decoded: bytes = base58.b58decode(multibase[1:])
    except ValueError:
        raise ValueError(
            f"publicKeyMultibase {multibase!r} is not valid base58btc; "
            "copy the key again from the DID document"
        ) from None
    if not decoded.startswith(ED25519_PUB_HEADER):
        raise ValueError(
            f"publicKeyMultibase {multibase!r} is not an Ed25519 key (multicodec header "
            f"{decoded[:2].hex()!r}, expected 'ed01'); use an Ed25519 Multikey ('z6Mk...')"
        )
    raw = decoded[len(ED25519_PUB_HEADER) :]
    if len(raw) != ED25519_KEY_LENGTH:
        raise ValueError(
            f"publicKeyMultibase {multibase!r} holds {len(raw)} key bytes, not "
            f"{ED25519_KEY_LENGTH}; the key is truncated or padded"
        )
    return raw


def raw_public_key(private_key: Ed25519PrivateKey) -> bytes:
    """Return the raw 32-byte public key of an Ed25519 private key."""
    return private_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def public_key_multibase(private_key: Ed25519PrivateKey) -> str:
    """Return the Multikey `publicKeyMultibase` of the public half of `private_key`."""
    return encode_public_key(raw_public_key(private_key))


DID_KEY = "did:key:"


def did_key_method(multibase: str) -> str:
    """The did:key verification method of an Ed25519 Multikey, `did:key:z6Mk…#z6Mk…`: it
    names the key itself, so a proof it signs is checked without fetching anything
    (https://w3c-ccg.github.io/did-key-spec/#format)."""
    decode_public_key(multibase)  # refuses what is not an Ed25519 Multikey
    return f"{DID_KEY}{multibase}#{multibase}"


def key_of_did_key_method(method: str) -> str:
    """The `publicKeyMultibase` a did:key verification method names; ValueError if it is
    not the did:key of an Ed25519 key with its own fragment."""
    did, _, fragment = method.partition("#")
    multibase = did.removeprefix(DID_KEY)
    if not did.startswith(DID_KEY) or fragment != multibase:
        raise ValueError(
            f"verification method {method!r} is not a did:key of the form "
            "'did:key:z6Mk…#z6Mk…' (the key, then the same key as fragment)"
        )
    decode_public_key(multibase)
    return multibase

"""Issuers' signing keys: private key files on the issuer's machine, public keys in their YAML."""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from generator.site.model import PublicKey


class KeyFileError(Exception):
    """A private key file that cannot be used; the message says what to do."""


def read_private_key(path: Path) -> Ed25519PrivateKey:
    """The Ed25519 private key of a PEM (PKCS #8) file written by keygen."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise KeyFileError(
            f"{path}: cannot read the key file ({error.strerror}); check --key-file"
        ) from None
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError):
        raise KeyFileError(
            f"{path}: not a PEM private key; use the file written by 'build.py keygen'"
        ) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyFileError(f"{path}: not an Ed25519 key; create one with 'build.py keygen'")
    return key


def write_private_key(path: Path, key: Ed25519PrivateKey) -> None:
    """Write a new private key file readable by its owner only; never overwrite one."""
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(pem)


def signing_key(keys: Sequence[PublicKey], moment: datetime) -> PublicKey | None:
    """The key that signs at this moment: the newest one valid then."""
    valid = [key for key in keys if key.valid_at(moment)]
    return max(valid, key=lambda key: key.valid_from) if valid else None


def next_key_id(keys: Sequence[PublicKey]) -> str:
    """key-1, key-2, …: the first id not used yet."""
    used = {key.id for key in keys}
    number = len(keys) + 1
    while f"key-{number}" in used:
        number += 1
    return f"key-{number}"

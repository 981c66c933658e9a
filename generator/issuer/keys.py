"""Issuers' signing keys: private key files on the issuer's machine, public keys in their YAML;
`keygen` creates one of each, and the tools that sign check the key file they are given."""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from generator.clock import build_time
from generator.issuer import yaml_edit as issuer_yaml
from generator.issuer.private_files import check_private_location, private_key
from generator.issuer.tools import ToolError, iso, issuer_named, load_checked_network
from generator.openbadges.multikey import public_key_multibase
from generator.site.model.network import Issuer, PublicKey
from generator.site.model.problems import BuildFailed, Location, Problem, Problems


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


def current_key_id(issuer: Issuer, private_key: Ed25519PrivateKey, now: datetime) -> str:
    """The id of the issuer's current key, refusing a key file that is not its private part."""
    current = signing_key(issuer.keys, now)
    if current is None:
        raise ToolError(
            f"{issuer.slug} has no valid key; create one with 'build.py keygen {issuer.slug}'"
        )
    if current.public_key_multibase != public_key_multibase(private_key):
        raise KeyFileError(
            f"this key file does not match {issuer.slug}'s current published key '{current.id}'; "
            "use the key file written by the last keygen"
        )
    return current.id


def keygen(source: Path, issuer_slug: str, key_file: Path) -> str:
    """Create an Ed25519 key: private part to key_file, public part into the issuer's YAML."""
    problems = Problems()
    check_key_location(source, key_file, issuer_slug, problems)
    problems.raise_if_errors()
    network = load_checked_network(source)
    issuer = issuer_named(network, issuer_slug)
    target = key_file.expanduser().resolve()
    now = build_time()
    key = Ed25519PrivateKey.generate()
    key_id = next_key_id(issuer.keys)
    previous = signing_key(issuer.keys, now)
    yaml_path = source / issuer.source.path
    # Prepare the YAML edit first: if the file cannot be edited, no key file is left behind.
    edited = issuer_yaml.with_key(
        yaml_path,
        key_id=key_id,
        multibase=public_key_multibase(key),
        valid_from=iso(now),
        retire=(previous.id, iso(now)) if previous else None,
    )
    try:
        write_private_key(target, key)
    except OSError as error:
        reason = f"cannot write the key file ({error.strerror or error})"
        raise _refused(
            Location(str(key_file)), f"{reason}; choose a folder you can write"
        ) from None
    try:
        yaml_path.write_text(edited, "utf-8")
    except OSError as error:
        target.unlink()  # a private key whose public part was never published is useless
        reason = f"cannot write it ({error.strerror or error})"
        raise _refused(issuer.source, f"{reason}; the new key was not kept") from None
    return key_id


def _refused(where: Location, message: str) -> BuildFailed:
    return BuildFailed([Problem(where, "error", message)])


def check_key_location(source: Path, key_file: Path, issuer_slug: str, problems: Problems) -> None:
    """Refuse a new key file that could be published or committed (see private_files), or an
    existing file."""
    check_private_location(source, key_file, private_key(issuer_slug), problems)
    path = key_file.expanduser()
    if problem := _unwritable(path, path.resolve()):
        problems.error(Location(str(key_file)), problem)


def _unwritable(path: Path, target: Path) -> str | None:
    """Why a new file cannot be written at a path (target: the path resolved), if it cannot."""
    try:
        if target.is_dir():
            return "is a folder; give the path of a new file, e.g. in that folder"
        if target.exists() or path.is_symlink():
            return "the file already exists; keygen never overwrites a key, choose another path"
        existing = next(folder for folder in target.parents if folder.exists())
        if not existing.is_dir():
            return f"{existing} is a file, not a folder; choose another path"
    except OSError as error:
        return f"cannot use this path ({error.strerror or error}); choose another path"
    return None

"""Issuers' signing keys: private key files on the issuer's machine, public keys in their key
history (content/issuers/<slug>.keys.jsonl); `keygen` creates one of each and
`mark-compromised` ends one's trust, and the tools that sign check the key file they are
given."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from generator.clock import build_time
from generator.issuer.key_logs import appended, next_entry, signed, write_log
from generator.issuer.private_files import check_private_location, private_key
from generator.issuer.tools import (
    KeyHolder,
    ToolError,
    iso,
    key_history_file,
    key_holder,
    load_checked_network,
)
from generator.openbadges.multikey import public_key_multibase
from generator.site.check.authority import proven_coordinators
from generator.site.model.authority import (
    KEY_HISTORY_ENTRY,
    Coordinator,
    KeyHistory,
    PublicKey,
)
from generator.site.model.network import Network
from generator.site.model.problems import BuildFailed, Location, Problem, Problems, one_of


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


def next_key_id(used: Sequence[str]) -> str:
    """key-1, key-2, …: the first id not used yet."""
    number = len(used) + 1
    while f"key-{number}" in used:
        number += 1
    return f"key-{number}"


def current_key_id(issuer: KeyHolder, private_key: Ed25519PrivateKey, now: datetime) -> str:
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


@dataclass(frozen=True)
class KeyChangeMade:
    """An entry a tool appended to a structure's key history."""

    key_id: str
    version: int
    valid: bool
    """Valid at once (a rotation signed with the current key, or a change signed by one of
    the structure's keys); otherwise it awaits the coordinators' approval."""
    threshold: int
    """How many coordinators must approve it when it is not valid at once."""
    history: str = ""
    """The key history it was appended to, relative to the repository."""


def keygen(
    source: Path, issuer_slug: str, key_file: Path, current_key_file: Path | None = None
) -> KeyChangeMade:
    """Create an Ed25519 key: its private part to key_file, its public part as a new entry of
    the structure's key history, signed by the new key (proof of possession) and, for a
    rotation, by the current key (current_key_file), which it retires. Without it (a first
    key, or a recovery after a lost key), the entry awaits the coordinators' approval."""
    problems = Problems()
    check_key_location(source, key_file, issuer_slug, problems)
    problems.raise_if_errors()
    current = read_private_key(current_key_file) if current_key_file is not None else None
    network = load_checked_network(source)
    issuer = key_holder(network, issuer_slug)
    history = network.authority.histories.get(issuer.slug)
    now = build_time()
    retired = _current_key(issuer, current, now) if current else signing_key(issuer.keys, now)
    keys = [dict(key) for key in _last_keys(history)]
    for written in keys:
        if retired is not None and written["id"] == retired.id:
            written["validUntil"] = iso(now)
    key = Ed25519PrivateKey.generate()
    key_id = next_key_id([str(written["id"]) for written in keys])
    keys.append(
        {"id": key_id, "publicKeyMultibase": public_key_multibase(key), "validFrom": iso(now)}
    )
    entry = next_entry(KEY_HISTORY_ENTRY, history, {"keys": keys}, issuer=issuer.slug)
    entry = signed(entry, [current, key] if current else [key])
    path = source / key_history_file(issuer)
    target = key_file.expanduser().resolve()
    try:
        write_private_key(target, key)
    except OSError as error:
        reason = f"cannot write the key file ({error.strerror or error})"
        raise _refused(
            Location(str(key_file)), f"{reason}; choose a folder you can write"
        ) from None
    try:
        write_log(path, appended(history, entry))
    except OSError as error:
        target.unlink()  # a private key whose public part was never published is useless
        reason = f"cannot write it ({error.strerror or error})"
        raise _refused(
            Location(path.relative_to(source).as_posix()), f"{reason}; the new key was not kept"
        ) from None
    return KeyChangeMade(
        key_id,
        entry["version"],
        current is not None,
        _threshold(network, now),
        key_history_file(issuer),
    )


def mark_compromised(
    source: Path, issuer_slug: str, key_id: str, since: datetime, key_file: Path
) -> KeyChangeMade:
    """Append an entry marking a structure's key compromised from `since`, signed with
    key_file: any key of the structure (valid at once, even the stolen one) or a
    coordinator's (then awaiting the other coordinators' approval)."""
    signer = read_private_key(key_file)
    network = load_checked_network(source)
    issuer = key_holder(network, issuer_slug)
    now = build_time()
    marked = next((key for key in issuer.keys if key.id == key_id), None)
    if marked is None:
        raise ToolError(
            f"{issuer.slug} has no key '{key_id}'; {one_of(key.id for key in issuer.keys)}"
        )
    if since > now:
        raise ToolError(
            f"--since {iso(since)} is in the future; give when the key was lost or stolen"
        )
    if marked.compromised_at is not None and marked.compromised_at <= since:
        raise ToolError(
            f"key '{key_id}' is already marked compromised since {iso(marked.compromised_at)}"
        )
    multibase = public_key_multibase(signer)
    own = any(
        key.public_key_multibase == multibase
        and (key.compromised_at is None or key.compromised_at > now)
        for key in issuer.keys
    )
    coordinator = _coordinator_in_force(network, multibase, now)
    if not own and coordinator is None:
        raise KeyFileError(
            f"{key_file}: neither a key of {issuer.slug} (not compromised) nor a coordinator's; "
            "sign with any key of the structure, or a coordinator's key"
        )
    history = network.authority.histories[issuer.slug]
    keys = [dict(written) for written in _last_keys(history)]
    for written in keys:
        if written["id"] == key_id:
            written["compromisedAt"] = iso(since)
    entry = signed(
        next_entry(KEY_HISTORY_ENTRY, history, {"keys": keys}, issuer=issuer.slug), [signer]
    )
    write_log(source / history.source.path, appended(history, entry))
    return KeyChangeMade(key_id, entry["version"], own, _threshold(network, now))


def _current_key(issuer: KeyHolder, private_key: Ed25519PrivateKey, now: datetime) -> PublicKey:
    """The structure's key that a current key file holds, refused unless it is valid now."""
    multibase = public_key_multibase(private_key)
    key = next((key for key in issuer.keys if key.public_key_multibase == multibase), None)
    if key is None or not key.valid_at(now):
        valid = ", ".join(f"'{k.id}'" for k in issuer.keys if k.valid_at(now)) or "none"
        raise KeyFileError(
            "--current-key-file is not a valid key of "
            f"{issuer.slug} (its valid keys: {valid}); give the key file of its current key, "
            "or leave it out to ask the coordinators to approve the new key (a lost key)"
        )
    return key


def _last_keys(history: KeyHistory | None) -> list[Mapping[str, Any]]:
    """The keys of a history's last entry, as written."""
    if history is None or not history.entries:
        return []
    return list(history.entries[-1].line.document["keys"])


def _threshold(network: Network, now: datetime) -> int:
    state = proven_coordinators(network, Problems()).at(now)
    return state.threshold if state is not None else 0


def _coordinator_in_force(network: Network, multibase: str, moment: datetime) -> Coordinator | None:
    """The coordinator in force at a moment who holds a key, if one does."""
    state = proven_coordinators(network, Problems()).at(moment)
    return state.coordinator(multibase) if state is not None else None


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

"""The network's own trust: its coordinators' keys (`coordinator-key`), the first version of
their log (`init-trust`, once, which also moves the keys a network had under `keys:` in its
structures' files into proven key histories), a new version of it (`rotate-coordinators`),
and .github/CODEOWNERS made from the maintainers (`codeowners`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from generator.issuer.key_logs import appended, line_bytes, next_entry, signed, write_log
from generator.issuer.keys import (
    KeyFileError,
    check_key_location,
    read_private_key,
    write_private_key,
)
from generator.issuer.tools import ToolError
from generator.issuer.yaml_edit import without_keys
from generator.openbadges.multikey import decode_public_key, public_key_multibase
from generator.site.check.codeowners import expected_codeowners
from generator.site.check.content import check_content
from generator.site.check.coordinators import judge_coordinators, prove_coordinators
from generator.site.load.key_logs import coordinators_entry
from generator.site.load.network import load_network
from generator.site.load.repository import CONTENT
from generator.site.model.authority import (
    CODEOWNERS,
    COORDINATORS_ENTRY,
    COORDINATORS_LOG,
    KEY_HISTORY_ENTRY,
    KEY_HISTORY_SUFFIX,
    CoordinatorsEntry,
    LogLine,
)
from generator.site.model.problems import Location, Problems


@dataclass(frozen=True)
class Signed:
    """A log entry a tool wrote: its version, and what it still lacks (None: nothing)."""

    version: int
    still: str | None
    structures: tuple[str, ...] = ()
    """The structures whose keys init-trust moved into a key history."""


def coordinator_key(source: Path, key_file: Path) -> str:
    """Create a coordinator's key file; the publicKeyMultibase to name them with."""
    problems = Problems()
    check_key_location(source, key_file, "coordinator", problems)
    problems.raise_if_errors()
    key = Ed25519PrivateKey.generate()
    try:
        write_private_key(key_file.expanduser().resolve(), key)
    except OSError as error:
        raise KeyFileError(
            f"{key_file}: cannot write the key file ({error.strerror or error}); choose a "
            "folder you can write"
        ) from None
    return public_key_multibase(key)


def parse_coordinator(text: str) -> tuple[str, str]:
    """`ID=KEY` (KEY a publicKeyMultibase, or a coordinator's key file): (id, multibase)."""
    account, separator, key = text.partition("=")
    if not separator or not account or not key:
        raise ToolError(
            f"--coordinator '{text}': write ACCOUNT=KEY, the coordinator's GitHub account and "
            "their public key (z6Mk…, as 'build.py coordinator-key' printed it)"
        )
    if key.startswith("z6Mk"):
        try:
            decode_public_key(key)
        except ValueError as error:
            raise ToolError(f"--coordinator {account}: {error}") from None
        return account, key
    return account, public_key_multibase(read_private_key(Path(key)))


def init_trust(
    source: Path,
    coordinators: Sequence[tuple[str, str]],
    threshold: int,
    key_files: Sequence[Path],
) -> Signed:
    """Write the first version of the coordinators' log, signed with key_files, and move
    every structure's `keys:` into a version-1 key history they approve."""
    if (source / COORDINATORS_LOG).exists():
        raise ToolError(
            f"{COORDINATORS_LOG} exists already: the network's root is made once; change the "
            "coordinators with 'build.py rotate-coordinators'"
        )
    signers = _signers(coordinators, key_files, ())
    fields = {"threshold": threshold, "coordinators": _members(coordinators, threshold)}
    entry = signed(next_entry(COORDINATORS_ENTRY, None, fields), signers)
    histories, texts = _moved_keys(source, signers)
    write_log(source / COORDINATORS_LOG, appended(None, entry))
    for path, data in histories.items():
        write_log(path, data)
    for path, text in texts.items():
        path.write_text(text, "utf-8")
    still = _still(entry, None)
    return Signed(1, still, tuple(sorted(path.stem for path in texts)))


def rotate_coordinators(
    source: Path,
    coordinators: Sequence[tuple[str, str]],
    threshold: int,
    key_files: Sequence[Path],
) -> Signed:
    """Append a new version of the coordinators' log (the whole set, and its threshold),
    signed with key_files: it needs the approval of the last version's threshold and of its
    own (each runs 'build.py approve --coordinators')."""
    network = load_network(source, Problems())
    log = network.authority.coordinators
    if log is None:
        raise ToolError(f"{COORDINATORS_LOG} is missing; create it with 'build.py init-trust'")
    problems = Problems()
    proven = prove_coordinators(log, True, problems)
    problems.raise_if_errors()  # the last version is approved before the next is made
    if not proven.states:
        raise ToolError(f"{log.source} holds no version yet; restore it")
    last = log.entries[-1]
    signers = _signers(coordinators, key_files, [c.public_key_multibase for c in last.coordinators])
    fields = {"threshold": threshold, "coordinators": _members(coordinators, threshold)}
    entry = signed(next_entry(COORDINATORS_ENTRY, log, fields), signers)
    write_log(source / log.source.path, appended(log, entry))
    return Signed(entry["version"], _still(entry, last))


def write_codeowners(source: Path) -> Path:
    """Write .github/CODEOWNERS from the structures' maintainers; its path."""
    problems = Problems()
    network = load_network(source, problems)
    check_content(network, problems)
    if any(name.startswith("issuer:") for name in network.unreadable):
        problems.raise_if_errors()
    path = source / CODEOWNERS
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(expected_codeowners(network), "utf-8")
    return path


def _members(coordinators: Sequence[tuple[str, str]], threshold: int) -> list[dict[str, str]]:
    ids = [account for account, _ in coordinators]
    if len(set(ids)) != len(ids) or not ids:
        raise ToolError("name each coordinator once (--coordinator ACCOUNT=KEY)")
    if not 1 <= threshold <= len(ids):
        raise ToolError(
            f"--threshold {threshold}: give from 1 to the {len(ids)} coordinators named "
            "(2 of 3 is usual: one lost key never blocks, one stolen key never suffices)"
        )
    return [{"id": account, "publicKeyMultibase": key} for account, key in coordinators]


def _signers(
    coordinators: Sequence[tuple[str, str]], key_files: Sequence[Path], previous: Sequence[str]
) -> list[Ed25519PrivateKey]:
    """The private keys of key_files, each a coordinator's (named now, or before)."""
    allowed = {key for _, key in coordinators} | set(previous)
    keys = []
    for path in key_files:
        key = read_private_key(path)
        if public_key_multibase(key) not in allowed:
            raise KeyFileError(f"{path}: not the key of a coordinator named; give your own")
        keys.append(key)
    return keys


def _moved_keys(
    source: Path, signers: Sequence[Ed25519PrivateKey]
) -> tuple[dict[Path, bytes], dict[Path, str]]:
    """For each structure with `keys:` in its file: its version-1 key history (approved by
    the signers) and its file's text without them."""
    histories: dict[Path, bytes] = {}
    texts: dict[Path, str] = {}
    for path in sorted((source / CONTENT / "issuers").glob("*.yaml")):
        moved = without_keys(path)
        if moved is None:
            continue
        history = path.with_name(path.stem + KEY_HISTORY_SUFFIX)
        if history.exists():
            raise ToolError(f"{history}: exists already, and {path.name} still has 'keys:'")
        text, keys = moved
        fields = {"keys": [_history_key(key, path) for key in keys]}
        entry = signed(next_entry(KEY_HISTORY_ENTRY, None, fields, issuer=path.stem), signers)
        histories[history] = appended(None, entry)
        texts[path] = text
    return histories, texts


def _history_key(key: Mapping[str, Any], path: Path) -> dict[str, str]:
    """A key of a YAML file as its key history writes it (same values, as written)."""
    names = {
        "id": "id",
        "public_key_multibase": "publicKeyMultibase",
        "valid_from": "validFrom",
        "valid_until": "validUntil",
        "compromised_at": "compromisedAt",
    }
    missing = [name for name in ("id", "public_key_multibase", "valid_from") if name not in key]
    if missing:
        raise ToolError(f"{Location(path.name)}: a key has no {missing[0]}; fix it first")
    return {names[name]: str(key[name]) for name in names if name in key}


def _still(entry: Mapping[str, Any], before: CoordinatorsEntry | None) -> str | None:
    """What a new version of the coordinators' log still lacks (None: nothing)."""
    line = LogLine(line_bytes(entry).removesuffix(b"\n"), entry, Location(COORDINATORS_LOG))
    return judge_coordinators(coordinators_entry(line), before).problem

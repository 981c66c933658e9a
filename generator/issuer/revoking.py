"""`revoke`: a signed revocation record with the issuer's reason, and the credential's bit set
in the issuer's signed status list (which `issue` writes first, empty)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from generator.clock import build_time
from generator.issuer.keys import current_key_id, read_private_key
from generator.issuer.tools import ToolError, iso, issuer_named, load_checked_network
from generator.openbadges import statuslist
from generator.openbadges.credential import revocation_record, status_entry, status_list_credential
from generator.openbadges.dataintegrity import sign
from generator.site.load.assertions import REVOCATIONS, STATUS_LIST_FILE
from generator.site.load.repository import ASSERTIONS
from generator.site.model.network import Issuer, Network
from generator.site.model.output import json_bytes
from generator.site.model.urls import Urls


def revoke(source: Path, credential: str, reason: str, key_file: Path) -> Path:
    """Record a signed revocation and set the credential's bit in the signed status list."""
    if not reason.strip():
        raise ToolError("give a --reason: it is shown to anyone who checks the badge")
    network = load_checked_network(source)
    urls = Urls(network.site.base_url, network.site.language)
    signed_file = _find_credential(network, urls, source, credential)
    issuer = issuer_named(network, signed_file.issuer)
    if (issuer.slug, signed_file.slug) in network.revocations:
        raise ToolError(f"{signed_file.source.path} is already revoked")
    now = build_time()
    private_key = read_private_key(key_file)
    key_id = current_key_id(issuer, private_key, now)
    entry = status_entry(signed_file.document)
    if entry is None:
        raise ToolError(f"{signed_file.source.path} has no status list entry; it cannot be revoked")
    record = revocation_record(
        credential_id=signed_file.document["id"],
        issuer_did=urls.did(issuer.slug),
        revoked_on=iso(now),
        reason=reason.strip(),
    )
    path = source / ASSERTIONS / issuer.slug / REVOCATIONS / f"{signed_file.slug}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(
        json_bytes(sign(record, private_key, f"{urls.did(issuer.slug)}#{key_id}", iso(now)))
    )
    revoked = {
        index
        for (i, slug), f in network.credentials.items()
        if i == issuer.slug
        and (i, slug) in network.revocations
        and (index := _index(f.document)) is not None
    }
    write_status_list(source, urls, issuer, private_key, key_id, revoked | {entry[1]}, now)
    return path


def write_status_list(
    source: Path,
    urls: Urls,
    issuer: Issuer,
    private_key: Ed25519PrivateKey,
    key_id: str,
    revoked: set[int],
    now: datetime,
) -> None:
    """Sign and write an issuer's revocation status list, with these indices set."""
    document = status_list_credential(
        list_id=urls.absolute(urls.status_list(issuer.slug)),
        issuer_did=urls.did(issuer.slug),
        valid_from=iso(now),
        encoded_list=statuslist.encode_status_list(revoked),
    )
    signed = sign(document, private_key, f"{urls.did(issuer.slug)}#{key_id}", iso(now))
    path = source / ASSERTIONS / issuer.slug / STATUS_LIST_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(json_bytes(signed))


def _index(document: Any) -> int | None:
    entry = status_entry(document)
    return entry[1] if entry else None


def _find_credential(network: Network, urls: Urls, source: Path, credential: str) -> Any:
    for signed in network.credentials.values():
        if signed.document.get("id") == credential:
            return signed
    path = Path(credential)
    candidates = [path, source / path] if not path.is_absolute() else [path]
    for candidate in candidates:
        if candidate.is_file():
            resolved = candidate.resolve()
            for signed in network.credentials.values():
                if (source / signed.source.path).resolve() == resolved:
                    return signed
    raise ToolError(
        f"no credential '{credential}' in assertions/; give its file path or its id URL"
    )

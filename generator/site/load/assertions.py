"""assertions/<issuer>/: signed credentials, the status list and revocation records, as read
(parsed, not yet verified: that is the check stage's work)."""

from __future__ import annotations

import re
from pathlib import Path

from generator.site.load.parsing import read_json
from generator.site.load.repository import Repository
from generator.site.model import (
    SignedFile,
)

STATUS_LIST_FILE = "status-list.json"
REVOCATIONS = "revocations"
AWARD_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

Assertions = tuple[
    dict[tuple[str, str], SignedFile], dict[str, SignedFile], dict[tuple[str, str], SignedFile]
]


def load_assertions(source: Repository, folder: Path) -> Assertions:
    """assertions/<issuer>/<award>.json, <issuer>/status-list.json, <issuer>/revocations/*.json."""
    credentials: dict[tuple[str, str], SignedFile] = {}
    status_lists: dict[str, SignedFile] = {}
    revocations: dict[tuple[str, str], SignedFile] = {}
    if not folder.is_dir():
        return credentials, status_lists, revocations
    for issuer_dir in sorted(
        p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")
    ):
        issuer = issuer_dir.name
        for path in sorted(issuer_dir.iterdir()):
            if path.name.startswith("."):
                continue
            if path.is_dir() and path.name == REVOCATIONS:
                for record in sorted(path.glob("*.json")):
                    if signed := signed_file(source, record, issuer):
                        revocations[(issuer, record.stem)] = signed
            elif path.name == STATUS_LIST_FILE:
                if signed := signed_file(source, path, issuer):
                    status_lists[issuer] = signed
            elif path.suffix == ".json" and AWARD_SLUG.match(path.stem):
                if signed := signed_file(source, path, issuer):
                    credentials[(issuer, path.stem)] = signed
            else:
                source.problems.error(
                    source.location(path),
                    "unexpected file in assertions/; only <award-id>.json credentials written by "
                    "'build.py issue' (lower-case letters, digits, '-'), status-list.json and "
                    "revocations/ belong here",
                )
    return credentials, status_lists, revocations


def signed_file(source: Repository, path: Path, issuer: str) -> SignedFile | None:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        source.problems.error(
            source.location(path), "not valid UTF-8; restore the file as it was signed"
        )
        return None
    document = read_json(text, source.location(path), source.problems)
    if document.value is None:
        return None
    if not isinstance(document.value, dict):
        source.problems.error(
            document.location, "expected a JSON object; restore the file as it was signed"
        )
        return None
    return SignedFile(issuer, path.stem, document.value, data, document.location)

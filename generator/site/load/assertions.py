"""assertions/<issuer>/: signed credentials, the status list and revocation records, as read
(parsed, not yet verified: that is the check stage's work)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from generator.site.load.json_strict import read_json
from generator.site.load.repository import ASSERTIONS, Repository
from generator.site.model.network import Network
from generator.site.model.signed import SignedEndorsements, SignedFile

STATUS_LIST_FILE = "status-list.json"
REVOCATIONS = "revocations"
EARLIER = "earlier"
"""assertions/<issuer>/earlier/: awards published by another platform (see load/earlier.py)."""
ENDORSEMENTS = "endorsements"
"""assertions/<endorser>/endorsements/: the endorsements it signed (see load_endorsements)."""
AWARD_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

Assertions = tuple[
    dict[tuple[str, str], SignedFile], dict[str, SignedFile], dict[tuple[str, str], SignedFile]
]


@dataclass(frozen=True)
class AssertionFile:
    """What a file of assertions/ is: a credential, the status list, or a revocation record."""

    kind: Literal["credential", "status list", "revocation"]
    issuer: str
    slug: str
    """The award's slug (credential, revocation), or the issuer's (status list)."""


def assertion_file(relative: str) -> AssertionFile | None:
    """What a path of the repository (posix, relative to its root) is under assertions/, or
    None if it is none of the three (the only place that decides it, for load and serve)."""
    parts = relative.split("/")
    if parts[0] != ASSERTIONS or len(parts) not in (3, 4) or not parts[-1].endswith(".json"):
        return None
    issuer, stem = parts[1], parts[-1][: -len(".json")]
    if len(parts) == 4:
        if parts[2] != REVOCATIONS:
            return None
        return AssertionFile("revocation", issuer, stem)
    if parts[2] == STATUS_LIST_FILE:
        return AssertionFile("status list", issuer, issuer)
    if AWARD_SLUG.match(stem):
        return AssertionFile("credential", issuer, stem)
    return None


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
        for path in sorted(issuer_dir.iterdir()):
            if path.name.startswith("."):
                continue
            if path.is_dir() and path.name in (EARLIER, ENDORSEMENTS):
                continue
            if path.is_dir() and path.name == REVOCATIONS:
                files = sorted(path.glob("*.json"))
            else:
                files = [path]
            for file in files:
                # The file's path in the repository, made as the folders are walked.
                inner = file.name if file is path else f"{path.name}/{file.name}"
                what = assertion_file(f"{ASSERTIONS}/{issuer_dir.name}/{inner}")
                if what is None or file.is_dir():
                    source.problems.error(
                        source.location(file),
                        "unexpected file in assertions/; only <award-id>.json credentials written "
                        "by 'build.py issue' (lower-case letters, digits, '-'), status-list.json "
                        "and revocations/ belong here",
                    )
                elif signed := signed_file(source, file, what.issuer):
                    if what.kind == "credential":
                        credentials[(what.issuer, what.slug)] = signed
                    elif what.kind == "status list":
                        status_lists[what.issuer] = signed
                    else:
                        revocations[(what.issuer, what.slug)] = signed
    return credentials, status_lists, revocations


def load_endorsements(source: Repository, folder: Path) -> SignedEndorsements:
    """assertions/<endorser>/endorsements/: <id>.json endorsements, status-list.json and
    revocations/<id>.json, laid out as a structure's awards are."""
    credentials: dict[tuple[str, str], SignedFile] = {}
    status_lists: dict[str, SignedFile] = {}
    revocations: dict[tuple[str, str], SignedFile] = {}
    for inner in sorted(folder.glob(f"*/{ENDORSEMENTS}")) if folder.is_dir() else []:
        endorser = inner.parent.name
        for path in sorted(inner.iterdir()):
            if path.name.startswith("."):
                continue
            files = sorted(path.glob("*.json")) if path.name == REVOCATIONS else [path]
            for file in files:
                if (
                    file.is_dir()
                    or not (file.name == STATUS_LIST_FILE or AWARD_SLUG.match(file.stem))
                    or file.suffix != ".json"
                ):
                    source.problems.error(
                        source.location(file),
                        f"unexpected file in {ASSERTIONS}/{endorser}/{ENDORSEMENTS}/; only "
                        "<id>.json endorsements written by 'build.py endorse', status-list.json "
                        "and revocations/ belong here",
                    )
                elif signed := signed_file(source, file, endorser):
                    if file is not path:
                        revocations[(endorser, file.stem)] = signed
                    elif file.name == STATUS_LIST_FILE:
                        status_lists[endorser] = signed
                    else:
                        credentials[(endorser, file.stem)] = signed
    return SignedEndorsements(credentials, status_lists, revocations)


def reload_assertions(
    network: Network, source: Repository, changed: Iterable[AssertionFile]
) -> Network:
    """The network with some signed files of assertions/ read again (added or changed)."""
    credentials = dict(network.credentials)
    status_lists = dict(network.status_lists)
    revocations = dict(network.revocations)
    for what in sorted(changed, key=lambda item: (item.issuer, item.kind, item.slug)):
        folder = source.root / ASSERTIONS / what.issuer
        if what.kind == "credential":
            if signed := signed_file(source, folder / f"{what.slug}.json", what.issuer):
                credentials[(what.issuer, what.slug)] = signed
        elif what.kind == "status list":
            if signed := signed_file(source, folder / STATUS_LIST_FILE, what.issuer):
                status_lists[what.issuer] = signed
        elif signed := signed_file(source, folder / REVOCATIONS / f"{what.slug}.json", what.issuer):
            revocations[(what.issuer, what.slug)] = signed
    return replace(
        network, credentials=credentials, status_lists=status_lists, revocations=revocations
    )


def signed_file(source: Repository, path: Path, issuer: str) -> SignedFile | None:
    data = source.read_bytes(path)
    if data is None:
        return None
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

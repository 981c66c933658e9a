"""content/endorsers/<slug>.yaml: the outside organisations that endorse badges and structures,
each with its own domain's DID document vendored beside it (<slug>.did.json) or a key history
of the keys the site hosts for it (<slug>.keys.jsonl, read with the others: load/key_logs.py)."""

from __future__ import annotations

from pathlib import Path

from generator.site.load.assertions import signed_file
from generator.site.load.repository import CONTENT, Repository, listed_files
from generator.site.model.network import Endorser, Text

ENDORSERS = f"{CONTENT}/endorsers"
DID_DOCUMENT_SUFFIX = ".did.json"


def load_endorsers(source: Repository, language: str, unreadable: set[str]) -> dict[str, Endorser]:
    """Every endorser of content/endorsers/, by slug; a file that cannot be read is reported
    (and named 'endorser:<slug>' in unreadable)."""
    folder = source.root / ENDORSERS
    endorsers = {}
    for path in listed_files(folder, ".yaml", source, unreadable, "endorser"):
        endorser = _load_endorser(source, path, language)
        if endorser is None:
            unreadable.add(f"endorser:{path.stem}")
        else:
            endorsers[path.stem] = endorser
    return endorsers


def _load_endorser(source: Repository, path: Path, language: str) -> Endorser | None:
    document = source.yaml(path, "endorser")
    if document is None:
        return None
    value = document.value
    logo = value.get("logo")
    did_path = path.with_name(path.stem + DID_DOCUMENT_SUFFIX)
    did = value.get("did")
    if did and not did_path.is_file():
        source.problems.error(
            document.at(("did",)),
            f"{did} is its own domain's DID: vendor the DID document it publishes beside this "
            f"file, as {ENDORSERS}/{did_path.name}",
        )
        return None
    if not did and did_path.exists():
        source.problems.error(
            source.location(did_path).at(1),
            f"a DID document without a 'did:' in {ENDORSERS}/{path.name}; name the DID it "
            "belongs to there, or remove this file (the site then hosts the endorser's DID)",
        )
    return Endorser(
        slug=path.stem,
        name=value["name"],
        url=value["url"],
        description=Text.of(value["description"], language),
        logo=source.asset(path.parent, logo, document, ("logo",)) if logo else None,
        did=did,
        did_document=signed_file(source, did_path, path.stem) if did else None,
        source=document.location,
        lines=document.lines,
    )

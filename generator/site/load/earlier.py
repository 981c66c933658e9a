"""assertions/<issuer>/earlier/<slug>.yaml: awards another platform published before the
structure came to this site, as `build.py import` recorded them."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from generator.site.load.assertions import EARLIER
from generator.site.load.parsing import Document
from generator.site.load.repository import Repository, listed_files, parse_datetime
from generator.site.model.imported import EarlierAward, EarlierEvidence, EarlierRecipient


def load_earlier(
    source: Repository, folder: Path, unreadable: set[str]
) -> dict[tuple[str, str], EarlierAward]:
    """Every earlier award of assertions/, by (issuer slug, record slug)."""
    found: dict[tuple[str, str], EarlierAward] = {}
    if not folder.is_dir():
        return found
    for issuer_dir in sorted(p for p in folder.iterdir() if p.is_dir()):
        records = issuer_dir / EARLIER
        for path in listed_files(records, ".yaml", source, unreadable, "earlier"):
            document = source.yaml(path, "earlier")
            if document is None:
                unreadable.add(f"earlier:{issuer_dir.name}/{path.stem}")
                continue
            found[(issuer_dir.name, path.stem)] = _earlier(source, issuer_dir.name, path, document)
    return found


def _earlier(source: Repository, issuer: str, path: Path, document: Document) -> EarlierAward:
    value: dict[str, Any] = document.value
    recipient = value.get("recipient")
    return EarlierAward(
        issuer=issuer,
        slug=path.stem,
        original=value["original"],
        platform=value["platform"],
        badge=value["badge"],
        issued_on=parse_datetime(value["issued_on"], document, ("issued_on",), source.problems),
        expires=_moment(value.get("expires"), document, "expires", source),
        revoked=bool(value.get("revoked", False)),
        revocation_reason=value.get("revocation_reason"),
        evidence=tuple(
            EarlierEvidence(item.get("url"), item.get("narrative"))
            for item in value.get("evidence", [])
        ),
        narrative=value.get("narrative"),
        recipient=EarlierRecipient(**recipient) if recipient else None,
        source=document.location,
        lines=document.lines,
    )


def _moment(
    text: str | None, document: Document, field: str, source: Repository
) -> datetime | None:
    if text is None:
        return None
    return parse_datetime(text, document, (field,), source.problems)

"""A JSON source: Open Badges 2.0 objects as any platform hosts them (one, or a list), or
what Badgr exports and its API answers around its own entities.

Badgr's API v2 (and, as far as its documentation shows, the "Export Issuer" and "Export
Badge" files of its Data Management tab) gives entities, not Open Badges JSON: each has an
`entityType` (Issuer, BadgeClass, Assertion), an `entityId`, and its Open Badges URL in
`openBadgeId`; a badge class names its issuer's URL in `issuerOpenBadgeId`, an assertion its
badge class's in `badgeclassOpenBadgeId` (badgr-server, apps/issuer/serializers_v2.py). The
API wraps them in `{"status": {...}, "result": [...]}`; an export may nest them (assertions
under their badge class, badge classes under their issuer): every entity found at any depth
is read. An assertion's `recipient.plaintextIdentity` is the earner's address in clear: it
is never read.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from generator.importing.messages import said
from generator.importing.ob2 import Reader, kind_of
from generator.importing.records import Imported
from generator.importing.shapes import read_objects
from generator.site.model.problems import Location, Problems

ENTITY_TYPES = ("Issuer", "BadgeClass", "Assertion")
MAX_DEPTH = 8  # an issuer, its badge classes, their assertions, and a few wrappers


def read_json_source(
    value: Any, location: Location, into: Imported, problems: Problems, folder: Path
) -> None:
    """Read a parsed JSON source into `into`."""
    if isinstance(value, dict) and "result" in value and "type" not in value:
        status = value.get("status")
        if isinstance(status, dict) and status.get("success") is False:
            problems.error(
                location,
                f"the export is an error answer ({said(status.get('description'))}), not "
                "badges; export again",
            )
            return
        value = value["result"]
    entities = sorted(_entities(value, 0), key=lambda e: ENTITY_TYPES.index(e["entityType"]))
    reader = Reader(into, location, problems, folder)
    if entities:
        reader.read([open_badge(entity) for entity in entities])
        reader.read([item for item in _ob2_objects(value) if kind_of(item) is not None])
    else:
        read_objects(value, reader)


def _entities(value: Any, depth: int) -> Iterator[dict[str, Any]]:
    """Badgr's entities in a JSON value, at any depth (an export nests them)."""
    if depth > MAX_DEPTH:
        return
    if isinstance(value, list):
        for item in value:
            yield from _entities(item, depth + 1)
    elif isinstance(value, dict):
        if value.get("entityType") in ENTITY_TYPES:
            yield value
        for key, item in value.items():
            if key not in ("recipient", "evidence", "alignments", "extensions", "staff"):
                yield from _entities(item, depth + 1)


def _ob2_objects(value: Any) -> list[dict[str, Any]]:
    """Open Badges 2.0 objects beside Badgr's entities, at the top of the source."""
    items = value if isinstance(value, list) else [value]
    return [item for item in items if isinstance(item, dict) and "entityType" not in item]


def open_badge(entity: dict[str, Any]) -> dict[str, Any]:
    """A Badgr entity as the Open Badges 2.0 object its `openBadgeId` hosts (as far as the
    entity says it), for the Open Badges reader."""
    kind = entity["entityType"]
    shared = {"type": kind, "id": entity.get("openBadgeId")}
    if kind == "Issuer":
        names = ("name", "url", "email", "description", "image")
        return {**shared, **{name: entity.get(name) for name in names}}
    if kind == "BadgeClass":
        criteria = {"id": entity.get("criteriaUrl"), "narrative": entity.get("criteriaNarrative")}
        expires = entity.get("expires")
        return {
            **shared,
            "issuer": entity.get("issuerOpenBadgeId"),
            "name": entity.get("name"),
            "description": entity.get("description"),
            "image": entity.get("image"),
            "criteria": {k: v for k, v in criteria.items() if v},
            "tags": entity.get("tags"),
            "alignment": entity.get("alignments"),
            # Badgr gives {"amount": null, "duration": null} for a badge that never expires.
            "expires": expires if isinstance(expires, dict) and expires.get("amount") else None,
        }
    recipient = entity.get("recipient")
    if isinstance(recipient, dict):
        recipient = {k: v for k, v in recipient.items() if k != "plaintextIdentity"}
    evidence = entity.get("evidence")
    return {
        **shared,
        "badge": entity.get("badgeclassOpenBadgeId"),
        "issuedOn": entity.get("issuedOn"),
        "expires": entity.get("expires"),
        "revoked": entity.get("revoked") is True,
        "revocationReason": entity.get("revocationReason"),
        "narrative": entity.get("narrative"),
        "evidence": [
            {"id": item.get("url"), "narrative": item.get("narrative")}
            for item in evidence
            if isinstance(item, dict)
        ]
        if isinstance(evidence, list)
        else None,
        "recipient": recipient,
    }

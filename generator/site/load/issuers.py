"""content/issuers/<slug>.yaml: a structure (or the network), its machines and public keys."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.site.load.parsing import Document
from generator.site.load.repository import Repository, parse_datetime
from generator.site.model.network import (
    Coordinates,
    Issuer,
    Machine,
    PublicKey,
    Text,
)
from generator.site.model.problems import Problems


def load_issuer(source: Repository, path: Path, language: str) -> Issuer | None:
    """A structure; one whose schema fails is read in part (see Repository.yaml)."""
    document = source.yaml(path, "issuer", partial=True)
    if document is None:
        return None
    value = document.value
    coordinates = value.get("coordinates")
    logo = value.get("logo")
    return Issuer(
        slug=path.stem,
        name=value.get("name", ""),
        url=value.get("url", ""),
        email=value.get("email", ""),
        description=Text.of(value.get("description", ""), language),
        address=value.get("address"),
        coordinates=Coordinates(float(coordinates["lat"]), float(coordinates["lon"]))
        if coordinates
        else None,
        opening=Text.of(value["opening"], language) if "opening" in value else None,
        opening_url=value.get("opening_url"),
        logo=source.asset(path.parent, logo, document, ("logo",)) if logo else None,
        awards=tuple(value.get("awards", [])),
        machines=tuple(
            Machine(
                slug=slug,
                name=machine["name"],
                domain=machine["domain"],
                model=machine.get("model"),
                level=machine["level"],
                booking_url=machine.get("booking_url"),
                source=document.at(("machines", slug)),
            )
            for slug, machine in value.get("machines", {}).items()
        ),
        keys=tuple(
            _public_key(key, document, index, source.problems)
            for index, key in enumerate(value.get("keys", []))
        ),
        source=document.location,
        lines=document.lines,
        broken=document.broken,
    )


def _public_key(
    key: dict[str, Any], document: Document, index: int, problems: Problems
) -> PublicKey:
    where = ("keys", index)
    return PublicKey(
        id=key["id"],
        public_key_multibase=key["public_key_multibase"],
        valid_from=parse_datetime(key["valid_from"], document, (*where, "valid_from"), problems),
        valid_until=(
            parse_datetime(key["valid_until"], document, (*where, "valid_until"), problems)
            if "valid_until" in key
            else None
        ),
        compromised_at=(
            parse_datetime(key["compromised_at"], document, (*where, "compromised_at"), problems)
            if "compromised_at" in key
            else None
        ),
        source=document.at(where),
    )

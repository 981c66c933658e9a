"""content/issuers/<slug>.yaml: a structure (or the network), its machines and maintainers (its
keys are in its key history, load/key_logs.py)."""

from __future__ import annotations

from pathlib import Path

from generator.site.load.repository import Repository
from generator.site.model.network import (
    Coordinates,
    Issuer,
    Machine,
    Text,
)


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
        keys=(),  # proven by the checks, from its key history (check/authority.py)
        maintainers=tuple(value.get("maintainers", [])),
        source=document.location,
        lines=document.lines,
        broken=document.broken,
    )

"""content/people/<slug>.yaml: an earner's pseudonym, display name and consent; never an email."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from generator.site.load.repository import Repository
from generator.site.model.network import (
    Person,
)


def load_person(source: Repository, path: Path) -> Person | None:
    """A person file; it must never hold an email address (only pseudonymous links)."""
    document = source.yaml(path, "person")
    if document is None:
        return None
    value = document.value
    for key_path, line in sorted(document.lines.items(), key=lambda item: item[1]):
        text = _value_at(value, key_path)
        if isinstance(text, str) and _EMAIL_IN_TEXT.search(text):
            source.problems.error(
                document.location.at(line),
                "a person file must not hold an email address (privacy); remove it, and give "
                "an https contact link of the person's choosing if they want one",
            )
    return Person(
        slug=path.stem,
        name=value.get("name"),
        consent=frozenset(scope for scope, given in value.get("consent", {}).items() if given),
        contact=value.get("contact"),
        awards=tuple(_award_ref(ref) for ref in value["awards"]),
        source=document.location,
        lines=document.lines,
        portfolio_withdrawn=bool(value.get("portfolio_withdrawn", False)),
    )


def _award_ref(ref: str) -> tuple[str, str]:
    issuer, award = ref.split("/", 1)
    return issuer, award


_EMAIL_IN_TEXT = re.compile(r"[^@\s:/]+@[^@\s/]+\.[A-Za-z]{2,}")


def _value_at(value: Any, path: tuple[str | int, ...]) -> Any:
    for part in path:
        try:
            value = value[part]
        except (KeyError, IndexError, TypeError):
            return None
    return value

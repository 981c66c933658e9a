"""Person files (content/people/<slug>.yaml): written by `issue --person` and `consent`.

A person file links awards to a pseudonymous slug and records consent, outside every
signature, so that consent can change without re-signing anything. These files are
managed by the tools: they are rewritten whole, in a fixed layout.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from generator.site.check.content import SLUG
from generator.site.load.repository import CONTENT, Repository
from generator.site.model.network import CONSENT_SCOPES
from generator.site.model.problems import Problems

HEADER = (
    "# yaml-language-server: $schema=../../generator/schemas/person.schema.json\n"
    "# Written by 'build.py issue --person' and 'build.py consent'. Never put an email here.\n"
)


FIELDS = ("name", "consent", "portfolio_withdrawn", "contact", "awards")
"""A person file's keys, in the order the tools write them."""


class PersonError(Exception):
    """A refused change to a person file; the message says what to do."""


def parse_scopes(text: str | None) -> frozenset[str]:
    """'name,map' -> {'name', 'map'}; unknown scopes refused."""
    scopes = frozenset(part.strip() for part in (text or "").split(",") if part.strip())
    unknown = sorted(scopes - set(CONSENT_SCOPES))
    if unknown:
        raise PersonError(
            f"unknown consent scope(s) {', '.join(unknown)}; use: {', '.join(CONSENT_SCOPES)}"
        )
    return scopes


def person_path(source: Path, slug: str) -> Path:
    """Where a person's file lives."""
    if not SLUG.match(slug):
        raise PersonError(
            f"person '{slug}' is not a valid slug; choose a pseudonym with lower-case letters, "
            "digits and '-' (never derived from the email)"
        )
    return source / CONTENT / "people" / f"{slug}.yaml"


def _person_fields(source: Path, path: Path) -> dict[str, Any]:
    """A person file's fields, read and checked as the build reads them (BuildFailed, with
    each problem located, when the build would refuse the file)."""
    problems = Problems()
    document = Repository(source, problems).yaml(path, "person")
    problems.raise_if_errors()
    assert document is not None, "Repository.yaml reports why a file is unusable"
    return dict(document.value)


def update_person(
    source: Path,
    slug: str,
    *,
    name: str | None = None,
    grant: Iterable[str] = (),
    withdraw: Iterable[str] = (),
    awards: Iterable[tuple[str, str]] = (),
    must_exist: bool = False,
) -> Path:
    """Create or update a person file; return its path."""
    path = person_path(source, slug)
    if must_exist and not path.is_file():
        raise PersonError(f"no person '{slug}' (content/people/{slug}.yaml); check the slug")
    data = _person_fields(source, path) if path.is_file() else {}
    if name is not None:
        if "@" in name:
            raise PersonError("a display name must not be an email address")
        data["name"] = name
    consent = {scope: bool(data.get("consent", {}).get(scope, False)) for scope in CONSENT_SCOPES}
    published_portfolio = consent["portfolio"]
    for scope in grant:
        consent[scope] = True
    for scope in withdraw:
        consent[scope] = False
    data["consent"] = consent
    # The portfolio's address may be on CVs: once withdrawn, it answers "no longer published"
    # (URLs are forever), which the build knows from this record alone. Only a portfolio that
    # was given is recorded: a page for someone who never had one would tell that they exist.
    if "portfolio" in withdraw and published_portfolio:
        data["portfolio_withdrawn"] = True
    elif consent["portfolio"]:
        data.pop("portfolio_withdrawn", None)
    known = list(data.get("awards", []))
    data["awards"] = known + [f"{i}/{a}" for i, a in awards if f"{i}/{a}" not in known]
    ordered = {key: data[key] for key in FIELDS if key in data}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(HEADER + yaml.safe_dump(ordered, allow_unicode=True, sort_keys=False), "utf-8")
    return path

"""Person files (content/people/<slug>.yaml): written by `issue --person` and `consent`.

A person file links awards to a pseudonymous slug and records consent, outside every
signature, so that consent can change without re-signing anything. A person may also edit
their file by hand (a comment, the order of its fields): the tools edit it round-trip
(ruamel.yaml), changing only the values they set and keeping every comment, quote and
key order; a new file is written in a fixed layout.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from generator.site.check.content import SLUG
from generator.site.load.repository import CONTENT, Repository
from generator.site.model.network import CONSENT_SCOPES
from generator.site.model.problems import Problems

HEADER = (
    "# yaml-language-server: $schema=../../generator/schemas/person.schema.json\n"
    "# Written by 'build.py issue --person' and 'build.py consent'. Never put an email here.\n"
)


FIELDS = ("name", "consent", "portfolio_withdrawn", "contact", "awards")
"""A person file's keys, in the order the tools write them (a key they add goes there)."""


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
    if name is not None and "@" in name:
        raise PersonError("a display name must not be an email address")
    text = _checked_text(source, path) if path.is_file() else None
    editor = _editor(text or "")
    data = editor.load(text) if text is not None else CommentedMap()
    if name is not None and data.get("name") != name:
        _set(data, "name", name)
    consent = data.get("consent")
    if not isinstance(consent, dict):
        consent = CommentedMap()
        _set(data, "consent", consent)
    published_portfolio = bool(consent.get("portfolio", False))
    grant, withdraw = set(grant), set(withdraw)
    for scope in CONSENT_SCOPES:
        given = (scope in grant or bool(consent.get(scope, False))) and scope not in withdraw
        if consent.get(scope) is not given:
            consent[scope] = given
    # The portfolio's address may be on CVs: once withdrawn, it answers "no longer published"
    # (URLs are forever), which the build knows from this record alone. Only a portfolio that
    # was given is recorded: a page for someone who never had one would tell that they exist.
    if "portfolio" in withdraw and published_portfolio:
        _set(data, "portfolio_withdrawn", True)
    elif consent["portfolio"] and "portfolio_withdrawn" in data:
        del data["portfolio_withdrawn"]
    known = data.get("awards")
    if not isinstance(known, list):
        known = CommentedSeq()
        _set(data, "awards", known)
    known.extend(ref for ref in (f"{i}/{a}" for i, a in awards) if ref not in known)
    written = io.StringIO()
    editor.dump(data, written, transform=lambda text: text.removeprefix("%YAML 1.1\n---\n"))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        written.getvalue() if text is not None else HEADER + written.getvalue(), "utf-8"
    )
    return path


def _checked_text(source: Path, path: Path) -> str:
    """A person file's text, once the build's reader accepts it (BuildFailed, with each
    problem located, when the build would refuse the file): never edit what is not understood."""
    problems = Problems()
    document = Repository(source, problems).yaml(path, "person")
    problems.raise_if_errors()
    assert document is not None, "Repository.yaml reports why a file is unusable"
    return path.read_text("utf-8")


def _editor(text: str) -> YAML:
    """A round-trip YAML editor that writes lists as the file already does ('- x' at the
    key's indentation, as the tools write them, or indented under it)."""
    editor = YAML()
    # The build reads YAML 1.1 (PyYAML), where 'no', 'on' or '12:30' are no texts: written
    # as 1.1, such a name is quoted (the directive this writes is taken off again).
    editor.version = (1, 1)
    editor.preserve_quotes = True
    editor.width = 4096  # a long name stays on its line
    indented = re.search(r"^[^\s#-][^\n]*:\s*\n(\s+)- ", text, re.MULTILINE)
    if indented:
        offset = len(indented.group(1))
        editor.indent(mapping=2, sequence=offset + 2, offset=offset)
    else:
        editor.indent(mapping=2, sequence=2, offset=0)
    return editor


def _set(data: CommentedMap, key: str, value: Any) -> None:
    """Set a key; a new one goes where the tools' layout puts it (FIELDS), among the others."""
    if key in data:
        data[key] = value
        return
    after = FIELDS[FIELDS.index(key) + 1 :]
    position = next((i for i, k in enumerate(data) if k in after), len(data))
    data.insert(position, key, value)

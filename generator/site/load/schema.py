"""The JSON Schemas of the content files: checking a parsed file and explaining what is wrong."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from generator.site.load.parsing import Document
from generator.site.model.problems import Problems, one_of, suggest

KINDS = ("site", "skills", "issuer", "badge", "page", "person", "earlier", "endorser")
# A line of a key history, and of the coordinators' log (JSON Lines).
LOG_KINDS = ("key-history", "coordinators")
WHOLE_FILE: tuple[str, ...] = ()
"""The broken part that stands for the whole file: a rule about the file as a whole failed."""


@cache
def schema_of(kind: str) -> dict[str, Any]:
    """The JSON Schema of one kind of content file."""
    text = resources.files("generator.schemas").joinpath(f"{kind}.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@cache
def _validator(kind: str) -> Draft202012Validator:
    return Draft202012Validator(schema_of(kind))


def check(document: Document, kind: str, problems: Problems) -> bool:
    """Check a parsed file against its schema; report each problem at its line."""
    return broken_parts(document, kind, problems) == frozenset()


def broken_parts(
    document: Document, kind: str, problems: Problems
) -> frozenset[tuple[str, ...]] | None:
    """Check a parsed file against its schema, reporting each problem at its line.

    Returns the parts of the file that are missing, wrong or unknown (empty when the file is
    valid): a top-level field (name,), or one entry of a field that maps names to entries
    (name, key), such as one machine of a structure; WHOLE_FILE for a rule about the whole
    file. None when the file is not a mapping at all.
    """
    if not isinstance(document.value, dict):
        problems.error(document.location, f"expected a mapping of fields; {_hint(kind)}")
        return None
    broken: set[tuple[str, ...]] = set()
    errors = sorted(_validator(kind).iter_errors(document.value), key=lambda e: list(e.path))
    for error in errors:
        path = tuple(error.absolute_path)
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            properties = (
                error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
            )
            # A field no longer read ("not": its description says where it went) is no advice.
            allowed = [name for name, rule in properties.items() if "not" not in rule]
            for extra in sorted(set(error.instance) - set(allowed)):
                problems.error(document.at((*path, extra)), _unknown_field(str(extra), allowed))
                broken.add(_part(kind, (*path, extra)))
            continue
        if path:
            broken.add(_part(kind, path))
        elif error.validator == "required":
            broken.add((_missing(error),))
        else:
            broken.add(WHOLE_FILE)
        problems.error(document.at(path), _explain(error, path))
    return frozenset(broken)


def _part(kind: str, path: tuple[Any, ...]) -> tuple[str, ...]:
    """The part of a file an error at path breaks: one entry of a field that maps names to
    entries of one shape (a structure's machines), or else the whole top-level field."""
    field = schema_of(kind).get("properties", {}).get(str(path[0]), {})
    named_entries = isinstance(field.get("additionalProperties"), dict)
    if named_entries and len(path) >= 2 and isinstance(path[1], str):
        return (str(path[0]), path[1])
    return (str(path[0]),)


def _missing(error: ValidationError) -> str:
    """The field a 'required' error names."""
    return str(error.message).split("'")[1]


def _hint(kind: str) -> str:
    return f"see the schema generator/schemas/{kind}.schema.json"


def _field(path: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in path) if path else "the file"


def _explain(error: ValidationError, path: tuple[Any, ...]) -> str:
    """A message saying what is wrong and what to do, for one schema violation."""
    name = _field(path)
    schema = error.schema if isinstance(error.schema, dict) else {}
    match error.validator:
        case "required":
            missing = _missing(error)
            where = f" in {name}" if path else ""
            return f"missing field '{missing}'{where}; add it"
        case "enum":
            choices = [str(choice) for choice in schema.get("enum", [])]
            return (
                f"{name} is '{error.instance}'{suggest(str(error.instance), choices)}; "
                + one_of(choices)
            )
        case "const":
            return f"{name} must be '{schema.get('const')}'"
        case "type":
            return (
                f"{name} must be of type {error.validator_value}, not {_json_type(error.instance)}"
            )
        case "pattern":
            return f"{name} '{error.instance}' is malformed; {_pattern_help(error.validator_value)}"
        case "anyOf":
            return (
                f"{name} must be a text, or a mapping of language code to text (e.g. fr: …, en: …)"
            )
        case "propertyNames":
            return f"'{error.instance}' in {name} is not a valid name; use lower-case letters, digits and '-'"
        case "minLength" | "minProperties" | "minItems":
            return f"{name} must not be empty"
        case "minimum" | "maximum":
            return f"{name} is out of range ({error.message})"
        case "uniqueItems":
            return f"{name} has duplicate items; remove the repeated one"
        case "not":  # a field that is no longer read: its description says where it went
            return f"{name}: {schema.get('description', 'this field is not allowed; remove it')}"
    return f"{name}: {error.message}"


def _unknown_field(name: str, allowed: list[str]) -> str:
    return f"unknown field '{name}'{suggest(name, allowed)}; " + (
        one_of(allowed) if allowed else "remove it"
    )


def _json_type(value: object) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "mapping"
    return "null"


_PATTERN_HELP = {
    "^[a-z0-9]+(-[a-z0-9]+)*$": "use lower-case letters, digits and single '-' (e.g. decoupe-laser)",
    "^#[0-9a-fA-F]{6}$": "write a colour as #rrggbb (e.g. #c0392b)",
    "^\\d{4}-\\d{2}-\\d{2}$": "write a date as YYYY-MM-DD",
    "^[a-z]{2}$": "use a two-letter language code such as fr or en",
    "^[a-z0-9]+(-[a-z0-9]+)*/[a-z0-9]+(-[a-z0-9]+)*$": "write an award as <issuer>/<award-id>",
    "^[A-Za-z0-9](-?[A-Za-z0-9]){0,38}(/[A-Za-z0-9][A-Za-z0-9._-]*)?$": (
        "write a GitHub account (alice-martin) or a team of the network's organisation "
        "(fababrest/biklab), without '@'"
    ),
    "^[A-Za-z0-9](-?[A-Za-z0-9]){0,38}$": "write a GitHub account, such as alice-martin",
    "^sha256:[0-9a-f]{64}$": "it is the hash of the line before, written by the tools",
}


def _pattern_help(pattern: str) -> str:
    if pattern in _PATTERN_HELP:
        return _PATTERN_HELP[pattern]
    if pattern.startswith("^https?"):
        return "write an absolute URL starting with https://"
    if "@" in pattern:
        return "write an email address such as contact@example.org"
    if "T\\d{2}" in pattern:
        return "write a date and time with a time zone, such as 2026-01-31T10:00:00Z"
    return f"it must match {pattern}"

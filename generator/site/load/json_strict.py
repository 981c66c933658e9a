"""Strict JSON: what the build reads from signed files and what `verify` is given must mean
one thing to every verifier (duplicate keys, depth, integers and escapes bounded)."""

from __future__ import annotations

import json
import re
from typing import Any

from generator.site.load.parsing import (
    MAX_INTEGER_DIGITS,
    MAX_NESTING,
    Document,
    lone_surrogate,
    surrogate_message,
)
from generator.site.model.json_lines import json_lines
from generator.site.model.problems import Location, Problems

_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


class JsonRefused(ValueError):
    """JSON that parses, but that the build does not trust: duplicate keys, too deep, a
    number too long."""


class DuplicateKey(JsonRefused):
    """A key repeated in an object: reported at the line where it is repeated."""


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    mapping = dict(pairs)
    if len(mapping) != len(pairs):
        # Parsers disagree on which value counts (Python keeps the last, others the first):
        # a signed document must mean one thing to every verifier.
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise DuplicateKey(f"duplicate key '{key}'")
            seen.add(key)
    return mapping


def _bounded_integer(text: str) -> int:
    digits = len(text.lstrip("-"))
    if digits > MAX_INTEGER_DIGITS:
        raise JsonRefused(f"a number of {digits:,} digits, more than {MAX_INTEGER_DIGITS:,}")
    return int(text)


def loads_strict(text: str) -> Any:
    """Parse JSON, refusing duplicate keys, nesting deeper than MAX_NESTING, integers longer
    than MAX_INTEGER_DIGITS and lone surrogates (JsonRefused); json.JSONDecodeError for a
    syntax error."""
    try:
        value = json.loads(text, object_pairs_hook=_no_duplicate_keys, parse_int=_bounded_integer)
    except RecursionError:
        raise JsonRefused("nested too deeply") from None
    except json.JSONDecodeError:
        raise
    except ValueError as error:  # e.g. a float of thousands of digits
        if isinstance(error, JsonRefused):
            raise
        raise JsonRefused(str(error)) from None
    # Only a text with more brackets than the limit can nest deeper: most are not walked.
    if text.count("[") + text.count("{") > MAX_NESTING and _depth(value) > MAX_NESTING:
        raise JsonRefused(f"nested too deeply (more than {MAX_NESTING} levels)")
    # Only a text with a surrogate's escape can hold a lone one: most are not walked.
    if _SURROGATE_ESCAPE.search(text) and (escape := _first_lone_surrogate(value)):
        raise JsonRefused(surrogate_message(escape))
    return value


def _first_lone_surrogate(value: Any) -> str | None:
    """The escape of the first lone surrogate in a JSON value's texts, keys included."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if escape := lone_surrogate(item):
                return escape
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return None


def _depth(value: Any) -> int:
    """How deeply lists and objects nest in a JSON value (without recursion)."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = (
            item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        )
        if children is not None:
            deepest = max(deepest, depth)
            stack.extend((child, depth + 1) for child in children)
    return deepest


def read_json(text: str, location: Location, problems: Problems) -> Document:
    """Parse JSON text strictly (see loads_strict); report what is wrong, with its line."""
    try:
        return Document(location, loads_strict(text))
    except json.JSONDecodeError as error:
        problems.error(location.at(error.lineno), f"JSON syntax error: {error.msg}; fix the syntax")
    except JsonRefused as refusal:
        duplicate = json_lines(text).duplicate if isinstance(refusal, DuplicateKey) else None
        problems.error(
            location.at(duplicate),
            f"JSON refused: {refusal}; every verifier must read the same document (restore the "
            "file as it was written by the tool that made it)",
        )
    return Document(location, None)

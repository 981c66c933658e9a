"""How a value read from a source is named in a message: as JSON writes it (the way the
person sees it in their file), never as Python's repr (`None`, `['x']`, `{'a': 1}`)."""

from __future__ import annotations

import json
from typing import Any


def said(value: Any) -> str:
    """A value as a message quotes it: a text between quotes, anything else as JSON."""
    if isinstance(value, str):
        return f"'{value}'"
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):  # JSON gives only JSON values; anything else is a bug
        return f"a {type(value).__name__}"


def kind_of_value(value: Any) -> str:
    """What a JSON value is, in words: 'an object', 'a list', 'a number'..."""
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    return "null" if value is None else "a text"

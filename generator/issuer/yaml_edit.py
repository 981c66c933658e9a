"""Edits of an issuer's YAML file by the key tools, keeping the person's comments and layout:
`init-trust` takes out the `keys:` that moved to the structure's key history."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.site.load.parsing import read_yaml
from generator.site.model.problems import Location, Problems


class YamlEditError(Exception):
    """The file's layout does not allow a safe edit; the message says what to do."""


def without_keys(path: Path) -> tuple[str, list[dict[str, Any]]] | None:
    """The file's text without its top-level `keys:` block (the keys moved to the key
    history), and the keys it held; None when it has no `keys:`."""
    text = _read(path)
    problems = Problems()
    document = read_yaml(text, Location(path.name), problems)
    if problems.has_errors or not isinstance(document.value, dict):
        raise YamlEditError(f"{path}: fix the file's errors first ('build.py check')")
    keys = document.value.get("keys")
    if keys is None:
        return None
    if not isinstance(keys, list) or not all(isinstance(key, dict) for key in keys):
        raise YamlEditError(f"{path}: 'keys:' is not a list of keys; fix it first")
    lines = text.splitlines(keepends=True)
    start = document.lines[("keys",)] - 1
    end = _end_of_block(lines, start + 1)
    return "".join(lines[:start] + lines[end:]), keys


def _read(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8")
    except OSError as error:
        raise YamlEditError(f"{path}: cannot be read ({error.strerror or error})") from None
    except UnicodeDecodeError:
        raise YamlEditError(f"{path}: not valid UTF-8; save it as UTF-8") from None


def _end_of_block(lines: list[str], key_line: int) -> int:
    """The index of the first line after the top-level block that starts at key_line (1-based)."""
    index = key_line
    while index < len(lines):
        stripped = lines[index].strip()
        if (
            stripped
            and not lines[index].startswith((" ", "\t", "-"))
            and not stripped.startswith("#")
        ):
            break
        index += 1
    # Blank lines and column-0 comments just before the next field belong to that field.
    while index > key_line and (not lines[index - 1].strip() or lines[index - 1].startswith("#")):
        index -= 1
    return index

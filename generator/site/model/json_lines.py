"""Where each value of a JSON text sits: the line of every member and item, by its path, so a
problem in a signed JSON file points at `path:line` as one in a YAML file does. Read only when
a problem is reported (Python's json module keeps no positions)."""

from __future__ import annotations

import bisect
import contextlib
import json
import re
from dataclasses import dataclass, field

JsonPath = tuple[str | int, ...]

_SPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


@dataclass
class JsonLines:
    """The line of each value by path (an object's member at its key's line), and the line of
    the first key repeated in an object, if any."""

    lines: dict[JsonPath, int] = field(default_factory=dict)
    duplicate: int | None = None

    def line_of(self, path: JsonPath) -> int | None:
        """The line of the value at path, or of its nearest parent that has one."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:end]))
            if line is not None:
                return line
        return None


def json_lines(text: str) -> JsonLines:
    """The lines of a JSON text's values; as much as could be read if the text is not JSON."""
    starts = [0] + [match.end() for match in re.finditer("\n", text)]
    found = JsonLines()

    def line(position: int) -> int:
        return bisect.bisect_right(starts, position)

    def skip(position: int) -> int:
        match = _SPACE.match(text, position)
        return match.end() if match else position

    def value(position: int, path: JsonPath) -> int:
        position = skip(position)
        found.lines.setdefault(path, line(position))
        opening = text[position : position + 1]
        if opening == "{":
            return members(position + 1, path)
        if opening == "[":
            return items(position + 1, path)
        _, end = _DECODER.raw_decode(text, position)
        return end

    def members(position: int, path: JsonPath) -> int:
        seen: set[str] = set()
        position = skip(position)
        if text.startswith("}", position):
            return position + 1
        while True:
            key, position = json.decoder.scanstring(text, skip(position) + 1)  # type: ignore[attr-defined]
            key_line = line(position)
            if key in seen and found.duplicate is None:
                found.duplicate = key_line
            seen.add(key)
            found.lines.setdefault((*path, key), key_line)
            position = skip(value(skip(position) + 1, (*path, key)))
            if text.startswith("}", position):
                return position + 1
            position += 1  # the comma

    def items(position: int, path: JsonPath) -> int:
        position = skip(position)
        if text.startswith("]", position):
            return position + 1
        index = 0
        while True:
            position = skip(value(position, (*path, index)))
            if text.startswith("]", position):
                return position + 1
            position += 1
            index += 1

    # The parser reports what is wrong with a text that is not JSON; keep the lines read so far.
    with contextlib.suppress(ValueError, IndexError, RecursionError):
        value(0, ())
    return found

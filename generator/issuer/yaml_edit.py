"""Edits of an issuer's YAML file by the key tool, keeping the person's comments and layout."""

from __future__ import annotations

from pathlib import Path

from generator.site.load.parsing import read_yaml
from generator.site.model.problems import Location, Problems


class YamlEditError(Exception):
    """The file's layout does not allow a safe edit; the message says what to do."""


def with_key(
    path: Path, *, key_id: str, multibase: str, valid_from: str, retire: tuple[str, str] | None
) -> str:
    """The file's text with a key appended to `keys:` (created if needed), and the previous
    key's validity ended; the file itself is not written."""
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as error:
        raise YamlEditError(f"{path}: cannot be read ({error.strerror or error})") from None
    except UnicodeDecodeError:
        raise YamlEditError(f"{path}: not valid UTF-8; save it as UTF-8") from None
    problems = Problems()
    document = read_yaml(text, Location(path.name), problems)
    if problems.has_errors or not isinstance(document.value, dict):
        raise YamlEditError(f"{path}: fix the file's errors first ('build.py check')")
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    keys = document.value.get("keys")
    if keys is None:
        lines += ["keys:\n", *_entry("  ", key_id, multibase, valid_from)]
    else:
        if not isinstance(keys, list) or not keys or _is_flow(lines, document.lines[("keys",)]):
            raise YamlEditError(
                f"{path}: write 'keys:' as a block list (one '- id:' per key) so keygen can add one"
            )
        first = lines[document.lines[("keys", 0, "id")] - 1]
        dash = first[: first.index("-")]  # the existing items' indentation, kept as it is
        entry = _entry(dash, key_id, multibase, valid_from)
        end = _end_of_block(lines, document.lines[("keys",)])
        if retire is not None:
            index = next(i for i, key in enumerate(keys) if key.get("id") == retire[0])
            after = document.lines[("keys", index, "valid_from")]  # 1-based line of valid_from
            indent = lines[after - 1][: len(lines[after - 1]) - len(lines[after - 1].lstrip())]
            lines.insert(after, f"{indent}valid_until: {retire[1]}\n")
            end += 1
        lines[end:end] = entry
    return "".join(lines)


def _entry(dash: str, key_id: str, multibase: str, valid_from: str) -> list[str]:
    inner = dash + "  "
    return [
        f"{dash}- id: {key_id}\n",
        f"{inner}type: Multikey\n",
        f"{inner}public_key_multibase: {multibase}\n",
        f"{inner}valid_from: {valid_from}\n",
    ]


def _is_flow(lines: list[str], line: int) -> bool:
    return line > 0 and "[" in lines[line - 1].split("keys:", 1)[-1]


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

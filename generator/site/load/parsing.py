"""Reading the files people edit: YAML, Markdown with front matter, JSON, with line numbers."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import yaml

from generator.site.problems import Location, Problems

JsonPath = tuple[str | int, ...]


class _Loader(yaml.SafeLoader):
    """A safe YAML loader that keeps dates and timestamps as strings.

    The model parses them itself, so that a date without a time zone is reported with its
    line instead of silently becoming a naive datetime.
    """


class _FastLoader(getattr(yaml, "CSafeLoader", _Loader)):  # type: ignore[misc]
    """The same loader on libyaml's parser (in PyYAML's wheels), several times faster.

    Both give the same nodes with the same lines; for a file that does not parse, the
    pure-Python parser is asked again, because its messages say what it found.
    """


for _loader in (_Loader, _FastLoader):
    _loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }


@dataclass
class Document:
    """A parsed file: its value, and the line of each value by its path inside the file."""

    location: Location
    value: Any
    lines: dict[JsonPath, int] = field(default_factory=dict)

    def at(self, path: JsonPath) -> Location:
        """The location of the value at path, or of its nearest parent."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:end]))
            if line is not None:
                return self.location.at(line)
        return self.location


def read_yaml(text: str, location: Location, problems: Problems, line_offset: int = 0) -> Document:
    """Parse YAML text; report syntax errors and duplicate keys; None value on failure."""
    try:
        node, loader = _parse(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 + line_offset if mark else None
        what = error.problem or error.context or "invalid YAML"
        problems.error(location.at(line), f"YAML syntax error: {what}; fix the syntax")
        return Document(location, None)
    except yaml.YAMLError as error:
        problems.error(location, f"YAML error: {error}; fix the syntax")
        return Document(location, None)
    document = Document(location, None)
    if node is not None:
        document.value = _convert(node, (), document, loader, problems, line_offset)
    return document


def _parse(text: str) -> tuple[yaml.Node | None, yaml.SafeLoader]:
    """The document's node and the loader that made it; the pure-Python parser's error."""
    fast = _FastLoader(text)
    try:
        return fast.get_single_node(), fast
    except yaml.YAMLError:
        pass  # asked again below, for the message
    finally:
        fast.dispose()
    loader = _Loader(text)
    try:
        return loader.get_single_node(), loader
    finally:
        loader.dispose()


def _convert(
    node: yaml.Node,
    path: JsonPath,
    document: Document,
    loader: yaml.SafeLoader,
    problems: Problems,
    offset: int,
) -> Any:
    document.lines.setdefault(path, node.start_mark.line + 1 + offset)
    if isinstance(node, yaml.MappingNode):
        mapping: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            key_line = key_node.start_mark.line + 1 + offset
            if key in mapping:
                problems.error(
                    document.location.at(key_line),
                    f"duplicate key '{key}'; each key may appear only once, remove one of them",
                )
                continue
            document.lines[(*path, key)] = key_line
            mapping[key] = _convert(value_node, (*path, key), document, loader, problems, offset)
        return mapping
    if isinstance(node, yaml.SequenceNode):
        return [
            _convert(item, (*path, index), document, loader, problems, offset)
            for index, item in enumerate(node.value)
        ]
    return loader.construct_object(node, deep=True)


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """Split '---' YAML front matter from a Markdown body: (yaml, body, body's first line)."""
    lines = text.lstrip("\ufeff").splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return None, text, 1
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            return "".join(lines[1:index]), "".join(lines[index + 1 :]), index + 2
    return None, text, 1


def read_markdown(text: str, location: Location, problems: Problems) -> tuple[Document, str]:
    """Parse a Markdown file with YAML front matter into (front matter, body)."""
    front, body, _ = split_front_matter(text)
    if front is None:
        return Document(location, {}), text
    document = read_yaml(front, location, problems, line_offset=1)
    if document.value is None:
        document.value = {}
    return document, body


class JsonRefused(ValueError):
    """JSON that parses, but that the build does not trust: duplicate keys, too deep, a
    number too long."""


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    mapping = dict(pairs)
    if len(mapping) != len(pairs):
        # Parsers disagree on which value counts (Python keeps the last, others the first):
        # a signed document must mean one thing to every verifier.
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise JsonRefused(f"duplicate key '{key}'")
            seen.add(key)
    return mapping


def loads_strict(text: str) -> Any:
    """Parse JSON, refusing duplicate keys, nesting too deep for the parser and numbers too
    long to read (JsonRefused); json.JSONDecodeError for a syntax error."""
    try:
        return json.loads(text, object_pairs_hook=_no_duplicate_keys)
    except RecursionError:
        raise JsonRefused("nested too deeply") from None
    except json.JSONDecodeError:
        raise
    except ValueError as error:  # e.g. an integer of thousands of digits
        if isinstance(error, JsonRefused):
            raise
        raise JsonRefused(str(error)) from None


def read_json(text: str, location: Location, problems: Problems) -> Document:
    """Parse JSON text strictly (see loads_strict); report what is wrong, with its line."""
    try:
        return Document(location, loads_strict(text))
    except json.JSONDecodeError as error:
        problems.error(location.at(error.lineno), f"JSON syntax error: {error.msg}; fix the syntax")
    except JsonRefused as refusal:
        problems.error(
            location,
            f"JSON refused: {refusal}; every verifier must read the same document (restore the "
            "file as it was written by the tool that made it)",
        )
    return Document(location, None)

"""Reading the files people edit: YAML and Markdown with front matter, with line numbers; the
bounds every parser of the build keeps (JSON's reader is json_strict.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from generator.site.model.problems import Location, Problems

JsonPath = tuple[str | int, ...]


# Bounds shared by the JSON and YAML readers. Content and credentials nest a handful of levels
# deep; both parsers recurse once or more per level, so a deeper file would reach Python's
# recursion limit. Converting an integer's digits takes time quadratic in their number: 4300
# is Python's own default limit (sys.int_info.default_max_str_digits), written here so that an
# interpreter setting cannot lift it.
MAX_NESTING = 100
MAX_INTEGER_DIGITS = 4300

# Half of a UTF-16 surrogate pair is no character: only an escape (\ud800 in YAML or JSON)
# can write one, no UTF-8 file can hold it, and every file the build publishes is UTF-8 (it
# stopped the build with a traceback when the page was written).
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def lone_surrogate(text: str) -> str | None:
    """The first lone surrogate in a text, written as its escape ('\\ud800'); None if none."""
    found = _LONE_SURROGATE.search(text)
    return None if found is None else f"\\u{ord(found.group()):04x}"


def surrogate_message(escape: str) -> str:
    return (
        f"the escape '{escape}' is half of a UTF-16 surrogate pair, not a character, and no "
        "published file can hold it; remove it, or write the character itself"
    )


_INT = "tag:yaml.org,2002:int"
# The tags a content file's values may have: what JSON can say. Anything else (binary, set,
# omap, timestamp, python/...) is refused rather than becoming a value the schemas cannot
# describe.
_PLAIN_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "seq", "map")
)
# Implicit tags left out: timestamps (the model parses dates itself, so that a date without a
# time zone is reported with its line instead of silently becoming a naive datetime), and
# YAML 1.1's merge key '<<' and value key '=' (read as the texts they look like).
_UNRESOLVED = {f"tag:yaml.org,2002:{name}" for name in ("timestamp", "merge", "value")}


class _Loader(yaml.SafeLoader):
    """A safe YAML loader that resolves only the implicit tags JSON has (see _UNRESOLVED)."""


class _FastLoader(getattr(yaml, "CSafeLoader", _Loader)):  # type: ignore[misc]
    """The same loader on libyaml's parser (in PyYAML's wheels), several times faster.

    Both give the same nodes with the same lines; for a file that does not parse, the
    pure-Python parser is asked again, because its messages say what it found.
    """


for _loader in (_Loader, _FastLoader):
    _loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag not in _UNRESOLVED]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }


@dataclass
class Document:
    """A parsed file: its value, and the line of each value by its path inside the file."""

    location: Location
    value: Any
    lines: dict[JsonPath, int] = field(default_factory=dict)
    broken: frozenset[str] = frozenset()
    """The top-level fields its schema refused, taken out of value (see Repository.yaml)."""

    def at(self, path: JsonPath) -> Location:
        """The location of the value at path, or of its nearest parent."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:end]))
            if line is not None:
                return self.location.at(line)
        return self.location


class _Refused(Exception):
    """A YAML file that parses but that the build does not read: the node, and why."""

    def __init__(self, event: yaml.Event, message: str) -> None:
        super().__init__(message)
        self.mark = event.start_mark
        self.message = message


def read_yaml(text: str, location: Location, problems: Problems, line_offset: int = 0) -> Document:
    """Parse YAML text; report syntax errors, duplicate keys, anchors and aliases, nesting
    deeper than MAX_NESTING, integers longer than MAX_INTEGER_DIGITS, keys that are not text
    and tags JSON does not have; None value when the file cannot be used."""

    def line_of(mark: Any) -> int | None:
        return int(mark.line) + 1 + line_offset if mark else None

    try:
        _screen(text)
        node, loader = _parse(text)
        document = Document(location, None)
        if node is not None:
            conversion = _Conversion(document, loader, problems, line_offset)
            value = conversion.value(node, ())
            if not conversion.refused:
                document.value = value
        return document
    except _Refused as refusal:
        problems.error(location.at(line_of(refusal.mark)), refusal.message)
    except yaml.reader.ReaderError as error:  # a control character, or bytes that are no text
        line = text.count("\n", 0, error.position) + 1 + line_offset
        code = ord(error.character) if isinstance(error.character, str) else error.character
        problems.error(
            location.at(line),
            f"the character U+{code:04X} is not allowed in a YAML file; remove it",
        )
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        what = error.problem or error.context or "invalid YAML"
        opened = _OPENED.get(error.context or "")
        if opened and error.context_mark and error.problem_mark:
            # A '{', '[' or quote left open: the parser finds out lines later (at the end of
            # the file, for a quote), but the mistake is where it was opened.
            mark, found = error.context_mark, error.problem_mark
            what = f"{opened} opened here is not closed (line {line_of(found)}: {what})"
        todo = "indent with spaces, never tabs" if "'\\t'" in what else "fix the syntax"
        problems.error(location.at(line_of(mark)), f"YAML syntax error: {what}; {todo}")
    except yaml.YAMLError as error:
        problems.error(location, f"YAML error: {error}; fix the syntax")
    except RecursionError:  # not reached: _screen bounds the nesting first
        problems.error(location, f"YAML refused: {_TOO_DEEP}")
    return Document(location, None)


# PyYAML's context for a collection or a text in quotes that it was reading when it failed.
_OPENED = {
    "while parsing a flow mapping": "a '{'",
    "while parsing a flow sequence": "a '['",
    "while scanning a quoted scalar": "a quote",
}


_TOO_DEEP = (
    f"lists and mappings nested more than {MAX_NESTING} levels deep; "
    "no content file needs that many, flatten it"
)


def _screen(text: str) -> None:
    """Refuse (_Refused) an anchor, an alias or nesting deeper than MAX_NESTING, from the
    parser's events, before any node is built.

    Content files never need anchors and aliases, and aliases are how a few lines of YAML
    expand to billions of values ("billion laughs"). Each collection starts with one of
    '[', '{', '-', ':' or '?', so a file with fewer of those cannot nest too deeply, and one
    without '&' and '*' holds no anchor or alias: most files are not screened at all.
    """
    indicators = sum(text.count(character) for character in "[{-:?")
    if indicators <= MAX_NESTING and "&" not in text and "*" not in text:
        return
    # libyaml stops at its own nesting limit while reading ahead (a syntax error here): the
    # pure-Python parser, whose events come without recursion, then finds where it is.
    for parser in (_FastLoader, _Loader):
        events = parser(text)
        try:
            _screen_events(events)
            return
        except yaml.YAMLError:
            continue  # a syntax error: _parse reports it, with the pure-Python parser's words
        finally:
            events.dispose()


def _screen_events(events: yaml.SafeLoader) -> None:
    depth = 0
    while events.check_event():
        event = events.get_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.AliasEvent):
            raise _Refused(event, _ALIASES.format(f"alias '*{event.anchor}'"))
        if isinstance(event, yaml.NodeEvent) and event.anchor is not None:
            raise _Refused(event, _ALIASES.format(f"anchor '&{event.anchor}'"))
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_NESTING:
                raise _Refused(event, f"YAML refused: {_TOO_DEEP}")
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


_ALIASES = (
    "YAML refused: {} — anchors (&name) and aliases (*name) are not allowed in content files; "
    "write the value out in full wherever it is needed"
)


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


@dataclass
class _Conversion:
    """Turns a document's nodes into values, noting each value's line and reporting what
    the build does not read (refused: the file is then not used)."""

    document: Document
    loader: yaml.SafeLoader
    problems: Problems
    offset: int
    refused: bool = False

    def value(self, node: yaml.Node, path: JsonPath) -> Any:
        """The value of a node, at path in the document."""
        line = self._line(node)
        self.document.lines.setdefault(path, line)
        if node.tag not in _PLAIN_TAGS:
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            self._refuse(
                line,
                f"the tag '{tag}' is not allowed in content files; remove it and write a text, "
                "number, true/false, list or mapping",
            )
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.value(item, (*path, index)) for index, item in enumerate(node.value)]
        if node.tag == _INT and len(node.value) > MAX_INTEGER_DIGITS:
            self._refuse(
                line,
                f"a number of {len(node.value):,} characters, more than the "
                f"{MAX_INTEGER_DIGITS:,} a number may have; shorten it, or put it in quotes if it "
                "is a text",
            )
            return None
        value = self.loader.construct_object(node, deep=True)
        if isinstance(value, str) and (escape := lone_surrogate(value)):
            self._refuse(line, surrogate_message(escape))
            return None
        return value

    def _mapping(self, node: yaml.MappingNode, path: JsonPath) -> dict[str, Any]:
        mapping: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = self._key(key_node)
            if key is None:
                continue
            key_line = self._line(key_node)
            if key in mapping:
                self.problems.error(
                    self.document.location.at(key_line),
                    f"duplicate key '{key}'; each key may appear only once, remove one of them",
                )
                continue
            self.document.lines[(*path, key)] = key_line
            mapping[key] = self.value(value_node, (*path, key))
        return mapping

    def _key(self, node: yaml.Node) -> str | None:
        """A mapping's key, which must be a text; None (refused) otherwise."""
        if isinstance(node, yaml.ScalarNode) and node.tag in _PLAIN_TAGS:
            key = self.loader.construct_object(node, deep=True)
            if isinstance(key, str) and (escape := lone_surrogate(key)):
                self._refuse(self._line(node), surrogate_message(escape))
                return None
            if isinstance(key, str):
                return key
        if isinstance(node, yaml.ScalarNode):
            message = (
                f"the key '{node.value}' is read as {_what(key)}, but keys are texts (YAML reads "
                "numbers, yes/no, true/false and null as values); put the key in quotes"
            )
        else:
            message = "a list or mapping cannot be a key; keys are texts, write a plain key"
        self._refuse(self._line(node), message)
        return None

    def _line(self, node: yaml.Node) -> int:
        return int(node.start_mark.line) + 1 + self.offset

    def _refuse(self, line: int, message: str) -> None:
        self.problems.error(self.document.location.at(line), message)
        self.refused = True


def _what(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    return "a number" if isinstance(value, int | float) else "a value"


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

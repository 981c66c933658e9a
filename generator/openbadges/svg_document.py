"""An SVG file read with a hardened XML parser: the one way the generator parses SVG (badge
images and logos when they are checked, baking, and reading a baked image back).

defusedxml refuses any DOCTYPE, so no entity is ever declared or expanded (no "billion
laughs") and no external DTD or entity is ever fetched: https://pypi.org/project/defusedxml/.
Processing instructions (an `<?xml-stylesheet?>` can turn the image into a page) are kept for
the caller to judge, with the line of every element for its messages.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from typing import Any
from xml.parsers.expat import ErrorString

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

SVG_NAMESPACE = "http://www.w3.org/2000/svg"


class SvgUnreadable(ValueError):
    """An SVG file the hardened parser refuses; the message says what to do."""

    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class SvgDocument:
    """A parsed SVG file: its root, each element's line, and its processing instructions."""

    root: ElementTree.Element
    lines: dict[int, int]  # id(element) -> line of its start tag
    instructions: tuple[tuple[str, int], ...]  # (target, line), e.g. ("xml-stylesheet", 1)

    def line_of(self, element: ElementTree.Element) -> int:
        """The line of an element's start tag (1-based)."""
        return self.lines[id(element)]


class _LineKeepingBuilder(ElementTree.TreeBuilder):
    """Builds the tree, noting the line of each element and every processing instruction."""

    def __init__(self) -> None:
        super().__init__()
        self.parser: Any = None  # the expat parser, set once the XMLParser exists
        self.lines: dict[int, int] = {}
        self.instructions: list[tuple[str, int]] = []

    def start(self, tag: Any, attrs: Any) -> ElementTree.Element:
        element = super().start(tag, attrs)
        self.lines[id(element)] = self.parser.CurrentLineNumber
        return element

    def pi(self, target: str, text: str | None = None) -> ElementTree.Element:
        self.instructions.append((target, self.parser.CurrentLineNumber))
        return super().pi(target, text)


def parse_svg(data: bytes) -> SvgDocument:
    """The parsed file; raise SvgUnreadable if it is not well-formed XML or has a DOCTYPE."""
    builder = _LineKeepingBuilder()
    parser = DefusedXMLParser(
        target=builder, forbid_dtd=True, forbid_entities=True, forbid_external=True
    )
    expat = parser.parser
    builder.parser = expat
    try:
        parser.feed(data)
        root = parser.close()
    except ElementTree.ParseError as error:
        line, column = error.position
        raise SvgUnreadable(
            f"SVG is not well-formed XML (line {line}, column {column + 1}: {ErrorString(error.code)});"
            " fix it, or export it again as SVG",
            line,
        ) from None
    except DefusedXmlException as error:
        # With DTDs forbidden, the DOCTYPE is refused before any entity can be declared.
        raise SvgUnreadable(
            "SVG has a <!DOCTYPE> declaration; remove it (a DOCTYPE can declare entities or"
            " load a DTD from elsewhere, so it is refused), or export the image as plain SVG",
            expat.CurrentLineNumber,
        ) from error
    return SvgDocument(root, builder.lines, tuple(builder.instructions))

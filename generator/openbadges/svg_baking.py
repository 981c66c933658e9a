"""Bake Open Badges data into SVG images as the root's first child, and read it back.

The file is edited as bytes at the offsets an XML parser reports, so everything but the
baked element (and its namespace declaration) is left as it was. Baking in general:
baking.py.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import NamedTuple
from xml.parsers import expat

from generator.openbadges.baking import BakingError
from generator.openbadges.svg_document import SVG_NAMESPACE, SvgUnreadable, parse_svg

OB2_SVG_NAMESPACE = "http://openbadges.org"
OB3_SVG_NAMESPACE = "https://purl.imsglobal.org/ob/v3p0"

_PREFIX = "openbadges"
_ATTRIBUTE = re.compile(rb"""\s+([^\s=/>]+)\s*=\s*("[^"]*"|'[^']*')""")
_TAG_NAME = re.compile(rb"<([^\s/>]+)")
_TAG_CLOSE = re.compile(rb"\s*/?>")
_NOT_XML_CHAR = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class _StartTag(NamedTuple):
    name: bytes
    attributes: dict[bytes, tuple[int, int]]  # name -> span, leading whitespace included
    attributes_end: int
    close: int  # position of "/>" or ">"
    end: int

    @property
    def self_closing(self) -> bool:
        return self.end - self.close == 2


class _SvgLayout(NamedTuple):
    root: _StartTag
    # "namespace local" of each child of the root, offsets of its start and end tags
    children: list[tuple[str, int, int]]


def bake_svg_ob2(svg: bytes, assertion_url: str, assertion_json: str) -> bytes:
    """Return the SVG with an Open Badges 2.0 assertion baked in as the root's first child."""
    return _bake_svg(svg, OB2_SVG_NAMESPACE, "assertion", {"verify": assertion_url}, assertion_json)


def bake_svg_ob3(svg: bytes, credential_json: str) -> bytes:
    """Return the SVG with an Open Badges 3.0 credential baked in as the root's first child."""
    return _bake_svg(svg, OB3_SVG_NAMESPACE, "credential", {}, credential_json)


def unbake_svg(svg: bytes) -> dict[str, str]:
    """Return {"openbadges": json-or-url, "openbadgecredential": json} for what is baked."""
    try:
        root = parse_svg(svg).root
    except SvgUnreadable as error:
        raise BakingError(str(error)) from error
    found: dict[str, str] = {}
    for keyword, namespace, local in (
        ("openbadges", OB2_SVG_NAMESPACE, "assertion"),
        ("openbadgecredential", OB3_SVG_NAMESPACE, "credential"),
    ):
        elements = list(root.iter(f"{{{namespace}}}{local}"))
        if len(elements) > 1:
            raise BakingError(
                f"the SVG holds {len(elements)} <{local}> elements of "
                f"{namespace}; bake the original image again"
            )
        if elements:
            text = elements[0].text or ""
            # 2.0 allows the assertion URL alone, in the verify attribute.
            value = text if text.strip() else elements[0].get("verify", "")
            if not value.strip():
                raise BakingError(
                    f"the baked <{local}> element of the SVG is empty; "
                    "bake the original image again"
                )
            found[keyword] = value
    return found


def _bake_svg(
    svg: bytes, namespace: str, local: str, attributes: Mapping[str, str], text: str
) -> bytes:
    layout = _svg_layout(svg)
    # Remove an earlier bake first, so that re-baking replaces instead of duplicating.
    cuts = [
        (start, _element_end(svg, start, end_tag))
        for key, start, end_tag in layout.children
        if key == f"{namespace} {local}"
    ]
    declaration = layout.root.attributes.get(b"xmlns:" + _PREFIX.encode())
    if declaration:
        cuts.append(declaration)
    if cuts:
        for start, end in sorted(cuts, reverse=True):
            svg = svg[:start] + svg[end:]
        try:
            layout = _svg_layout(svg)
        except BakingError as error:
            raise BakingError(
                f"the SVG uses the '{_PREFIX}:' prefix outside the baked element (maybe it "
                "is baked for the other Open Badges version); bake the unbaked original"
            ) from error
    root = layout.root
    attributes_xml = "".join(
        f' {name}="{_escape_attribute(value)}"' for name, value in attributes.items()
    )
    element = f"<{_PREFIX}:{local}{attributes_xml}>{_cdata(text)}</{_PREFIX}:{local}>".encode()
    closing = b"</" + root.name + b">" if root.self_closing else b""
    baked = b"".join(
        [
            svg[: root.attributes_end],
            f' xmlns:{_PREFIX}="{_escape_attribute(namespace)}"'.encode(),
            svg[root.attributes_end : root.close],
            b">",
            element,
            closing,
            svg[root.end :],
        ]
    )
    _check_baked(baked, f"{{{namespace}}}{local}")
    return baked


def _svg_layout(svg: bytes) -> _SvgLayout:
    """Locate the root start tag and the root's children, checking the SVG is well-formed."""
    try:
        svg.decode("utf-8")
    except UnicodeDecodeError as error:
        raise BakingError(f"the SVG is not UTF-8 ({error}); save it as UTF-8") from error
    _check_hardened(svg)
    # expat gives byte offsets into the input, so edits leave everything else untouched.
    parser = expat.ParserCreate(namespace_separator=" ")
    roots: list[tuple[str, int]] = []
    children: list[tuple[str, int, int]] = []
    depth = 0

    def start(name: str, _attributes: object) -> None:
        nonlocal depth
        depth += 1
        if depth == 1:
            roots.append((name, parser.CurrentByteIndex))
        elif depth == 2:
            children.append((name, parser.CurrentByteIndex, -1))

    def end(name: str) -> None:
        nonlocal depth
        if depth == 2:
            key, start, _ = children[-1]
            children[-1] = (key, start, parser.CurrentByteIndex)
        depth -= 1

    def declaration(_version: str, encoding: str | None, _standalone: int) -> None:
        if encoding is not None and encoding.lower() not in ("utf-8", "us-ascii"):
            raise BakingError(f"the SVG declares encoding '{encoding}'; save it as UTF-8")

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.XmlDeclHandler = declaration
    try:
        parser.Parse(svg, True)
    except expat.ExpatError as error:
        raise BakingError(
            f"the SVG is not well-formed XML ({error}); fix it in an editor or export it again"
        ) from error
    (root_name, root_start) = roots[0]
    if root_name != f"{SVG_NAMESPACE} svg":
        raise BakingError(
            f"the root element is '{root_name}', not <svg> in the namespace "
            f'{SVG_NAMESPACE}; give an SVG image with xmlns="{SVG_NAMESPACE}"'
        )
    return _SvgLayout(_start_tag(svg, root_start), children)


@lru_cache(maxsize=16)
def _check_hardened(svg: bytes) -> None:
    """Raise unless the hardened parser reads the SVG: expat alone would expand the entities
    a DOCTYPE declares. One badge image is baked into many awards: it is read once."""
    try:
        parse_svg(svg)
    except SvgUnreadable as error:
        raise BakingError(str(error)) from error


def _start_tag(svg: bytes, start: int) -> _StartTag:
    """Read the start tag at start; expat has checked it, so quotes are balanced."""
    name = _TAG_NAME.match(svg, start)
    assert name is not None, f"no start tag at byte {start}"
    attributes: dict[bytes, tuple[int, int]] = {}
    position = name.end()
    while attribute := _ATTRIBUTE.match(svg, position):
        attributes[attribute.group(1)] = attribute.span()
        position = attribute.end()
    close = _TAG_CLOSE.match(svg, position)
    assert close is not None, f"unterminated start tag at byte {start}"
    close_start = close.end() - (2 if svg[close.end() - 2 : close.end()] == b"/>" else 1)
    return _StartTag(name.group(1), attributes, position, close_start, close.end())


def _element_end(svg: bytes, start: int, end_tag: int) -> int:
    tag = _start_tag(svg, start)
    if tag.self_closing:
        return tag.end
    # expat reports the position of "</" for an end tag, which cannot hold a ">".
    return svg.index(b">", end_tag) + 1


def _cdata(text: str) -> str:
    """Wrap text in CDATA sections so that the XML parser gives back exactly text."""
    bad = _NOT_XML_CHAR.search(text)
    if bad:
        raise BakingError(
            f"the badge text holds the character U+{ord(bad.group()):04X}, "
            "which XML cannot carry; remove it"
        )
    # "]]>" would end the section: split it across two sections. A carriage return
    # would be turned into a line feed by the parser: give it as a character reference.
    # https://www.w3.org/TR/xml/#sec-line-ends
    sections = text.replace("]]>", "]]]]><![CDATA[>").replace("\r", "]]>&#13;<![CDATA[")
    return f"<![CDATA[{sections}]]>"


def _escape_attribute(value: str) -> str:
    bad = _NOT_XML_CHAR.search(value)
    if bad:
        raise BakingError(
            f"the value {value!r} holds the character U+{ord(bad.group()):04X}, "
            "which XML cannot carry; remove it"
        )
    # Whitespace other than spaces is given as references, as attribute value
    # normalisation would turn it into spaces: https://www.w3.org/TR/xml/#AVNormalize
    for raw, reference in (
        ("&", "&amp;"),
        ("<", "&lt;"),
        (">", "&gt;"),
        ('"', "&quot;"),
        ("\t", "&#9;"),
        ("\n", "&#10;"),
        ("\r", "&#13;"),
    ):
        value = value.replace(raw, reference)
    return value


def _check_baked(baked: bytes, tag: str) -> None:
    """Raise unless the baked SVG parses and its root's first child is the baked element."""
    try:
        root = parse_svg(baked).root
    except SvgUnreadable as error:
        raise BakingError(
            f"baking produced malformed XML ({error}); please report this "
            "as a bug with the SVG file"
        ) from error
    if len(root) == 0 or root[0].tag != tag or len(root.findall(tag)) != 1:
        raise BakingError(
            f"baking did not produce one {tag} as the first child of the "
            "root; please report this as a bug with the SVG file"
        )

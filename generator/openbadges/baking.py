"""Bake Open Badges data into PNG and SVG images, and read it back.

Baking hides the assertion (Open Badges 2.0) or the credential (3.0) inside the badge
image, so that the image alone can be verified. Both formats are edited as bytes: pixels
and drawings are never decoded nor re-encoded, so a baked image is the original plus the
badge data, and baking twice gives the same bytes as baking once.

Specs: https://www.imsglobal.org/sites/default/files/Badges/OBv2p0Final/baking/index.html
(2.0), https://www.imsglobal.org/spec/ob/v3p0/ section "Baked Badges" (3.0), PNG chunks:
https://www.w3.org/TR/2003/REC-PNG-20031110/#5Chunk-layout
"""

from __future__ import annotations

import re
import struct
import xml.etree.ElementTree as ElementTree
import zlib
from collections.abc import Mapping
from functools import lru_cache
from typing import NamedTuple
from xml.parsers import expat

PNG_KEYWORDS = ("openbadges", "openbadgecredential")
OB2_SVG_NAMESPACE = "http://openbadges.org"
OB3_SVG_NAMESPACE = "https://purl.imsglobal.org/ob/v3p0"
SVG_NAMESPACE = "http://www.w3.org/2000/svg"

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_TEXT_CHUNKS = (b"iTXt", b"tEXt", b"zTXt")
_MAX_CHUNK_LENGTH = 2**31 - 1  # https://www.w3.org/TR/2003/REC-PNG-20031110/#5Chunk-layout
_MAX_TEXT_BYTES = 16 * 1024 * 1024  # bound on a compressed text chunk once inflated
_REDO = "export the image again from an image editor"


class BakingError(ValueError):
    """An image cannot be baked or unbaked; the message says why and what to do."""


# --- PNG ------------------------------------------------------------------------------


class _Chunk(NamedTuple):
    kind: bytes
    offset: int  # of the length field
    length: int  # of the data

    @property
    def end(self) -> int:
        return self.offset + 12 + self.length


def bake_png(png: bytes, texts: Mapping[str, str]) -> bytes:
    """Return the PNG with one uncompressed iTXt chunk per keyword, replacing older ones."""
    chunks = _source_chunks(png)
    new_chunks = [_itxt_chunk(keyword, text) for keyword, text in texts.items()]
    replaced = {keyword.encode("latin-1") for keyword in texts}
    # The 2.0 spec forbids two chunks with the keyword; any text chunk (not only iTXt)
    # with it would make readers disagree on which one counts, so all of them go.
    kept = [
        png[chunk.offset : chunk.end]
        for chunk in chunks[1:]
        if not (chunk.kind in _TEXT_CHUNKS and _text_keyword(png, chunk) in replaced)
    ]
    ihdr = chunks[0]
    return b"".join([png[: ihdr.end], *new_chunks, *kept])


def unbake_png(png: bytes) -> dict[str, str]:
    """Return keyword -> text of the Open Badges text chunks (iTXt, tEXt, zTXt) of a PNG."""
    found: dict[str, str] = {}
    for chunk in _png_chunks(png):
        if chunk.kind not in _TEXT_CHUNKS:
            continue
        keyword = _text_keyword(png, chunk).decode("latin-1")
        if keyword not in PNG_KEYWORDS:
            continue
        if keyword in found:
            raise BakingError(
                f"the PNG holds more than one '{keyword}' text chunk, so it is not clear "
                "which one is the badge; bake the original image again"
            )
        data = png[chunk.offset + 8 : chunk.offset + 8 + chunk.length]
        found[keyword] = _text_chunk_value(chunk.kind, data, len(keyword))
    return found


@lru_cache(maxsize=64)
def _source_chunks(png: bytes) -> tuple[_Chunk, ...]:
    """The checked chunks of an image to bake: one badge image is baked into many awards."""
    return tuple(_png_chunks(png))


def png_metadata(png: bytes) -> bytes:
    """Every chunk of a PNG but its compressed pixels (IDAT), where text can be (all if damaged)."""
    try:
        # Where text can be does not depend on the CRCs: a chunk with a bad one is kept too.
        chunks = _png_chunks(png, check_crc=False)
    except BakingError:
        return png  # not a PNG we can read: all of it
    return b"".join(png[chunk.offset : chunk.end] for chunk in chunks if chunk.kind != b"IDAT")


def _png_chunks(png: bytes, check_crc: bool = True) -> list[_Chunk]:
    """Walk and check every chunk (lengths, types, CRCs); IHDR first, IEND last."""
    if not png.startswith(_PNG_SIGNATURE):
        raise BakingError(f"not a PNG file (wrong signature); {_REDO} as PNG")
    view = memoryview(png)
    chunks: list[_Chunk] = []
    offset = len(_PNG_SIGNATURE)
    while not chunks or chunks[-1].kind != b"IEND":
        if offset + 12 > len(png):
            raise BakingError(f"the PNG is truncated at byte {offset} (no IEND); {_REDO}")
        length, kind = struct.unpack_from(">I4s", png, offset)
        name = kind.decode("latin-1")
        if not kind.isalpha() or length > _MAX_CHUNK_LENGTH:
            raise BakingError(f"the PNG has a damaged chunk header at byte {offset}; {_REDO}")
        chunk = _Chunk(kind, offset, length)
        if chunk.end > len(png):
            raise BakingError(f"the PNG chunk {name} at byte {offset} is truncated; {_REDO}")
        (stored_crc,) = struct.unpack_from(">I", png, chunk.end - 4)
        if check_crc and zlib.crc32(view[offset + 4 : chunk.end - 4]) != stored_crc:
            raise BakingError(f"the PNG chunk {name} at byte {offset} has a bad CRC; {_REDO}")
        if not chunks and (kind != b"IHDR" or length != 13):
            raise BakingError(f"the PNG does not start with an IHDR chunk; {_REDO}")
        chunks.append(chunk)
        offset = chunk.end
    if offset != len(png):
        raise BakingError(f"the PNG has {len(png) - offset} stray bytes after IEND; {_REDO}")
    return chunks


def _itxt_chunk(keyword: str, text: str) -> bytes:
    """Build an uncompressed iTXt chunk with empty language tag and translated keyword."""
    # https://www.w3.org/TR/2003/REC-PNG-20031110/#11iTXt
    _check_keyword(keyword)
    try:
        encoded = text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise BakingError(f"the '{keyword}' text is not valid Unicode ({error})") from error
    data = keyword.encode("latin-1") + b"\x00\x00\x00\x00\x00" + encoded
    if len(data) > _MAX_CHUNK_LENGTH:
        raise BakingError(f"the '{keyword}' text is too long for a PNG chunk")
    crc = zlib.crc32(data, zlib.crc32(b"iTXt"))
    return struct.pack(">I4s", len(data), b"iTXt") + data + struct.pack(">I", crc)


def _check_keyword(keyword: str) -> None:
    # Keywords are 1-79 printable Latin-1 characters without leading, trailing or
    # doubled spaces: https://www.w3.org/TR/2003/REC-PNG-20031110/#11keywords
    printable = all(" " <= c <= "~" or "\xa1" <= c <= "\xff" for c in keyword)
    spaces_ok = keyword == keyword.strip(" ") and "  " not in keyword
    if not (1 <= len(keyword) <= 79 and printable and spaces_ok):
        raise BakingError(
            f"'{keyword}' is not a valid PNG text keyword; use 1 to 79 printable Latin-1 "
            "characters, such as 'openbadges' or 'openbadgecredential'"
        )


def _text_keyword(png: bytes, chunk: _Chunk) -> bytes:
    start = chunk.offset + 8
    data_end = start + chunk.length
    end = png.find(b"\x00", start, min(data_end, start + 80))
    return png[start : data_end if end < 0 else end]


def _text_chunk_value(kind: bytes, data: bytes, keyword_length: int) -> str:
    """Decode the text of a tEXt, zTXt or iTXt chunk whose keyword is known."""
    name = kind.decode("ascii")
    rest = data[keyword_length + 1 :]
    damaged = BakingError(f"the PNG {name} chunk holding the badge is damaged; bake it again")
    if len(data) <= keyword_length:  # the keyword is not followed by its NUL separator
        raise damaged
    if kind == b"tEXt":
        return rest.decode("latin-1")
    if kind == b"zTXt":
        if rest[:1] != b"\x00":
            raise damaged
        return _inflate(rest[1:], damaged).decode("latin-1")
    # iTXt: compression flag, compression method, language tag\0, translated keyword\0
    parts = rest[2:].split(b"\x00", 2)
    if len(rest) < 2 or rest[1] != 0 or rest[0] not in (0, 1) or len(parts) != 3:
        raise damaged
    text = _inflate(parts[2], damaged) if rest[0] == 1 else parts[2]
    try:
        return text.decode("utf-8")
    except UnicodeDecodeError as error:
        raise damaged from error


def _inflate(compressed: bytes, damaged: BakingError) -> bytes:
    inflater = zlib.decompressobj()
    try:
        text = inflater.decompress(compressed, _MAX_TEXT_BYTES)
    except zlib.error as error:
        raise damaged from error
    if not inflater.eof or inflater.unconsumed_tail:
        raise damaged
    return text


# --- SVG ------------------------------------------------------------------------------

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
        root = ElementTree.fromstring(svg)
    except ElementTree.ParseError as error:
        raise BakingError(
            f"the SVG is not well-formed XML ({error}); fix it in an editor or export it again"
        ) from error
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
        root = ElementTree.fromstring(baked)
    except ElementTree.ParseError as error:
        raise BakingError(
            f"baking produced malformed XML ({error}); please report this "
            "as a bug with the SVG file"
        ) from error
    if len(root) == 0 or root[0].tag != tag or len(root.findall(tag)) != 1:
        raise BakingError(
            f"baking did not produce one {tag} as the first child of the "
            "root; please report this as a bug with the SVG file"
        )

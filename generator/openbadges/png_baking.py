"""Bake Open Badges data into PNG images as iTXt chunks, and read it back from any text chunk.

The chunks are walked and checked (lengths, types, CRCs) but the pixels (IDAT) are copied as
they are. Spec: https://www.w3.org/TR/2003/REC-PNG-20031110/#5Chunk-layout ; baking in
general: baking.py.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from generator.openbadges.baking import BakingError

PNG_KEYWORDS = ("openbadges", "openbadgecredential")

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_TEXT_CHUNKS = (b"iTXt", b"tEXt", b"zTXt")
_MAX_CHUNK_LENGTH = 2**31 - 1  # https://www.w3.org/TR/2003/REC-PNG-20031110/#5Chunk-layout
_MAX_TEXT_BYTES = 16 * 1024 * 1024  # bound on a compressed text chunk once inflated
_REDO = "export the image again from an image editor"


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


@dataclass
class PngTexts:
    """What a reader finds in a PNG besides its pixels (see png_texts)."""

    texts: list[bytes] = field(default_factory=list)
    unread: list[str] = field(default_factory=list)
    """What could not be read whole: compressed chunks inflating past the bound."""
    budget: int = _MAX_TEXT_BYTES
    """How many more bytes compressed chunks may inflate to."""


def png_texts(png: bytes) -> PngTexts:
    """What a reader or a metadata tool finds in a PNG, its pixels (IDAT) left out: each
    text chunk's fields, a line each, with its text decoded (zTXt, compressed iTXt and the
    ICC profile of iCCP inflated, up to 16 MB in all), then every other chunk's bytes, a
    line each; so that no length or CRC byte is read as part of a text. All of it when the
    PNG's chunks cannot be walked."""
    try:
        # Where text can be does not depend on the CRCs: a chunk with a bad one is kept too.
        chunks = _png_chunks(png, check_crc=False)
    except BakingError:
        return PngTexts([png])
    found = PngTexts()
    others = []
    for chunk in chunks:
        data = png[chunk.offset + 8 : chunk.offset + 8 + chunk.length]
        if chunk.kind in (*_TEXT_CHUNKS, b"iCCP"):
            found.texts.append(b"\n".join(_text_chunk_fields(chunk.kind, data, found)))
        elif chunk.kind != b"IDAT":
            others.append(data)
    found.texts.append(b"\n".join(others))
    return found


def _text_chunk_fields(kind: bytes, data: bytes, found: PngTexts) -> list[bytes]:
    """A text chunk's keyword and text, or an iCCP chunk's name and profile, as a reader
    decodes them (a damaged one: its bytes)."""
    keyword, _, rest = data.partition(b"\x00")
    name = f"{kind.decode('ascii')} chunk '{keyword.decode('latin-1')}'"
    if kind == b"tEXt":
        return [keyword, rest]
    if kind in (b"zTXt", b"iCCP"):  # keyword, compression method, compressed text
        return [keyword, _inflated(rest[1:], name, found)]
    if len(parts := rest[2:].split(b"\x00", 2)) == 3:
        # iTXt: compressed?, method, language tag\0, translated keyword\0, text
        language, translated, text = parts
        if rest[0] == 1:
            text = _inflated(text, name, found)
        return [keyword, language, translated, text]
    return [data]


def _inflated(compressed: bytes, name: str, found: PngTexts) -> bytes:
    """What inflates of compressed text within the budget (beyond it: noted as unread, so
    that a "zip bomb" can neither exhaust memory nor hide what follows it)."""
    inflater = zlib.decompressobj()
    try:
        text = inflater.decompress(compressed, found.budget + 1)
    except zlib.error:
        return compressed  # damaged: no reader sees more than its bytes
    if len(text) > found.budget:
        found.unread.append(f"its {name} inflates past {_MAX_TEXT_BYTES:,} bytes of text")
        text = text[: found.budget]
    found.budget -= len(text)
    return text


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

"""The texts a reader or a tool finds in a published file, after the decodings they apply.

A browser shows an HTML or SVG text with its tags dropped and its entities decoded, and a
mail program opens a `mailto:` link with its percent-escapes decoded; a JSON parser turns
`\\u0040` into `@`; an image viewer's "properties" show a PNG's text chunks, compressed or
not. The privacy guard looks for addresses and keys in these texts, not only in the bytes
as written, so that no encoding hides them from it while showing them to a reader.

Every file gives its bytes as written, then the same decoded (character references, percent
escapes, backslash escapes, again while they change: `%2540` is `%40`, then `@`), then,
around each '@' of that, the text a browser lays out once the tags between its characters
are dropped (`alice<b></b>@example.org`, an SVG text split into `<tspan>`s): that is where
an address split by markup is, and reading only there keeps the guard fast on 50,000 files.
A PNG gives each chunk's text instead (see png_texts), a gzip file (`.svgz`) its inflated
bytes, a `data:…;base64,` URI its payload, a MIME file (`.eml`, `.mht`) its
quoted-printable text: the decodings their readers apply. Quoted-printable is not undone
elsewhere: no reader of HTML, JSON, XML, CSS, JavaScript or images applies it.
"""

from __future__ import annotations

import base64
import binascii
import html
import quopri
import re
import unicodedata
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from generator.openbadges.png_baking import png_texts

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_GZIP_SIGNATURE = b"\x1f\x8b"
_MIME_SUFFIXES = (".eml", ".mht", ".mhtml", ".mime", ".vcf")
# How many times a text is decoded (each undoes one layer: %252540 -> %2540 -> %40 -> @).
_ROUNDS = 4
# Bound on what a compressed file or a data: URI may inflate to, as for a PNG's text chunks.
_MAX_INFLATED = 16 * 1024 * 1024
# Payloads inside payloads (a data: URI holding an SVG holding another) are followed this deep.
_MAX_NESTING = 3


@dataclass
class DecodedFile:
    """The texts of one published file, and what of it could not be read whole."""

    texts: list[bytes] = field(default_factory=list)
    """Where to look for addresses: each part as written, decoded, and around each '@'."""
    decoded: list[bytes] = field(default_factory=list)
    """Each part decoded whole (as written when there was nothing to decode), for what is
    looked for elsewhere than around an '@' (laid out without markup by without_markup)."""
    unread: list[str] = field(default_factory=list)


def decoded_texts(path: str, data: bytes) -> DecodedFile:
    """Every text a reader or a tool can find in a published file (see the module's doc)."""
    decoded = DecodedFile()
    _add(path, data, decoded, 0)
    return decoded


def _add(path: str, data: bytes, decoded: DecodedFile, depth: int) -> None:
    if data.startswith(_PNG_SIGNATURE):
        found = png_texts(data)
        decoded.unread.extend(found.unread)
        parts = found.texts
    elif data.startswith(_GZIP_SIGNATURE):
        parts = [_gunzipped(data, decoded)]
    else:
        parts = [data]
        if path.lower().endswith(_MIME_SUFFIXES):
            parts.append(quopri.decodestring(data))
    for part in parts:
        _add_views(part, decoded)
        if b"\x00" in part and (b"@\x00" in part or b"\x00@" in part):
            decoded.texts.extend(_utf16_around_at(part))
        if depth < _MAX_NESTING:
            for payload in _data_uri_payloads(part):
                _add("", payload, decoded, depth + 1)


def _utf16_around_at(data: bytes) -> Iterator[bytes]:
    """Around each '@' written in UTF-16 (a UTF-16 file, the EXIF tags Windows shows as an
    image's author or comment), the text it is part of, in UTF-8."""
    for encoding, at_sign in (("utf-16-le", b"@\x00"), ("utf-16-be", b"\x00@")):
        at = data.find(at_sign)
        while at >= 0:
            # 254 characters on each side, starting on a character's first byte.
            start = at - 2 * 254 if at >= 2 * 254 else at % 2
            text = data[start : at + 2 * 255].decode(encoding, "replace")
            yield text.encode("utf-8", "surrogateescape")
            at = data.find(at_sign, at + 2)


def _add_views(text: bytes, decoded: DecodedFile) -> None:
    """The text as written, decoded, and laid out without markup around each '@'."""
    decoded.texts.append(text)
    plain = decode(text)
    if plain != text:
        decoded.texts.append(plain)
    if b"<" in plain or b"]]>" in plain:
        decoded.texts.extend(_across_markup(plain))
    decoded.decoded.append(plain)


def decode(text: bytes) -> bytes:
    """The text with its escapes undone, layer after layer: HTML and XML character
    references, percent-escapes (URLs), backslash escapes (JSON, JavaScript, CSS); the
    look-alikes of '@' (fullwidth, small) read as what they look like."""
    for _ in range(_ROUNDS):
        decoding = _Round()
        if b"\\" in text:
            text = _BACKSLASH_ESCAPE.sub(decoding.unescaped, text)
        if b"&" in text:
            text = _CHARACTER_REFERENCE.sub(decoding.referenced, text)
        if b"%" in text:
            text = _PERCENT_ESCAPE.sub(decoding.percent_decoded, text)
        if not decoding.may_continue:
            break
    if b"\xef" in text and any(look_alike in text for look_alike in _AT_LOOK_ALIKES):
        text = unicodedata.normalize("NFKC", _text(text)).encode("utf-8", "surrogateescape")
    return text


class _Round:
    """One layer of escapes undone. Another is needed only if this one wrote a character
    that an escape starts with or is made of (`%2540` wrote '%' then '4' '0'): an apostrophe
    for `&#39;` or 'é' for `%C3%A9` cannot make one, and most pages hold only those."""

    def __init__(self) -> None:
        self.may_continue = False

    def _wrote(self, character: bytes) -> bytes:
        if not self.may_continue and _ESCAPE_CHARACTERS.search(character):
            self.may_continue = True
        return character

    def referenced(self, reference: re.Match[bytes]) -> bytes:
        if reference[1]:  # '&amp;' before a query's next name ('&amp;name='): no reference
            return b"&"
        return self._wrote(_character(reference[0]))

    def percent_decoded(self, escape: re.Match[bytes]) -> bytes:
        return self._wrote(bytes((int(escape[1], 16),)))

    def unescaped(self, escape: re.Match[bytes]) -> bytes:
        return self._wrote(_unescaped(escape))


_ESCAPE_CHARACTERS = re.compile(rb"[A-Za-z0-9&%\\#;{}]")

# What html.unescape decodes (HTML5's rules: &#64; &#x40; &commat; and the legacy names
# without ';'), found in the bytes so that only each reference is converted, not the text.
_CHARACTER_REFERENCE = re.compile(
    rb"&(?:(amp;)(?=[A-Za-z_][A-Za-z0-9_]*=)|#[0-9]{1,8};?|#[xX][0-9a-fA-F]{1,8};?|"
    rb"[A-Za-z][A-Za-z0-9]{1,31};?)"
)
_PERCENT_ESCAPE = re.compile(rb"%([0-9A-Fa-f]{2})")


@lru_cache(maxsize=1024)
def _character(reference: bytes) -> bytes:
    # Pages repeat a few references (&#39; &amp;) many times.
    return html.unescape(reference.decode("ascii")).encode("utf-8", "surrogatepass")


def _text(data: bytes) -> str:
    # Bytes that are not UTF-8 are kept as they are (surrogate escapes), not replaced.
    return data.decode("utf-8", "surrogateescape")


# The fullwidth and small commercial at: NFKC makes them "@" (and fullwidth letters ASCII).
# Both are written with a first byte 0xEF, which French text hardly ever has.
_AT_LOOK_ALIKES = ("\uff20".encode(), "\ufe6b".encode())

# JavaScript and JSON (\u0040, \u{40}, \x40, \n …), CSS (\40 and one space after it), and
# a backslash before any other character, which stands for that character.
_BACKSLASH_ESCAPE = re.compile(
    rb"\\(?:u\{([0-9A-Fa-f]{1,6})\}|u([0-9A-Fa-f]{4})|x([0-9A-Fa-f]{2})|"
    rb"([0-9A-Fa-f]{1,6})[ \t]?|(.))",
    re.DOTALL,
)
_NAMED_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"\n": b""}


def _unescaped(escape: re.Match[bytes]) -> bytes:
    code = escape[1] or escape[2] or escape[3] or escape[4]
    if code is None:
        return _NAMED_ESCAPES.get(escape[5], escape[5])
    point = int(code, 16)
    if point > 0x10FFFF or 0xD800 <= point <= 0xDFFF:
        return "\ufffd".encode()
    return chr(point).encode()


# Markup, matched in time linear in the text: a comment or a CDATA section runs to its end
# (or the file's), and a tag's quoted values may not hold '<' (XML forbids it; HTML tools
# escape it), so that no attempt to match a tag reads past the next '<'.
_COMMENT = re.compile(rb"<!--.*?(?:-->|\Z)", re.DOTALL)
_CDATA = re.compile(rb"<!\[CDATA\[(.*?)(?:\]\]>|\Z)", re.DOTALL)
_ATTRIBUTES = rb"""(?:[^<>"']++|"[^"<]*+"|'[^'<]*+')*+>"""
# Elements a browser shows apart from what is around them: their tags read as a space.
# Every other tag (b, span, a, tspan, unknown elements …) is dropped: "alice<b></b>@x" reads
# "alice@x".
_SEPARATING_TAG = re.compile(
    rb"</?(?:address|article|aside|blockquote|body|br|button|dd|details|dialog|div|dl|dt|"
    rb"fieldset|figcaption|figure|footer|form|h[1-6]|head|header|hr|html|iframe|img|input|"
    rb"li|link|main|meta|nav|noscript|ol|option|p|pre|script|section|select|style|table|"
    rb"tbody|td|textarea|tfoot|th|thead|title|tr|ul)(?=[\s/>])" + _ATTRIBUTES,
    re.IGNORECASE,
)
_TAG = re.compile(rb"<[A-Za-z/?!]" + _ATTRIBUTES)


def without_markup(text: bytes) -> bytes:
    """The text of HTML or XML as a browser lays it out: comments dropped, CDATA sections
    unwrapped, tags of blocks read as a space and every other tag dropped."""
    if b"<!--" in text:
        text = _COMMENT.sub(b"", text)
    if b"<![CDATA[" in text:
        text = _CDATA.sub(rb"\1", text)
    return _TAG.sub(b"", _SEPARATING_TAG.sub(b" ", text))


# Around an '@': the characters an address may have before it (read backwards) and after it,
# and the markup a reader does not see between them.
_LOCAL_PART_REVERSED = re.compile(rb"[A-Za-z0-9._%+-]{0,254}")
_DOMAIN_PART = re.compile(rb"[A-Za-z0-9.-]{0,254}")
_MAY_END_LOCAL_PART = frozenset(
    bytes((c,)) for c in b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._%+->["
)
_MAY_START_DOMAIN = frozenset(
    bytes((c,)) for c in b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-<]"
)
_MAX_MARKUP_BYTES = 4096
_MAX_MARKUPS = 64


class _TooLong(Exception):
    """Markup around an '@' too long to be read there: the whole text is laid out instead."""


def _across_markup(text: bytes) -> list[bytes]:
    """Around each '@', the text as laid out once the markup between the characters of an
    address is dropped; only where markup was dropped (elsewhere it is the text itself).
    The whole text without markup when some markup is too long to be read around an '@'."""
    found = []
    at = text.find(b"@")
    try:
        while at >= 0:
            # No address around an '@' with neither its characters nor markup on one side
            # ('"@context"'): most are passed over here.
            if (
                text[at - 1 : at] in _MAY_END_LOCAL_PART
                and text[at + 1 : at + 2] in _MAY_START_DOMAIN
            ):
                before, after = _runs_before(text, at), _runs_after(text, at + 1)
                if len(before) > 1 or len(after) > 1:
                    found.append(b"".join([*reversed(before), b"@", *after]))
            at = text.find(b"@", at + 1)
    except _TooLong:
        return [without_markup(text)]
    return found


def _runs_before(text: bytes, position: int) -> list[bytes]:
    """The runs of a local part's characters before position, across invisible markup."""
    runs = []
    for _ in range(_MAX_MARKUPS):
        window = text[max(0, position - 254) : position][::-1]
        length = _LOCAL_PART_REVERSED.match(window).end()  # type: ignore[union-attr]
        runs.append(text[position - length : position])
        position -= length
        start = (
            _markup_ending_at(text, position) if text[position - 1 : position] in b">[" else None
        )
        if start is None:
            break
        position = start
    return runs


def _runs_after(text: bytes, position: int) -> list[bytes]:
    """The runs of a domain's characters from position on, across invisible markup."""
    runs = []
    for _ in range(_MAX_MARKUPS):
        length = _DOMAIN_PART.match(text, position).end() - position  # type: ignore[union-attr]
        runs.append(text[position : position + length])
        position += length
        end = (
            _markup_starting_at(text, position) if text[position : position + 1] in b"<]" else None
        )
        if end is None:
            break
        position = end
    return runs


def _markup_ending_at(text: bytes, end: int) -> int | None:
    """Where the markup a reader does not see that ends just before `end` starts (a comment,
    a CDATA bracket, a tag that does not separate blocks), or None."""
    if text.endswith(b"<![CDATA[", 0, end) or text.endswith(b"]]>", 0, end):
        return end - (9 if text[end - 1] == ord("[") else 3)
    if not text.endswith(b">", 0, end):
        return None
    if text.endswith(b"-->", 0, end):
        start = text.rfind(b"<!--", max(0, end - _MAX_MARKUP_BYTES), end)
    else:
        start = text.rfind(b"<", max(0, end - _MAX_MARKUP_BYTES), end)
    if start < 0:
        if end > _MAX_MARKUP_BYTES:
            raise _TooLong
        return None
    return start if _invisible(text[start:end]) else None


def _markup_starting_at(text: bytes, start: int) -> int | None:
    """Where the markup a reader does not see that starts at `start` ends, or None."""
    if text.startswith(b"<![CDATA[", start) or text.startswith(b"]]>", start):
        return start + (9 if text[start] == ord("<") else 3)
    if not text.startswith(b"<", start):
        return None
    if text.startswith(b"<!--", start):
        end = text.find(b"-->", start, start + _MAX_MARKUP_BYTES)
        end = end + 3 if end >= 0 else end
    else:
        end = text.find(b">", start, start + _MAX_MARKUP_BYTES)
        end = end + 1 if end >= 0 else end
    if end < 0:
        if len(text) - start > _MAX_MARKUP_BYTES:
            raise _TooLong
        return None
    return end if _invisible(text[start:end]) else None


def _invisible(markup: bytes) -> bool:
    """Whether markup is a comment, or a tag a browser does not show as a gap."""
    if markup.startswith(b"<!--"):
        return markup.endswith(b"-->")
    return bool(_TAG.fullmatch(markup)) and not _SEPARATING_TAG.fullmatch(markup)


# Matched in the text lower-cased (the scheme and `;base64` in any case), which lets the regular
# expression engine look for its literal start instead of trying every byte (a page: 1.1 ms
# -> 0.05 ms); the payload is then read from the text itself, at the same offsets.
_DATA_URI = re.compile(rb"data:[^,\s\"'<>()]{0,200}; *base64,([a-z0-9+/=_\-\s]+)")


def _data_uri_payloads(text: bytes) -> list[bytes]:
    """The decoded payloads of the `data:…;base64,` URIs in a text (an image in CSS, a
    document in a link), bounded like inflated text."""
    payloads = []
    budget = _MAX_INFLATED
    lowered = text.lower()  # `DATA:…;BASE64,` is a data URI to a browser as well
    for uri in _DATA_URI.finditer(lowered) if b"base64," in lowered else ():
        start, end = uri.span(1)
        encoded = re.sub(rb"\s+", b"", text[start:end])[: budget * 4 // 3 + 4]
        try:
            payload = base64.b64decode(encoded + b"=" * (-len(encoded) % 4), altchars=b"-_")
        except (binascii.Error, ValueError):
            continue  # not base64 after all: no reader decodes it either
        payloads.append(payload)
        budget -= len(payload)
        if budget <= 0:
            break
    return payloads


def _gunzipped(data: bytes, decoded: DecodedFile) -> bytes:
    """A gzip file's inflated bytes, at most _MAX_INFLATED (beyond: noted as unread)."""
    inflater = zlib.decompressobj(wbits=31)
    try:
        inflated = inflater.decompress(data, _MAX_INFLATED + 1)
    except zlib.error:
        return data  # damaged: its bytes are what a reader gets
    if len(inflated) > _MAX_INFLATED:
        decoded.unread.append(f"it inflates past {_MAX_INFLATED:,} bytes")
    return inflated[:_MAX_INFLATED]

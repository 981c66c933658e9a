"""Tests of baking Open Badges data into PNG and SVG images."""

from __future__ import annotations

import io
import struct
import xml.etree.ElementTree as ElementTree
import zlib
from collections.abc import Callable

import pytest
from PIL import Image, PngImagePlugin

from generator.openbadges.baking import BakingError
from generator.openbadges.png_baking import bake_png, unbake_png
from generator.openbadges.svg_baking import bake_svg_ob2, bake_svg_ob3, unbake_svg

ASSERTION = '{"@context": "https://w3id.org/openbadges/v2", "id": "https://ex.org/a/1.json"}'
CREDENTIAL = '{"type": ["VerifiableCredential", "OpenBadgeCredential"], "name": "Découpe 🎖️"}'
OB2 = "{http://openbadges.org}"
OB3 = "{https://purl.imsglobal.org/ob/v3p0}"


# --- PNG ------------------------------------------------------------------------------


def make_png(info: PngImagePlugin.PngInfo | None = None) -> bytes:
    image = Image.new("RGBA", (24, 16))
    image.putdata([(x * 10, y * 15, (x * y) % 256, 200) for y in range(16) for x in range(24)])
    out = io.BytesIO()
    image.save(out, format="PNG", pnginfo=info)
    return out.getvalue()


def walk(png: bytes) -> list[tuple[bytes, bytes]]:
    """Return (type, data) of each chunk, checking lengths and CRCs with zlib directly."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    chunks = []
    offset = 8
    while offset < len(png):
        length, kind = struct.unpack(">I4s", png[offset : offset + 8])
        data = png[offset + 8 : offset + 8 + length]
        (crc,) = struct.unpack(">I", png[offset + 8 + length : offset + 12 + length])
        assert crc == zlib.crc32(kind + data), f"bad CRC on {kind!r}"
        chunks.append((kind, data))
        offset += 12 + length
    assert offset == len(png)
    return chunks


def keywords(png: bytes) -> list[bytes]:
    return [data.split(b"\x00")[0] for kind, data in walk(png) if kind.endswith(b"Xt")]


def test_png_round_trip() -> None:
    texts = {"openbadges": ASSERTION, "openbadgecredential": CREDENTIAL}
    assert unbake_png(bake_png(make_png(), texts)) == texts


def test_png_chunk_layout() -> None:
    baked = bake_png(make_png(), {"openbadges": ASSERTION})
    chunks = walk(baked)
    assert chunks[0][0] == b"IHDR"
    # one iTXt right after IHDR: keyword, NUL, flag 0, method 0, empty language, empty
    # translated keyword, UTF-8 text
    assert chunks[1] == (b"iTXt", b"openbadges\x00\x00\x00\x00\x00" + ASSERTION.encode())
    assert chunks[-1] == (b"IEND", b"")


def test_png_baking_only_inserts_chunks() -> None:
    original = make_png()
    baked = bake_png(original, {"openbadges": ASSERTION})
    assert [c for c in walk(baked) if c[0] != b"iTXt"] == walk(original)
    assert baked.startswith(original[:33]) and baked.endswith(original[33:])


def test_baked_png_has_the_same_pixels() -> None:
    original = make_png()
    baked = bake_png(original, {"openbadges": ASSERTION, "openbadgecredential": CREDENTIAL})
    with Image.open(io.BytesIO(original)) as before, Image.open(io.BytesIO(baked)) as after:
        assert (after.mode, after.size) == (before.mode, before.size)
        assert after.tobytes() == before.tobytes()
        assert after.info["openbadgecredential"] == CREDENTIAL  # Pillow reads it too


def test_png_rebaking_replaces() -> None:
    once = bake_png(make_png(), {"openbadges": "old", "openbadgecredential": "old 3"})
    twice = bake_png(once, {"openbadges": ASSERTION})
    assert sorted(keywords(twice)) == [b"openbadgecredential", b"openbadges"]
    assert unbake_png(twice) == {"openbadges": ASSERTION, "openbadgecredential": "old 3"}
    same = {"openbadges": ASSERTION}
    assert bake_png(bake_png(make_png(), same), same) == bake_png(make_png(), same)


@pytest.mark.parametrize("compressed", [False, True])
def test_png_baking_replaces_text_chunks_of_other_tools(compressed: bool) -> None:
    info = PngImagePlugin.PngInfo()
    info.add_text("Software", "an editor")
    info.add_text("openbadges", "from another baker", zip=compressed)  # tEXt or zTXt
    info.add_itxt("openbadges", "and again", lang="fr", tkey="badges", zip=compressed)
    original = make_png(info)
    assert keywords(original).count(b"openbadges") == 2
    baked = bake_png(original, {"openbadges": ASSERTION})
    assert keywords(baked) == [b"openbadges", b"Software"]
    assert unbake_png(baked) == {"openbadges": ASSERTION}


@pytest.mark.parametrize("compressed", [False, True])
@pytest.mark.parametrize("kind", ["tEXt/zTXt", "iTXt"])
def test_unbake_png_reads_text_chunks_of_other_tools(kind: str, compressed: bool) -> None:
    info = PngImagePlugin.PngInfo()
    if kind == "iTXt":
        info.add_itxt("openbadgecredential", CREDENTIAL, lang="en", tkey="x", zip=compressed)
        expected = {"openbadgecredential": CREDENTIAL}
    else:
        info.add_text("openbadges", "Latin-1 é", zip=compressed)
        expected = {"openbadges": "Latin-1 é"}
    info.add_text("Comment", "not a badge")
    assert unbake_png(make_png(info)) == expected


def test_png_unicode_round_trip() -> None:
    text = "é ü 中文 🎖️ \U0001f600 \x00 end"
    assert unbake_png(bake_png(make_png(), {"openbadges": text})) == {"openbadges": text}


def test_unbake_png_without_badge() -> None:
    assert unbake_png(make_png()) == {}


def test_unbake_png_refuses_two_chunks_with_one_keyword() -> None:
    info = PngImagePlugin.PngInfo()
    info.add_text("openbadges", "one")
    info.add_itxt("openbadges", "two")
    with pytest.raises(BakingError, match="more than one 'openbadges' text chunk"):
        unbake_png(make_png(info))


def corrupt_crc(png: bytes) -> bytes:
    idat = png.index(b"IDAT")
    damaged = bytearray(png)
    damaged[idat + 5] ^= 0x01  # a byte of the IDAT data
    return bytes(damaged)


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda png: b"GIF89a" + png[6:], "not a PNG file"),
        (lambda png: b"", "not a PNG file"),
        (lambda png: png[:20], "truncated"),
        (lambda png: png[:-12], r"truncated at byte \d+ \(no IEND\)"),
        (lambda png: png[:-6], "truncated"),
        (lambda png: png[:60], "truncated"),
        (corrupt_crc, r"chunk IDAT at byte \d+ has a bad CRC"),
        (lambda png: png + b"junk", "4 stray bytes after IEND"),
        (lambda png: png[:8] + png[33:], "does not start with an IHDR"),
        (lambda png: png[:12] + b"I\x00DR" + png[16:], "damaged chunk header at byte 8"),
    ],
)
def test_malformed_png_is_refused(damage: Callable[[bytes], bytes], message: str) -> None:
    png = damage(make_png())
    with pytest.raises(BakingError, match=message):
        bake_png(png, {"openbadges": ASSERTION})
    with pytest.raises(BakingError, match=message):
        unbake_png(png)


def test_malformed_png_messages_say_what_to_do() -> None:
    with pytest.raises(BakingError, match="export the image again"):
        bake_png(corrupt_crc(make_png()), {"openbadges": ASSERTION})


@pytest.mark.parametrize("keyword", ["", "x" * 80, " openbadges", "open  badges", "bad\x00"])
def test_png_refuses_a_bad_keyword(keyword: str) -> None:
    with pytest.raises(BakingError, match="not a valid PNG text keyword"):
        bake_png(make_png(), {keyword: ASSERTION})


def test_png_refuses_text_that_is_not_unicode() -> None:
    with pytest.raises(BakingError, match="not valid Unicode"):
        bake_png(make_png(), {"openbadges": "lone \ud800 surrogate"})


# --- SVG ------------------------------------------------------------------------------

SVG_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b"<!-- made by hand; <svg> in a comment -->\n"
    b'<svg xmlns="http://www.w3.org/2000/svg" data-note="a > b" data-q=\'say "hi"/>\'\n'
    b'     viewBox="0 0 10 10">'
)
SVG_BODY = (
    b'\n  <title>Laser &amp; co</title>\n  <rect width="10" height="10"/>\n</svg>\n<!-- end -->\n'
)
SVG = SVG_HEAD + SVG_BODY
URL = 'https://example.org/assertions/1.json?a=1&b="2"'


def first_child(svg: bytes) -> ElementTree.Element:
    root = ElementTree.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    return root[0]


def test_svg_ob2_bake() -> None:
    baked = bake_svg_ob2(SVG, URL, ASSERTION)
    child = first_child(baked)
    assert child.tag == OB2 + "assertion"
    assert child.get("verify") == URL
    assert child.text == ASSERTION
    assert unbake_svg(baked) == {"openbadges": ASSERTION}


def test_svg_ob3_bake() -> None:
    baked = bake_svg_ob3(SVG, CREDENTIAL)
    child = first_child(baked)
    assert child.tag == OB3 + "credential"
    assert child.text == CREDENTIAL
    assert unbake_svg(baked) == {"openbadgecredential": CREDENTIAL}


def test_svg_baking_leaves_the_rest_of_the_file_untouched() -> None:
    baked = bake_svg_ob3(SVG, "{}")
    assert baked == (
        SVG_HEAD[:-1]
        + b' xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0">'
        + b"<openbadges:credential><![CDATA[{}]]></openbadges:credential>"
        + SVG_BODY
    )


@pytest.mark.parametrize(
    "text",
    ['{"a": "]]>"}', "]]>", "]]]]>>", "x]]", "line\r\nbreak\rend\n", "é 🎖️", "  padded  "],
)
def test_svg_cdata_round_trip(text: str) -> None:
    assert unbake_svg(bake_svg_ob3(SVG, text)) == {"openbadgecredential": text}
    assert first_child(bake_svg_ob2(SVG, URL, text)).text == text


def test_svg_verify_attribute_keeps_every_character() -> None:
    url = 'https://example.org/?q=<a>&b="c"\'d\t\n\r'
    assert first_child(bake_svg_ob2(SVG, url, ASSERTION)).get("verify") == url


def test_svg_rebaking_replaces() -> None:
    once = bake_svg_ob2(SVG, URL, "old")
    twice = bake_svg_ob2(once, URL, ASSERTION)
    assert twice == bake_svg_ob2(SVG, URL, ASSERTION)
    assert twice.count(b"xmlns:openbadges") == 1
    assert len(ElementTree.fromstring(twice).findall(OB2 + "assertion")) == 1


def test_svg_refuses_to_bake_over_the_other_version() -> None:
    with pytest.raises(BakingError, match="bake the unbaked original"):
        bake_svg_ob3(bake_svg_ob2(SVG, URL, ASSERTION), CREDENTIAL)


def test_svg_replaces_a_bake_with_another_prefix() -> None:
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg"><ob:assertion xmlns:ob="http://openbadges.org"'
        b' verify="https://old"/><g/></svg>'
    )
    baked = bake_svg_ob2(svg, URL, ASSERTION)
    root = ElementTree.fromstring(baked)
    assert [child.tag for child in root] == [OB2 + "assertion", "{http://www.w3.org/2000/svg}g"]


def test_svg_self_closing_and_prefixed_root() -> None:
    svg = b'<s:svg xmlns:s="http://www.w3.org/2000/svg" width="1" />'
    baked = bake_svg_ob3(svg, CREDENTIAL)
    assert baked.endswith(b"</openbadges:credential></s:svg>")
    assert first_child(baked).tag == OB3 + "credential"
    assert unbake_svg(baked) == {"openbadgecredential": CREDENTIAL}


def test_svg_with_doctype_is_refused() -> None:
    # A DOCTYPE can declare entities (billion laughs) or name a DTD elsewhere: the hardened
    # parser refuses it before anything is expanded or fetched, when baking and unbaking.
    svg = (
        b'<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
        b'"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd" [ <!ENTITY k "a>b"> ]>'
        b'<svg xmlns="http://www.w3.org/2000/svg"><text>&k;</text></svg>'
    )
    with pytest.raises(BakingError, match="SVG has a <!DOCTYPE> declaration"):
        bake_svg_ob2(svg, URL, ASSERTION)
    with pytest.raises(BakingError, match="SVG has a <!DOCTYPE> declaration"):
        unbake_svg(svg)


def test_unbake_svg_reads_the_verify_url_when_there_is_no_json() -> None:
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org">'
        b'<openbadges:assertion verify="https://example.org/a.json"/></svg>'
    )
    assert unbake_svg(svg) == {"openbadges": "https://example.org/a.json"}


def test_unbake_svg_without_badge() -> None:
    assert unbake_svg(SVG) == {}


@pytest.mark.parametrize(
    ("svg", "message"),
    [
        (b"<svg xmlns='http://www.w3.org/2000/svg'><g></svg>", "not well-formed XML"),
        (b"", "not well-formed XML"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'><x:g/></svg>", "not well-formed XML"),
        (b"<svg><g/></svg>", "not <svg> in the namespace"),
        (b"<html xmlns='http://www.w3.org/1999/xhtml'/>", "not <svg> in the namespace"),
        ("<svg xmlns='http://www.w3.org/2000/svg'>é</svg>".encode("latin-1"), "not UTF-8"),
        (
            b"<?xml version='1.0' encoding='ISO-8859-1'?><svg xmlns='http://www.w3.org/2000/svg'/>",
            "declares encoding 'ISO-8859-1'; save it as UTF-8",
        ),
    ],
)
def test_svg_refuses_bad_input(svg: bytes, message: str) -> None:
    with pytest.raises(BakingError, match=message):
        bake_svg_ob2(svg, URL, ASSERTION)
    with pytest.raises(BakingError, match=message):
        bake_svg_ob3(svg, CREDENTIAL)


def test_svg_refuses_characters_xml_cannot_carry() -> None:
    with pytest.raises(BakingError, match=r"U\+0000"):
        bake_svg_ob3(SVG, "nul \x00")
    with pytest.raises(BakingError, match=r"U\+0001"):
        bake_svg_ob2(SVG, "https://example.org/\x01", ASSERTION)


def test_unbake_svg_refuses_bad_xml() -> None:
    with pytest.raises(BakingError, match="not well-formed XML"):
        unbake_svg(b"<svg")

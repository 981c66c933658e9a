"""What the privacy guard reads in a published file (check/decoded_text.py, key_material.py):
the cases its end-to-end suite (tests/test_privacy_encodings.py) does not reach through a
build, and what it must not report."""

from __future__ import annotations

import base64
import json

import pytest

from generator.site.check.decoded_text import decode
from generator.site.check.key_material import key_material_in
from generator.site.check.privacy import findings_in
from generator.site.model.output import Output

ADDRESS = "alice.kerbrat-7341@example.net"
LOCAL, DOMAIN = ADDRESS.split("@")


def found(path: str, text: str | bytes) -> tuple[str, ...]:
    data = text.encode() if isinstance(text, str) else text
    return findings_in(Output(path, data))


@pytest.mark.parametrize(
    "html",
    [
        f'<p>{LOCAL}<span title=">"></span>@{DOMAIN}</p>',  # '>' inside a quoted value
        f'<p>{LOCAL}<span title="{"x" * 5000}"></span>@{DOMAIN}</p>',  # a tag too long to walk
        f"<p>{LOCAL}<!-- <b> -->@{DOMAIN}</p>",
        f"<p>{LOCAL}@<i></i>{DOMAIN}</p>",
        f"<p>{LOCAL}&lt;b&gt;&lt;/b&gt;@{DOMAIN}</p>",  # markup escaped once: shown as text
        f'<script type="application/ld+json">{{"c": "{LOCAL}\\u0040{DOMAIN}"}}</script>',
        f'<a href="mailto:{LOCAL}&#37;40{DOMAIN}">x</a>',  # a reference to '%', then '40'
        f"<p>{LOCAL}&amp;#64;{DOMAIN}</p>",  # escaped twice
        f"<p>{LOCAL}%252540{DOMAIN}</p>",  # percent-encoded three times
        f"<p>{LOCAL.upper()}@{DOMAIN.upper()}</p>",
    ],
)
def test_addresses_are_found_as_a_reader_sees_them(html: str) -> None:
    assert ADDRESS in found("page.html", html)


def test_blocks_are_not_joined_into_an_address() -> None:
    assert found("page.html", f"<p>{LOCAL}</p><p>@{DOMAIN}</p>") == ()
    assert found("page.html", f"<td>{LOCAL}</td><td>@{DOMAIN}</td>") == ()


def test_an_escaped_line_break_does_not_hide_the_address_after_it() -> None:
    """The bytes as written read 'nalice…' (the n of \\n): the decoded text has the address."""
    assert ADDRESS in found("credential.json", json.dumps({"narrative": f"Bravo\n{ADDRESS}"}))


def test_decoding_stops_when_nothing_more_can_decode() -> None:
    assert decode(b"l&#39;atelier %C3%A9 &amp;name=x") == "l'atelier é &name=x".encode()
    assert decode(b"%2525252540") == b"%40"  # four layers undone, no more


def test_a_damaged_png_is_read_whole() -> None:
    damaged = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\x0dIHDR" + b"\xff" * 5 + ADDRESS.encode()
    assert ADDRESS in found("image.png", damaged)


def test_key_material_is_not_a_mention_nor_a_public_key() -> None:
    texts = [
        "Ne publiez jamais -----BEGIN PRIVATE KEY----- ni ce qui suit dans le fichier.",
        json.dumps(
            {"kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}
        ),
        json.dumps({"secretKeyMultibase": {"@id": "https://w3id.org/security#secretKeyMultibase"}}),
        "publicKeyMultibase: z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
        "z3u2" + "1" * 44,  # the prefix, but not an Ed25519 secret key once decoded
    ]
    for text in texts:
        assert list(key_material_in(text.encode())) == [], text


@pytest.mark.parametrize(
    "uri",
    [
        "data:text/plain;base64,{}",
        "DATA:TEXT/PLAIN;BASE64,{}",  # a browser reads the scheme in any case
        "Data:;Base64,{}",
        "data:text/plain;base64,{}".replace("base64,", "base64,\n  "),  # folded
    ],
)
def test_an_address_inside_a_data_uri_is_found_in_any_case(uri: str) -> None:
    encoded = base64.b64encode(f"written to {ADDRESS}".encode()).decode()
    assert found("page/index.html", f'<a href="{uri.format(encoded)}">x</a>')


def test_a_data_uri_with_a_space_before_base64_is_decoded() -> None:
    """The fetch standard's data: URL reads `;` then spaces then `base64`, in any case."""
    encoded = base64.b64encode(f"written to {ADDRESS}".encode()).decode()
    assert found("page/index.html", f'<a href="data:text/plain; Base64,{encoded}">x</a>')

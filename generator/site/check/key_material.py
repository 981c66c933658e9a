"""Private key material in a text: what must never be published, whoever put it there.

A structure's private key signs its badges: published, anyone can issue badges in its name.
It can reach the site by mistake (a key file dropped in `theme/static/`, a key pasted into a
page or criteria) in the forms keys take: a PEM block (PKCS #8 as `keygen` writes it, RSA,
EC, OpenSSH, encrypted or PGP), a Multikey `secretKeyMultibase`, an Ed25519 secret key in
Multikey form (`z3u2…`) on its own, or a JSON Web Key with its private part `d`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

import base58

# A BEGIN line, its headers (Proc-Type, DEK-Info, Version …) and lines of base64, the first
# of 32 characters at least: the key itself, not a sentence naming the format.
_PEM = re.compile(
    rb"-----BEGIN ((?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?)-----[ \t]*\r?\n?"
    rb"(?:[ \t]*[A-Za-z][A-Za-z-]*:[^\r\n]*\r?\n)*\s*([A-Za-z0-9+/=]{32,}(?:\s+[A-Za-z0-9+/=]+)*)"
)
_SECRET_KEY_MULTIBASE = re.compile(rb"secretKeyMultibase[\"']?\s*[:=]\s*[\"']?([A-Za-z0-9_-]{16,})")
_BASE58 = rb"[1-9A-HJ-NP-Za-km-z]"
_ED25519_SECRET_MULTIKEY = re.compile(
    rb"(?<!" + _BASE58 + rb")z3u2" + _BASE58 + rb"{44}(?!" + _BASE58 + rb")"
)
_ED25519_PRIV_HEADER = b"\x80\x26"  # multicodec ed25519-priv
_JWK_PRIVATE_PART = re.compile(rb"(?<![\w$-])[\"']?d[\"']?\s*:\s*[\"']([A-Za-z0-9_-]{16,})[\"']")
_JWK_TYPE = re.compile(rb"\"kty\"\s*:")
_JWK_REACH = 2048  # how far from 'd' a JWK's 'kty' may be (one object's members)


class KeyMaterial(NamedTuple):
    """Key material found: what it is, and the bytes that show it (to find its source)."""

    kind: str
    evidence: bytes


def may_hold_key_material(text: bytes) -> bool:
    """Whether a text holds one of the words every form of key material has: texts without
    any are not searched further (laid out without markup, for instance)."""
    return any(word in text for word in _MARKERS)


_MARKERS = (b"PRIVATE KEY", b"secretKeyMultibase", b"z3u2", b'"kty"')


def key_material_in(text: bytes) -> Iterator[KeyMaterial]:
    """The private key material in a text (see the module's doc)."""
    if b"PRIVATE KEY" in text:
        for block in _PEM.finditer(text):
            # The middle line of the key: every key's own (their first lines are alike).
            lines = block[2].split()
            yield KeyMaterial(f"a PEM {block[1].decode()}", lines[len(lines) // 2])
    if b"secretKeyMultibase" in text:
        for value in _SECRET_KEY_MULTIBASE.finditer(text):
            yield KeyMaterial("a secretKeyMultibase value", value[1])
    if b"z3u2" in text:
        for value in _ED25519_SECRET_MULTIKEY.finditer(text):
            if _is_ed25519_secret(value[0]):
                yield KeyMaterial("an Ed25519 secret key in Multikey form", value[0])
    if b'"kty"' in text:
        for value in _JWK_PRIVATE_PART.finditer(text):
            around = text[max(0, value.start() - _JWK_REACH) : value.end() + _JWK_REACH]
            if _JWK_TYPE.search(around):
                yield KeyMaterial("a JSON Web Key's private part 'd'", value[1])


def _is_ed25519_secret(multibase: bytes) -> bool:
    try:
        decoded: bytes = base58.b58decode(multibase[1:])
    except ValueError:
        return False
    return len(decoded) == 34 and decoded.startswith(_ED25519_PRIV_HEADER)

"""W3C Bitstring Status List: the `encodedList` of a status list credential.

One bit per issued credential; a set bit means the credential's status (revoked, for
the "revocation" purpose) is on. The list is gzipped, base64url-encoded without padding
and given the multibase prefix "u": https://www.w3.org/TR/vc-bitstring-status-list/
"""

from __future__ import annotations

import base64
import binascii
import functools
import re
import struct
import zlib
from collections.abc import Iterable

# The spec's minimum, 16 KiB, so that one set bit does not single out a credential
# among few: https://www.w3.org/TR/vc-bitstring-status-list/#bitstring-generation-algorithm
LIST_LENGTH = 131072
MAX_LIST_BYTES = 16 * 1024 * 1024  # refuse to inflate more: a small gzip can hide a bomb
_BASE64URL = re.compile(r"[A-Za-z0-9_-]*")
# RFC 1952 header: magic, deflate, no flags (so no file name), mtime 0, XFL 2 (maximum
# compression), OS 255 (unknown). Written by hand so the bytes do not depend on the
# platform, whose zlib would write its own OS code.
_GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"


def encode_status_list(set_indexes: Iterable[int], length: int = LIST_LENGTH) -> str:
    """Return the encodedList ("u" + base64url(gzip(bits))) with the given bits set."""
    if length < LIST_LENGTH or length % 8:
        raise ValueError(
            f"a status list must hold a multiple of 8 bits and at least "
            f"{LIST_LENGTH} (16 KiB), not {length}"
        )
    bits = bytearray(length // 8)
    for index in set_indexes:
        _check_index(index, length)
        bits[index // 8] |= 0x80 >> (index % 8)  # index 0 is the first byte's high bit
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)  # raw deflate
    deflated = compressor.compress(bytes(bits)) + compressor.flush()
    trailer = struct.pack("<II", zlib.crc32(bits), len(bits) & 0xFFFFFFFF)
    gzipped = _GZIP_HEADER + deflated + trailer
    return "u" + base64.urlsafe_b64encode(gzipped).rstrip(b"=").decode("ascii")


@functools.lru_cache(maxsize=64)
def decode_status_list(encoded: str) -> bytes:
    """Return the uncompressed bitstring of an encodedList (remembered: a build asks once
    per award, and each structure has one list)."""
    if not encoded.startswith("u"):
        raise ValueError(
            "an encodedList must start with the multibase prefix 'u' "
            f"(base64url), not {encoded[:1]!r}"
        )
    text = encoded[1:]
    if not _BASE64URL.fullmatch(text) or len(text) % 4 == 1:
        raise ValueError(
            "the encodedList is not base64url without padding (letters, digits, '-' and '_' only)"
        )
    try:
        gzipped = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except binascii.Error as error:
        raise ValueError(f"the encodedList is not valid base64url ({error})") from error
    bits = _gunzip(gzipped)
    if len(bits) * 8 < LIST_LENGTH:
        raise ValueError(
            f"the status list holds {len(bits) * 8} bits, fewer than the "
            f"{LIST_LENGTH} (16 KiB) the spec requires"
        )
    return bits


def is_set(encoded_or_bytes: str | bytes, index: int) -> bool:
    """Return whether bit index is set, in an encodedList or an uncompressed bitstring."""
    if isinstance(encoded_or_bytes, str):
        bits = decode_status_list(encoded_or_bytes)
    else:
        bits = encoded_or_bytes
    _check_index(index, len(bits) * 8)
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def _check_index(index: int, length: int) -> None:
    if not 0 <= index < length:
        raise ValueError(f"status list index {index} is out of range; use 0 to {length - 1}")


def _gunzip(gzipped: bytes) -> bytes:
    """Inflate every gzip member (RFC 1952 allows several), up to MAX_LIST_BYTES."""
    members: list[bytes] = []
    size = 0
    rest = gzipped
    while True:
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)  # 16+: gzip header and trailer
        try:
            member = inflater.decompress(rest, MAX_LIST_BYTES - size + 1)
        except zlib.error as error:
            raise ValueError(f"the encodedList is not valid gzip ({error})") from error
        size += len(member)
        if size > MAX_LIST_BYTES:
            raise ValueError(f"the status list inflates to more than {MAX_LIST_BYTES} bytes")
        if not inflater.eof:
            raise ValueError("the encodedList is not valid gzip (it is truncated)")
        members.append(member)
        rest = inflater.unused_data
        if not rest:
            return b"".join(members)

"""Tests of the W3C Bitstring Status List encoding."""

from __future__ import annotations

import base64
import gzip
import re

import pytest

from generator.openbadges.statuslist import (
    LIST_LENGTH,
    decode_status_list,
    encode_status_list,
    is_set,
)

# Bitstring Status List v1.0, examples of a status list credential: an all-zero 16 KiB
# list, compressed by another implementation (its gzip header differs from ours).
SPEC_EMPTY_LIST = "uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA"


def gzipped(encoded: str) -> bytes:
    """Undo the multibase and base64url layers with the standard library."""
    assert encoded.startswith("u")
    text = encoded[1:]
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def encoded_from(raw: bytes) -> str:
    return "u" + base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def test_index_0_is_the_most_significant_bit_of_the_first_byte() -> None:
    bits = decode_status_list(encode_status_list([0]))
    assert bits[0] == 0x80
    assert not any(bits[1:])


def test_known_small_vector() -> None:
    bits = decode_status_list(encode_status_list([0, 7, 9, 15, LIST_LENGTH - 1]))
    assert len(bits) == LIST_LENGTH // 8 == 16384
    assert bits[:2] == bytes([0b1000_0001, 0b0100_0001])
    assert bits[-1] == 0x01
    assert not any(bits[2:-1])


def test_output_is_gzip_readable_by_the_standard_library() -> None:
    encoded = encode_status_list([3, 1000])
    assert re.fullmatch(r"u[A-Za-z0-9_-]+", encoded), "base64url without padding"
    bits = gzip.decompress(gzipped(encoded))
    assert bits == decode_status_list(encoded)
    assert bits[0] == 0x10 and bits[125] == 0x80


def test_gzip_header_has_no_time_no_name_and_a_fixed_os() -> None:
    header = gzipped(encode_status_list([]))[:10]
    # magic, deflate, no flags, mtime 0, XFL 2 (level 9), OS 255 (unknown)
    assert header == bytes([0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 2, 0xFF])


def test_round_trip_several_indexes() -> None:
    indexes = {1, 8, 63, 64, 4097, 94567, LIST_LENGTH - 2}
    encoded = encode_status_list(sorted(indexes))
    bits = decode_status_list(encoded)
    found = {i for i in range(len(bits) * 8) if bits[i // 8] & (0x80 >> (i % 8))}
    assert found == indexes
    for index in indexes:
        assert is_set(encoded, index)
        assert is_set(bits, index)
        assert is_set(bits, index - 1) == (index - 1 in indexes)
        assert is_set(bits, index + 1) == (index + 1 in indexes)


def test_bytes_are_deterministic() -> None:
    first = encode_status_list([5, 42, 99999])
    assert encode_status_list([5, 42, 99999]) == first
    assert encode_status_list(iter([99999, 42, 5, 42])) == first  # order, duplicates


def test_longer_list() -> None:
    length = LIST_LENGTH * 2
    encoded = encode_status_list([length - 1], length=length)
    assert len(decode_status_list(encoded)) == length // 8
    assert is_set(encoded, length - 1)
    assert not is_set(encoded, LIST_LENGTH - 1)


def test_decodes_the_spec_example() -> None:
    bits = decode_status_list(SPEC_EMPTY_LIST)
    assert bits == bytes(16384)
    assert not is_set(SPEC_EMPTY_LIST, 94567)


def test_decodes_several_gzip_members() -> None:
    raw = gzip.compress(bytes([0x80]) + bytes(8191)) + gzip.compress(bytes(8192))
    bits = decode_status_list(encoded_from(raw))
    assert len(bits) == 16384 and is_set(bits, 0)


@pytest.mark.parametrize("index", [-1, LIST_LENGTH])
def test_encode_refuses_an_index_out_of_range(index: int) -> None:
    with pytest.raises(ValueError, match=rf"index {index} is out of range; use 0 to 131071"):
        encode_status_list([0, index])


def test_is_set_refuses_an_index_out_of_range() -> None:
    with pytest.raises(ValueError, match="index 131072 is out of range"):
        is_set(SPEC_EMPTY_LIST, LIST_LENGTH)
    with pytest.raises(ValueError, match="index -1 is out of range"):
        is_set(bytes(16384), -1)


@pytest.mark.parametrize("length", [LIST_LENGTH - 8, LIST_LENGTH + 1, 0])
def test_encode_refuses_a_bad_length(length: int) -> None:
    with pytest.raises(ValueError, match=f"at least 131072 .*not {length}"):
        encode_status_list([], length=length)


@pytest.mark.parametrize(
    ("encoded", "message"),
    [
        (SPEC_EMPTY_LIST[1:], "must start with the multibase prefix 'u'"),
        ("z" + SPEC_EMPTY_LIST[1:], "must start with the multibase prefix 'u'"),
        ("", "must start with the multibase prefix 'u'"),
        ("uH4sI+AAA/", "not base64url without padding"),
        (SPEC_EMPTY_LIST + "==", "not base64url without padding"),
        ("uH4sIAA", "not valid gzip"),
        ("u", "not valid gzip"),
        (encoded_from(b"not gzip at all"), "not valid gzip"),
        # mtime=0: the same test names in every process (pytest-xdist's workers compare them)
        (encoded_from(gzip.compress(bytes(100), mtime=0)[:-9]), "not valid gzip"),
        (
            encoded_from(gzip.compress(bytes(16383), mtime=0)),
            "holds 131064 bits, fewer than the 131072",
        ),
        (encoded_from(gzip.compress(b"", mtime=0)), "holds 0 bits"),
    ],
)
def test_decode_refuses_bad_input(encoded: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        decode_status_list(encoded)


def test_decode_refuses_a_gzip_bomb() -> None:
    with pytest.raises(ValueError, match="inflates to more than"):
        decode_status_list(encoded_from(gzip.compress(bytes(17 * 1024 * 1024))))

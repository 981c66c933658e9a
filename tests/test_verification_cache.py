"""Verified proofs in the cache store: a second build skips verified signatures, and nothing
stale is ever served (changed file, replaced or compromised key, new verifier, broken
cache)."""

from __future__ import annotations

import json
import shutil

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from generator import cache
from generator.site.check import signatures as stage

from .credential_fixtures import BUILD_AT, SignedNetwork, ok, run, write_key_history


@pytest.fixture
def verifications(network: SignedNetwork, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The ids of the documents whose proofs were really verified (canonicalised), starting
    from an empty cache (the shared network was built once already)."""
    shutil.rmtree(cache.cache_folder(network.site), ignore_errors=True)
    seen: list[str] = []
    real = stage.verify

    def counting(document, public_key):  # type: ignore[no-untyped-def]
        seen.append(str(document.get("id", "")))
        real(document, public_key)

    monkeypatch.setattr(stage, "verify", counting)
    return seen


def build(network: SignedNetwork) -> int:
    return run("build", "--source", network.site, "--out", network.out, at=BUILD_AT).code


def test_a_second_build_verifies_nothing_again(
    network: SignedNetwork, verifications: list[str]
) -> None:
    assert build(network) == 0
    first = len(verifications)
    assert first >= 4  # three credentials and the status list
    assert (cache.cache_folder(network.site) / cache.FILE_NAME).is_file()
    # `check` always checks (no "nothing changed" shortcut): the proofs come from the cache.
    assert run("check", "--source", network.site, at=BUILD_AT).code == 0
    assert len(verifications) == first


def test_no_cache_option_verifies_everything(
    network: SignedNetwork, verifications: list[str]
) -> None:
    build(network)
    before = len(verifications)
    run("build", "--source", network.site, "--out", network.out, "--no-cache", at=BUILD_AT)
    assert len(verifications) == 2 * before


def test_a_changed_file_is_verified_again_and_refused(
    network: SignedNetwork, verifications: list[str]
) -> None:
    build(network)
    document = json.loads(network.laser.read_text("utf-8"))
    document["name"] = document["name"] + "!"
    network.laser.write_text(json.dumps(document, ensure_ascii=False, indent=2), "utf-8")
    verifications.clear()
    result = run("check", "--source", network.site, at=BUILD_AT)
    assert result.code == 1 and "signature does not match" in result.err
    assert verifications == [document["id"]]


def test_a_compromised_key_is_refused_although_cached(network: SignedNetwork) -> None:
    assert build(network) == 0
    ok(
        "mark-compromised", "atelier", "key-1", "--source", network.site, "--since",
        "2024-02-02T00:00:00Z", "--key-file", network.key_file, at=BUILD_AT,
    )  # fmt: skip
    result = run("check", "--source", network.site, at=BUILD_AT)
    assert result.code == 1 and "compromised" in result.err


def test_another_public_key_misses_the_cache_and_is_refused(
    network: SignedNetwork, verifications: list[str]
) -> None:
    """The key's id stays, its public key is another (a history rewritten by someone who
    holds the coordinators' keys and the new key, as an attacker would with both): the proofs
    are verified again, against the new key, and refused."""
    assert build(network) == 0
    other = Ed25519PrivateKey.generate()
    write_key_history(network.site, "atelier", [("key-1", other, "2024-02-01T10:00:00Z")])
    verifications.clear()
    result = run("check", "--source", network.site, at=BUILD_AT)
    assert result.code == 1 and "signature does not match" in result.err
    assert verifications, "verified again, not taken from the cache"


def test_a_new_verifier_misses_the_cache(
    network: SignedNetwork, verifications: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Any edit to the generator's code (dataintegrity.py, say) changes its fingerprint."""
    build(network)
    first = len(verifications)
    monkeypatch.setattr(cache, "code_fingerprint", lambda: "a newer verifier")
    assert run("check", "--source", network.site, at=BUILD_AT).code == 0
    assert len(verifications) == 2 * first


def test_a_broken_cache_file_only_slows_the_build(
    network: SignedNetwork, verifications: list[str]
) -> None:
    store = cache.cache_folder(network.site) / cache.FILE_NAME
    store.parent.mkdir(parents=True, exist_ok=True)
    store.write_bytes(b"not a database")
    assert build(network) == 0
    first = len(verifications)
    assert first >= 4, "everything verified"
    assert run("check", "--source", network.site, at=BUILD_AT).code == 0
    assert len(verifications) == first, "and the cache made again"

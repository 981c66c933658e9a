"""The cache cannot vouch for content: it lives outside the repository, and an entry that a
build of this store did not write (added by hand, rewritten, carried by a pull request) is
not found, so what it claims is computed again."""

from __future__ import annotations

import io
import json
import marshal
import pickle
import re
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from jinja2.bccache import bc_magic

from generator import cache
from generator.cache import TEMPLATES, VERIFIED_PROOFS
from generator.site.check.signatures import VerifiedProofs

from .credential_fixtures import BUILD_AT, SignedNetwork, run, snapshot


@pytest.fixture(autouse=True)
def _empty_store(network: SignedNetwork, a_new_process: None) -> None:
    """These tests are about the store itself: each starts from an empty one, not from the
    copy of the shared network's that `network` comes with, and sees what its builds put
    (in a process that keeps nothing of earlier builds: conftest.py's a_new_process)."""
    shutil.rmtree(cache.cache_folder(network.site))


def build(network: SignedNetwork) -> int:
    return run("build", "--source", network.site, "--out", network.out, at=BUILD_AT).code


def store_path(network: SignedNetwork) -> Path:
    return cache.cache_folder(network.site) / cache.FILE_NAME


def rows(network: SignedNetwork, namespace: str) -> list[tuple[str, bytes]]:
    with sqlite3.connect(store_path(network)) as db:
        found = db.execute(
            "SELECT key, value FROM entries WHERE namespace = ?", (namespace,)
        ).fetchall()
    db.close()
    return [(str(key), bytes(value)) for key, value in found]


def tamper(network: SignedNetwork) -> None:
    """Change a signed credential (its signature no longer matches)."""
    document = json.loads(network.laser.read_text("utf-8"))
    document["name"] = document["name"] + " (modifié)"
    network.laser.write_text(json.dumps(document, ensure_ascii=False, indent=2), "utf-8")


def test_nothing_is_kept_in_the_repository(network: SignedNetwork) -> None:
    assert build(network) == 0
    assert store_path(network).is_file()
    assert not store_path(network).is_relative_to(network.site)
    assert not (network.site / ".cache").exists()
    secret = store_path(network).parent / cache.SECRET_NAME
    assert secret.stat().st_mode & 0o077 == 0  # the owner's only


def test_a_cache_folder_in_the_repository_is_never_read(network: SignedNetwork) -> None:
    """A pull request carrying .cache/ (here: a real store of the untampered network, with
    its secret) changes nothing: the tampered credential is refused."""
    assert build(network) == 0
    shutil.copytree(store_path(network).parent, network.site / ".cache")
    shutil.rmtree(store_path(network).parent)
    tamper(network)
    result = run("check", "--source", network.site, at=BUILD_AT)
    assert result.code == 1 and "signature does not match" in result.err


def forged_entries(
    network: SignedNetwork, namespace: str, rewrite: Callable[[bytes], bytes]
) -> None:
    """Rewrite every entry of a namespace (rewrite(value without its tag)): with no tag, a
    tag of another secret, zeros (the attacker does not know the secret)."""
    found = rows(network, namespace)
    assert found, f"the build kept {namespace} entries"
    with sqlite3.connect(store_path(network)) as db:
        for index, (key, stored) in enumerate(found):
            value = rewrite(stored[32:])
            forged = [value, b"\x01" * 32 + value, b"\0" * 32 + value][index % 3]
            db.execute(
                "UPDATE entries SET value = ? WHERE namespace = ? AND key = ?",
                (forged, namespace, key),
            )
    db.close()


def test_a_hand_made_verified_entry_does_not_make_a_tampered_credential_pass(
    network: SignedNetwork,
) -> None:
    """The entry a verified proof of the tampered bytes would have, added by hand (its key is
    computable by anyone: it hashes public inputs)."""
    assert build(network) == 0
    tamper(network)
    with sqlite3.connect(store_path(network)) as db:
        code = db.execute("SELECT code FROM entries LIMIT 1").fetchone()[0]
        # The key the tampered file's proof would have with each structure's public key.
        data = network.laser.read_bytes()
        keys = {VerifiedProofs.key(data, key) for key in _public_keys(network)}
        for key in keys:
            for value in (b"", b"\0" * 32):
                db.execute(
                    "INSERT OR REPLACE INTO entries VALUES (?, ?, ?, ?)",
                    (VERIFIED_PROOFS.name, key, code, value),
                )
    db.close()
    result = run("check", "--source", network.site, at=BUILD_AT)
    assert result.code == 1 and "signature does not match" in result.err


def _public_keys(network: SignedNetwork) -> list[str]:
    texts = [path.read_text("utf-8") for path in (network.site / "content/issuers").glob("*.yaml")]
    return [key for text in texts for key in re.findall(r"public_key_multibase: (\S+)", text)]


def test_rewritten_compiled_templates_are_not_run(
    network: SignedNetwork, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Compiled templates from the store are code: rewritten ones (valid Jinja bytecode for
    the template's checksum, whose code would stop the build) are not loaded; the templates
    are compiled again and the site is the same."""
    assert build(network) == 0
    before = snapshot(network.out)
    poison = compile("raise SystemExit('poisoned template ran')", "template", "exec")

    def poisoned(bytecode: bytes) -> bytes:
        stream = io.BytesIO(bytecode)
        assert stream.read(len(bc_magic)) == bc_magic
        checksum = pickle.load(stream)
        return bc_magic + pickle.dumps(checksum, 2) + marshal.dumps(poison)

    forged_entries(network, TEMPLATES.name, poisoned)
    shutil.rmtree(network.out)
    assert build(network) == 0
    assert snapshot(network.out) == before


def test_rewritten_verified_proofs_are_verified_again(network: SignedNetwork) -> None:
    assert build(network) == 0
    forged_entries(network, VERIFIED_PROOFS.name, lambda value: value)
    tamper(network)
    result = run("check", "--source", network.site, at=BUILD_AT)
    assert result.code == 1 and "signature does not match" in result.err


def test_a_damaged_secret_starts_a_new_cache(network: SignedNetwork) -> None:
    assert build(network) == 0
    (store_path(network).parent / cache.SECRET_NAME).write_bytes(b"short")
    tamper(network)
    result = run("check", "--source", network.site, at=BUILD_AT)
    assert result.code == 1 and "signature does not match" in result.err
    assert run("build", "--source", network.site, "--out", network.out).code == 1


@pytest.mark.parametrize(
    ("namespace", "damage"),
    [
        (cache.QR_CODES, lambda value: b"not a PNG at all"),
        (cache.QR_CODES, lambda value: value[:-30]),
        (cache.BADGE_IMAGES, lambda value: value[: len(value) // 2]),
        (cache.SHARE_IMAGES, lambda value: value[:-20]),
        (cache.VERIFIED_PROOFS, lambda value: b"yes"),
        (cache.LAST_BUILD, lambda value: b"[]"),
    ],
    ids=["qr-not-png", "qr-truncated", "badge-image-truncated", "share-image-truncated",
         "proof-not-empty", "last-build-not-a-record"],
)  # fmt: skip
def test_a_value_that_does_not_read_back_is_made_again(
    network: SignedNetwork, namespace: cache.Namespace[object], damage: Callable[[bytes], bytes]
) -> None:
    """An entry with a good tag (written by this store: by a bug, or by a damaged disk) whose
    bytes are not what its namespace holds is dropped and recomputed without a word: the
    build succeeds and makes the same site."""
    assert build(network) == 0
    before = snapshot(network.out)
    with cache.Store(store_path(network)) as store:
        for key, stored in rows(network, namespace.name):
            store.put(namespace, key, damage(stored[32:]))
    shutil.rmtree(network.out)
    result = run("build", "--source", network.site, "--out", network.out, at=BUILD_AT)
    assert (result.code, result.err) == (0, "")
    assert snapshot(network.out) == before
    with cache.Store(store_path(network)) as store:
        assert all(
            store.get(namespace, key) is not None for key, _ in rows(network, namespace.name)
        )

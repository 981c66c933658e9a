"""`check` says what `build` says: a private key where the build refuses one (the static
folder, a page, a badge's criteria) used to pass the check and fail the deploy. The corpora
of broken and hostile sites each run both commands too (tests/agreement.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

from .agreement import same_verdict
from .conftest import write_files
from .test_hostile_files import with_theme


def pem() -> str:
    key = ed25519.Ed25519PrivateKey.generate()
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("theme/static/old-key.pem", lambda: pem()),
        ("content/pages/cle.md", lambda: f"---\ntitle: Clé\n---\nNotre clé :\n\n{pem()}\n"),
        ("badges/laser-expert.md", lambda: f"Être expert.\n\n```\n{pem()}```\n"),
    ],
    ids=["static", "page", "criteria"],
)
def test_a_private_key_is_refused_by_check_as_by_build(
    minimal_site: Callable[..., Path], tmp_path: Path, path: str, text: Callable[[], str]
) -> None:
    source = minimal_site()
    if path.startswith("theme/"):
        with_theme(source)
    if path.startswith("badges/"):  # the criteria in their own file
        expert = source / "badges/laser-expert.yaml"
        expert.write_text(expert.read_text("utf-8").replace("criteria: Être expert.\n", ""))
    write_files(source, {path: text()})
    result = same_verdict(source, tmp_path / "out")
    assert result.code == 1
    [error] = [line for line in result.err.splitlines() if ": error: " in line]
    assert error.startswith(path) and ": error: private key material (" in error, error
    assert not (tmp_path / "out").exists()

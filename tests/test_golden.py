"""Golden-site tests: each test site is built and compared file by file with its expected/.

`minimal` is content only; `signed` is the same network with a key, two awards and a
revoked one (signed with tests/keys/signed-atelier.test-only.pem). After an intended
change, regenerate with `python -m pytest tests/test_golden.py --update-golden` and review
the diff like code.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.site.build import build

from .conftest import SITES, copy_site


def _files(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


@pytest.mark.parametrize("name", ["minimal", "signed"])
def test_site_matches_expected_output(
    name: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    source = copy_site(name, tmp_path / "source")
    out = tmp_path / "out"
    build(source, out)
    expected_dir = SITES / name / "expected"
    if request.config.getoption("--update-golden"):
        shutil.rmtree(expected_dir, ignore_errors=True)
        shutil.copytree(out, expected_dir)
    built, expected = _files(out), _files(expected_dir)
    assert sorted(built) == sorted(expected), (
        "files added or missing; run pytest --update-golden and review"
    )
    for path, data in expected.items():
        assert built[path] == data, f"{path} differs from the golden output"


def test_two_builds_give_identical_bytes(tmp_path: Path) -> None:
    source = copy_site("signed", tmp_path / "source")
    build(source, tmp_path / "one")
    build(source, tmp_path / "two")
    assert _files(tmp_path / "one") == _files(tmp_path / "two")

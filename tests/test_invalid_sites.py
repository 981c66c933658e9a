"""Invalid networks: each folder under tests/invalid/ overlays the minimal site with broken
files (an empty file named in `delete.txt` lines removes a file) and pins the exact
diagnostics in expected.txt."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.cli.commands import main

from .agreement import same_verdict
from .conftest import copy_site

INVALID = Path(__file__).resolve().parent / "invalid"
CASES = sorted(path.name for path in INVALID.iterdir() if path.is_dir())


def _prepare(case: str, target: Path) -> Path:
    root = copy_site("minimal", target)
    overlay = INVALID / case
    for path in sorted(overlay.rglob("*")):
        relative = path.relative_to(overlay).as_posix()
        if path.is_dir() or relative in ("expected.txt", "delete.txt"):
            continue
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, root / relative)
    deletions = overlay / "delete.txt"
    if deletions.exists():
        for line in deletions.read_text("utf-8").split():
            (root / line).unlink()
    return root


@pytest.mark.parametrize("case", CASES)
def test_check_reports_exact_diagnostics(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _prepare(case, tmp_path / "site")
    code = main(["check", "--source", str(root)])
    err = capsys.readouterr().err
    assert code == 1
    assert "Traceback" not in err
    expected = (INVALID / case / "expected.txt").read_text("utf-8")
    assert err == expected


@pytest.mark.parametrize("case", CASES)
def test_failed_build_keeps_previous_output(case: str, tmp_path: Path) -> None:
    root = _prepare(case, tmp_path / "site")
    out = tmp_path / "out"
    out.mkdir()
    (out / "index.html").write_text("last good build", "utf-8")
    assert main(["build", "--source", str(root), "--out", str(out)]) == 1
    assert [p.name for p in out.iterdir()] == ["index.html"]
    assert (out / "index.html").read_text("utf-8") == "last good build"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.")]


@pytest.mark.parametrize("case", CASES)
def test_build_refuses_what_check_refuses(case: str, tmp_path: Path) -> None:
    root = _prepare(case, tmp_path / "site")
    assert same_verdict(root, tmp_path / "out").code == 1

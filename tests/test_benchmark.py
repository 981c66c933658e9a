"""Smoke test of benchmarks/bench.py: it makes a valid network and prints its table; the Hugo
yardstick's site, where Hugo is installed.

Speed is never asserted here (timings depend on the machine); benchmarks/ measures it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.site.build import check

from .conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))

import hugo_baseline  # benchmarks/ is not a package
import synthetic_network


def test_benchmark_prints_its_table_for_a_valid_network(tmp_path: Path) -> None:
    options = ["--awards", "30", "--runs", "1", "--cache-dir", str(tmp_path)]
    result = subprocess.run(
        [sys.executable, "benchmarks/bench.py", *options],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "## 30 awards" in result.stdout
    rows = ("cold build", "warm build", "no-change rebuild", "one badge edited", "serve, one")
    for row in (*rows, "peak memory"):
        assert f"| {row}" in result.stdout
    (network,) = [path for path in tmp_path.iterdir() if (path / synthetic_network.MARKER).exists()]
    checked = check(network)  # raises BuildFailed if the network is not valid
    assert len(checked.awards) == 30
    edited = network / "badges" / "decoupe-laser-premiers-pas.yaml"
    assert edited.read_bytes() == (ROOT / "badges" / edited.name).read_bytes()  # edit undone


def test_the_network_is_the_same_for_the_same_seed(tmp_path: Path) -> None:
    for name in ("a", "b"):
        synthetic_network.generate(tmp_path / name, 12, seed=3)
    files = {
        path.relative_to(tmp_path / "a")
        for path in (tmp_path / "a").rglob("*")
        if path.is_file() and ".cache" not in path.parts
    }
    assert any(path.parts[0] == "assertions" for path in files)
    for path in sorted(files):
        assert (tmp_path / "a" / path).read_bytes() == (tmp_path / "b" / path).read_bytes(), path


@pytest.mark.parametrize("seed", [1, 2])
def test_the_network_has_its_shape(tmp_path: Path, seed: int) -> None:
    stats = synthetic_network.generate(tmp_path / "net", 400, seed=seed)
    assert stats.awards == 400
    assert 0 < stats.revoked < 20 and 5 < stats.expired < 45 and stats.linked == 40
    issuers = sorted(p.stem for p in (tmp_path / "net" / "content" / "issuers").glob("*.yaml"))
    assert len(issuers) == 9  # the network and 8 structures
    assert sorted(p.name for p in (tmp_path / "net" / "assertions").iterdir()) == sorted(
        synthetic_network.STRUCTURE_WEIGHTS
    )


@pytest.mark.skipif(
    shutil.which("hugo") is None, reason="hugo is not on the PATH (apt-get install hugo)"
)
def test_hugo_renders_the_baseline_pages(tmp_path: Path) -> None:
    command = hugo_baseline.hugo_command()
    assert command is not None
    assert re.fullmatch(r"v\d+\.\d+\.\d+", hugo_baseline.hugo_version(command))
    project = hugo_baseline.hugo_site(tmp_path, 3)
    out = tmp_path / "out"
    arguments = hugo_baseline.hugo_arguments(project, out)
    subprocess.run([*command, *arguments], check=True, capture_output=True, timeout=120)

    pages = {path.relative_to(out).as_posix() for path in out.rglob("*.html")}
    assert pages == {
        "index.html",
        "pages/index.html",
        *(f"pages/page-{number}/index.html" for number in range(3)),
    }
    page = (out / "pages" / "page-1" / "index.html").read_text("utf-8")
    assert "<title>Page 1 · Hugo baseline</title>" in page
    assert "<p>Une page <strong>simple</strong> en Markdown, numéro 1, avec" in page
    home = (out / "index.html").read_text("utf-8")
    assert all(f'<a href="/pages/page-{number}/">' in home for number in range(3))
    assert hugo_baseline.hugo_caches(project)[0].is_dir()  # its cache kept in the project

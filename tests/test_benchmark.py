"""Smoke test of benchmarks/bench.py: it makes a valid network and prints its tables; what a
built site weighs, by kind of output; the Hugo yardstick's site, where Hugo is installed.

Speed is never asserted here (timings depend on the machine); benchmarks/ measures it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))

import hugo_baseline  # benchmarks/ is not a package
import report
import results
import site_size
import synthetic_network

SIZE_ROW = re.compile(
    r"^\| ([^|]+?) \| ([\d,]+) \| ([\d.]+) \| [\d.]+ \| [\d.]+ \| ([\d.]+) \| [\d.]+ \|$"
)


def test_benchmark_prints_its_tables_for_a_valid_network(tmp_path: Path) -> None:
    # --settle 0: no pause before each run, which only steadies the timings.
    options = ["--awards", "30", "--runs", "1", "--settle", "0", "--hugo"]
    result = subprocess.run(
        [sys.executable, "benchmarks/bench.py", *options, "--cache-dir", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    printed = result.stdout
    assert "## 30 awards" in printed
    assert "(generated and checked in " in printed  # `build.py check` accepted the network
    rows = ("cold build", "warm build", "no-change rebuild", "one badge edited", "serve, one")
    for row in (
        *rows,
        "peak memory",
        "floor: writing the ",
        "site bytes per award (KB)",
        "pages/s, cold",
        "pages/s, warm",
    ):
        assert f"| {row}" in printed
    if shutil.which("hugo"):
        for row in (
            "Hugo v",
            "Hugo pages/s, cold",
            "ratio ours / Hugo, cold",
            "ratio ours / Hugo, warm",
        ):
            assert f"| {row}" in printed
    else:
        assert "--hugo: no `hugo` on the PATH" in printed

    # Every file of the cold build counted once, each award's own outputs found in its folders.
    sizes = {m[1]: m for line in printed.splitlines() if (m := SIZE_ROW.match(line))}
    built = re.search(r"^Output: ([\d,]+) files", printed, re.MULTILINE)
    assert built
    files = int(built[1].replace(",", ""))
    assert int(sizes["whole site"][2].replace(",", "")) == files
    assert sum(int(sizes[kind][2].replace(",", "")) for kind in site_size.KINDS) == files
    own = {kind: sizes[kind][4] for kind in site_size.KINDS}
    assert own == {
        site_size.HTML: "2.00",  # the French page and the English one
        site_size.BAKED: "1.00",
        site_size.AWARD_JSON: "2.00",
        site_size.OTHER_IMAGES: "0.00",
        site_size.SEARCH: "0.00",
        site_size.OTHER: "0.00",
    }
    assert "30 awards have some." in printed
    at_limit = re.search(
        r"1 GB \(1,000,000,000 bytes\), is reached at about ([\d,]+) awards", printed
    )
    assert at_limit and int(at_limit[1].replace(",", "")) > 1000

    # The network left is the one this seed makes, byte for byte: every edit undone.
    (network,) = [path for path in tmp_path.iterdir() if (path / synthetic_network.MARKER).exists()]
    synthetic_network.generate(tmp_path / "again", 30, seed=1)
    assert _files(network) == _files(tmp_path / "again")


def _files(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in root.rglob("*")
        if path.is_file() and path.name != synthetic_network.MARKER
    }


def test_site_size_counts_each_kind_and_the_awards_own_outputs(tmp_path: Path) -> None:
    award, svg_award = "awards/biklab/20250101-aa/", "awards/lab/20250102-bb/"
    sizes = {
        "index.html": 100,
        "en/index.html": 90,
        f"{award}index.html": 50,
        f"en/{award}index.html": 45,
        f"{award}badge.png": 40,
        f"{award}assertion.json": 7,
        f"{award}credential.json": 30,
        f"{svg_award}index.html": 51,
        f"{svg_award}badge.svg": 20,
        f"{svg_award}badge-ob2.svg": 19,
        f"{svg_award}assertion.json": 8,
        f"{svg_award}credential.json": 31,
        "earlier/biklab/20200101-cc/index.html": 20,  # published elsewhere: not an award's own
        "awards/biklab/index.html": 13,  # not an award's folder
        "issuers/biklab/badges/laser.png": 11,
        "issuers/biklab/did.json": 5,
        "static/site.css": 9,
        ".nojekyll": 0,
        "pagefind/pagefind.js": 6,
        "pagefind/fragment/fr_1.pf_fragment": 4,
    }
    for path, size in sizes.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_bytes(b"x" * size)
    (tmp_path / "static" / "link.css").symlink_to(tmp_path / "static" / "site.css")

    measured = site_size.measure_site(tmp_path, "fr")

    tally = site_size.Tally
    assert measured.kinds == {
        site_size.HTML: tally(7, 100 + 90 + 50 + 45 + 51 + 20 + 13),
        site_size.BAKED: tally(3, 40 + 20 + 19),
        site_size.AWARD_JSON: tally(4, 7 + 30 + 8 + 31),
        site_size.OTHER_IMAGES: tally(1, 11),
        site_size.SEARCH: tally(2, 6 + 4),
        site_size.OTHER: tally(3, 5 + 9),
    }
    assert measured.own == {
        site_size.HTML: tally(3, 50 + 45 + 51),
        site_size.BAKED: tally(3, 79),
        site_size.AWARD_JSON: tally(4, 76),
        site_size.OTHER_IMAGES: tally(),
        site_size.SEARCH: tally(),
        site_size.OTHER: tally(),
    }
    assert measured.awards_with_outputs == 2
    assert measured.rest_bytes == sum(sizes.values()) - (146 + 79 + 76)
    per_award = (146 + 79 + 76) / 2
    assert measured.awards_at_limit(2) == int((10**9 - measured.rest_bytes) / per_award)


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


def test_growth_gives_the_bytes_per_added_award_and_when_the_site_reaches_1_gb() -> None:
    def result(awards: int, seconds: float) -> results.Result:
        measured = results.Result(awards, Path("network"), "")
        runs = [results.Run(seconds, 100.0, "")]
        measured.runs = dict.fromkeys(("cold", "warm", "no_change", "one_edit", "serve"), runs)
        measured.size.kinds[site_size.HTML] = site_size.Tally(awards, 5_000_000 + 60_000 * awards)
        return measured

    printed = report.growth([result(300, 9.0), result(100, 3.0)])

    rows = [line for line in printed.splitlines() if line.startswith("| 100 |")]
    assert rows == [
        "| 100 | 3.00 | 30.00 | — | 3.00 | 30.00 | 3.00 | 3.00 | 3.00 | 100 | 0 | 11.0 | 110.0 | — |"
    ]
    assert "| 300 | 9.00 | 30.00 | 30.00 |" in printed  # 6 s more for 200 more awards
    assert printed.rstrip().endswith(
        "Between 100 and 300 awards the site grows by 60.0 KB per award, from 5.0 MB that do "
        "not grow: it reaches GitHub Pages' 1 GB at about 16,583 awards."
    )


def test_the_write_floor_writes_the_same_files(tmp_path: Path) -> None:
    """The floor is the time to write the very files of a site, nothing else."""
    import write_floor

    site = tmp_path / "site"
    (site / "a" / "b").mkdir(parents=True)
    (site / "a" / "b" / "index.html").write_bytes(b"<p>page</p>")
    (site / "top.json").write_bytes(b"{}")
    (site / "empty.txt").write_bytes(b"")
    seconds = write_floor.write_site(write_floor.read_site(site), tmp_path / "copy")
    assert seconds >= 0
    assert sorted(write_floor.read_site(tmp_path / "copy")) == sorted(write_floor.read_site(site))
    assert write_floor.main([str(site), str(tmp_path / "copy")]) == 2  # never over a folder

"""Benchmark the build on a synthetic network: python benchmarks/bench.py --awards 1000.

For each size: a deterministic network of N signed awards (cached outside the repository),
then `build.py build` timed as a subprocess, --runs times for each situation (cold, warm,
no change, one edit), with the peak memory of each run; optionally the same number of pages
built by Pelican. Prints markdown tables. It asserts nothing about speed: it measures.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pelican_baseline import pelican_arguments, pelican_command, pelican_site
from synthetic_network import MARKER, ROOT, build_env, ensure_network

from generator.cache import cache_folder

DEFAULT_CACHE = Path("~/.cache/fababrest-bench")
EDITED_BADGE = "badges/decoupe-laser-premiers-pas.yaml"
TARGET_SIZE = 10_000
# measure: (target as shown, limit); all at TARGET_SIZE awards.
TARGETS = {
    "cold": ("≤ 30 s", 30.0),
    "warm": ("≤ 6 s", 6.0),
    "no_change": ("≤ 1.5 s", 1.5),
    "one_edit": ("(no target: a badge edit rebuilds the site)", None),
    "serve": ("≤ 0.5 s", 0.5),
    "peak": ("≤ 400 MB", 400.0),
}
RATIO_TARGET = 10.0
# Seconds after which ext4 without a journal reuses freed inodes without extra reads (see Trash).
REUSE_DELAY = 65


@dataclass(frozen=True)
class Run:
    """One timed subprocess: wall time and peak resident memory."""

    seconds: float
    peak_mb: float
    output: str


@dataclass
class Result:
    """Every measure for one network size."""

    awards: int
    network: Path
    generated: str
    runs: dict[str, list[Run]] = field(default_factory=dict)
    files: int = 0
    pages: int = 0
    cache_kept: bool = False
    pelican: list[Run] = field(default_factory=list)
    pelican_pages: int = 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark for each size asked; print the tables."""
    args = _parser().parse_args(argv)
    cache_dir = args.cache_dir.expanduser().resolve()
    cache_dir.mkdir(parents=True, exist_ok=True)
    pelican = pelican_command(cache_dir) if args.pelican else None
    print(_header(args))
    results = []
    trash = Trash(cache_dir / "trash")
    try:
        for awards in args.awards:
            result = measure(awards, args.seed, args.runs, cache_dir, pelican, trash)
            results.append(result)
            print(table(result))
    finally:
        trash.empty()
    if len(results) > 1:
        print(growth(results))
    return 0


class Trash:
    """Where the outputs of earlier runs go until the measurements are over.

    This machine's disk is ext4 without a journal: there, allocating an inode skips every
    inode freed in the last 60 s (5 min while its block is not yet written back), and reads
    each one's inode table entry to know it. Creating files just after deleting tens of
    thousands costs up to 8 times more (measured: 52 µs a file a minute after, 440 µs just
    after). Deleting each output before the next run would charge every run for the previous
    run's deletion; renaming it aside costs nothing, and it is deleted once, at the end.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        if folder.exists():  # left by an interrupted benchmark
            shutil.rmtree(folder)
            print(f"waiting {REUSE_DELAY} s after deleting {folder}", file=sys.stderr)
            time.sleep(REUSE_DELAY)
        self._count = 0

    def put(self, path: Path) -> None:
        """Move path (a run's output) aside, if it is there."""
        if path.exists():
            self.folder.mkdir(parents=True, exist_ok=True)
            self._count += 1
            path.rename(self.folder / f"{self._count}-{path.name}")

    def empty(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--awards",
        type=lambda text: [int(part) for part in text.split(",")],
        default=[1000],
        help="network size(s), comma-separated: 1000 or 1000,5000,10000 (default: 1000)",
    )
    parser.add_argument("--runs", type=int, default=5, help="runs of each measure (default: 5)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the network (default: 1)")
    parser.add_argument(
        "--pelican", action="store_true", help="compare with Pelican (installed in a private venv)"
    )
    parser.add_argument(
        "--cache-dir",
        type=Path,
        default=DEFAULT_CACHE,
        help=f"where networks, outputs and Pelican live (default: {DEFAULT_CACHE})",
    )
    return parser


def _header(args: argparse.Namespace) -> str:
    commit = subprocess.run(
        ["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    return (
        f"\n# Build benchmark ({commit or 'no git'}; Python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs, {platform.system()}; seed {args.seed}, {args.runs} run(s) "
        "each, SOURCE_DATE_EPOCH fixed)\n"
    )


# Measuring -------------------------------------------------------------------------------


def measure(
    awards: int, seed: int, runs: int, cache_dir: Path, pelican: list[str] | None, trash: Trash
) -> Result:
    """Generate (or reuse) the network, then time every situation `runs` times."""
    started = time.perf_counter()
    source, made = ensure_network(cache_dir, awards, seed)
    stats = (source / MARKER).read_text("utf-8").strip()
    how = f"generated and checked in {time.perf_counter() - started:.1f} s" if made else "cached"
    result = Result(awards, source, f"{stats} ({how}: {source})")
    out = cache_dir / "out" / source.name
    cache = cache_folder(source)
    build = _build_command(source, out)

    def fresh(remove_cache: bool) -> Callable[[], None]:
        def prepare() -> None:
            if remove_cache:
                trash.put(cache)
            trash.put(out)

        return prepare

    result.runs["cold"] = _repeat("cold build", runs, build, fresh(remove_cache=True))
    result.files = _files_built(result.runs["cold"][-1].output)
    result.pages = sum(1 for _ in out.rglob("*.html"))
    result.cache_kept = cache.is_dir()
    result.runs["warm"] = _repeat("warm build", runs, build, fresh(remove_cache=False))
    result.runs["no_change"] = _repeat("no-change rebuild", runs, build, lambda: None)
    badge = source / EDITED_BADGE
    original = badge.read_text("utf-8")
    edits = iter(range(1, runs + 1))
    try:
        result.runs["one_edit"] = _repeat(
            "one-edit rebuild", runs, build, lambda: _edit(badge, original, next(edits))
        )
    finally:
        badge.write_text(original, "utf-8")
    trash.put(out)
    result.runs["serve"] = serve_edits(source, out, runs)
    trash.put(out)
    if pelican is not None:
        project = pelican_site(cache_dir, result.pages)
        pelican_out = cache_dir / "pelican-out"
        command = [*pelican, *pelican_arguments(project, pelican_out)]
        result.pelican = _repeat("Pelican build", runs, command, lambda: trash.put(pelican_out))
        result.pelican_pages = sum(1 for _ in pelican_out.rglob("*.html"))
        trash.put(pelican_out)
    return result


def serve_edits(source: Path, out: Path, runs: int) -> list[Run]:
    """`serve`'s rebuild after one credential is edited, timed inside serve_edit.py."""
    command = [sys.executable, "benchmarks/serve_edit.py", str(source), str(out), str(runs)]
    process = timed(command)
    measured = json.loads(process.output.strip().splitlines()[-1])
    for number, seconds in enumerate(measured["seconds"], start=1):
        print(f"serve, one credential edited {number}/{runs}: {seconds:.2f} s", file=sys.stderr)
    return [Run(seconds, process.peak_mb, "") for seconds in measured["seconds"]]


def _build_command(source: Path, out: Path) -> list[str]:
    return [sys.executable, "build.py", "build", "--source", str(source), "--out", str(out)]


def _repeat(label: str, runs: int, command: list[str], prepare: Callable[[], None]) -> list[Run]:
    measured = []
    for number in range(1, runs + 1):
        prepare()
        settle()
        run = timed(command)
        print(
            f"{label} {number}/{runs}: {run.seconds:.2f} s, {run.peak_mb:.0f} MB", file=sys.stderr
        )
        measured.append(run)
    return measured


def settle() -> None:
    """Let the file system write back the last run's files before timing the next (the
    previous outputs are not deleted meanwhile: see Trash)."""
    os.sync()
    time.sleep(2)


def timed(command: list[str]) -> Run:
    """Run a command from the repository root; its wall time and peak RSS (os.wait4's rusage,
    which is the child's own, unlike RUSAGE_CHILDREN's maximum over all children)."""
    with tempfile.TemporaryFile() as log:
        started = time.perf_counter()
        process = subprocess.Popen(
            command, cwd=ROOT, env=build_env(), stdout=log, stderr=subprocess.STDOUT
        )
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        log.seek(0)
        output = log.read().decode("utf-8", "replace")
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{output[-5000:]}")
    # ru_maxrss is in kilobytes on Linux, in bytes on macOS.
    peak = usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
    return Run(seconds, peak, output)


def _files_built(output: str) -> int:
    match = re.search(r"built (\d+) files", output)
    return int(match.group(1)) if match else 0


def _edit(badge: Path, original: str, number: int) -> None:
    """A coordinator's edit: the badge's French description gets a few more words."""
    lines = original.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith("description:"))
    index = next(i for i in range(start, len(lines)) if lines[i].lstrip().startswith("fr:"))
    line = lines[index].rstrip("\n")
    words = f" (modification {number})"
    lines[index] = (line[:-1] + words + '"' if line.endswith('"') else line + words) + "\n"
    badge.write_text("".join(lines), "utf-8")


# Reporting -------------------------------------------------------------------------------


def _stats(values: list[float]) -> tuple[float, float, float]:
    return statistics.median(values), min(values), max(values)


def _verdict(awards: int, value: float, limit: float | None, lower: bool = True) -> str:
    if awards != TARGET_SIZE or limit is None:
        return "—"
    return "met" if (value <= limit if lower else value >= limit) else "**missed**"


def table(result: Result) -> str:
    """The markdown table of one size."""
    n = result.awards
    rows = [
        f"\n## {n:,} awards\n",
        f"Network: {result.generated}",
        f"Output: {result.files:,} files, of which {result.pages:,} HTML pages.",
        "Build cache (the cache store, generator/cache.py): "
        + ("kept between warm builds." if result.cache_kept else "none created by the build."),
        "",
        f"| measure | median | min | max | target at {TARGET_SIZE:,} awards | met at this N |",
        "|---|---:|---:|---:|---|---|",
    ]
    names = {
        "cold": "cold build (s)",
        "warm": "warm build (s)",
        "no_change": "no-change rebuild (s)",
        "one_edit": "one badge edited, build (s)",
        "serve": "serve, one credential edited (s)",
    }
    for key, label in names.items():
        median, low, high = _stats([run.seconds for run in result.runs[key]])
        target, limit = TARGETS[key]
        rows.append(
            f"| {label} | {median:.2f} | {low:.2f} | {high:.2f} | {target} | "
            f"{_verdict(n, median, limit)} |"
        )
    median, low, high = _stats([run.peak_mb for run in result.runs["cold"]])
    target, limit = TARGETS["peak"]
    rows.append(
        f"| peak memory, cold (MB) | {median:.0f} | {low:.0f} | {high:.0f} | {target} | "
        f"{_verdict(n, median, limit)} |"
    )
    ours = [result.pages / run.seconds for run in result.runs["cold"]]
    median, low, high = _stats(ours)
    rows.append(f"| pages/s, cold (HTML) | {median:.0f} | {low:.0f} | {high:.0f} | | |")
    if result.pelican:
        theirs = [result.pelican_pages / run.seconds for run in result.pelican]
        p_median, p_low, p_high = _stats(theirs)
        ratio = median / p_median
        rows += [
            f"| Pelican pages/s ({result.pelican_pages:,} HTML pages) | {p_median:.0f} | "
            f"{p_low:.0f} | {p_high:.0f} | | |",
            f"| ratio ours / Pelican (pages/s) | {ratio:.2f} x | | | ≥ {RATIO_TARGET:.0f} x | "
            f"{_verdict(n, ratio, RATIO_TARGET, lower=False)} |",
        ]
    rows.append(
        "\nCold: no output, no cache store. Warm: cache store kept, no output. No-change: the same "
        "build again. One badge edited: `build.py build` after a badge's description changed "
        "(every page shows the badge). Serve: `build.py serve`'s rebuild after one credential "
        "changed, from the change seen to the files written (livereload then tells the browser; "
        "it looks for changes every 0.8 s)."
    )
    return "\n".join(rows) + "\n"


def growth(results: list[Result]) -> str:
    """How the medians grow with the network: time per award, and per added award."""
    rows = [
        "\n## Growth\n",
        "| awards | cold (s) | cold ms/award | marginal ms/award | warm (s) | warm ms/award "
        "| no-change (s) | badge edit (s) | serve edit (s) | peak (MB) | HTML pages |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    previous: tuple[int, float] | None = None
    for result in sorted(results, key=lambda r: r.awards):
        medians = {k: statistics.median(r.seconds for r in v) for k, v in result.runs.items()}
        peak = statistics.median(run.peak_mb for run in result.runs["cold"])
        cold, warm = medians["cold"], medians["warm"]
        marginal = (
            f"{1000 * (cold - previous[1]) / (result.awards - previous[0]):.2f}"
            if previous and result.awards != previous[0]
            else "—"
        )
        rows.append(
            f"| {result.awards:,} | {cold:.2f} | {1000 * cold / result.awards:.2f} | {marginal} "
            f"| {warm:.2f} | {1000 * warm / result.awards:.2f} | {medians['no_change']:.2f} "
            f"| {medians['one_edit']:.2f} | {medians['serve']:.2f} | {peak:.0f} | {result.pages:,} |"
        )
        previous = (result.awards, cold)
    return "\n".join(rows) + "\n"


if __name__ == "__main__":
    sys.exit(main())

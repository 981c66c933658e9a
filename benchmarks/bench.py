"""Benchmark the build on a synthetic network: python benchmarks/bench.py --awards 1000.

For each size: a deterministic network of N signed awards (cached outside the repository),
then `build.py build` timed as a subprocess, --runs times for each situation (cold, warm,
no change, one edit), with the peak memory of each run, and what the cold build's output
weighs per award; optionally the same number of pages built by Pelican and by Hugo. Prints
markdown tables (report.py). It asserts nothing about speed: it measures.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml
from hugo_baseline import hugo_arguments, hugo_caches, hugo_command, hugo_site, hugo_version
from pelican_baseline import (
    pelican_arguments,
    pelican_caches,
    pelican_command,
    pelican_site,
    pelican_version,
)
from report import growth, table
from results import Baseline, Result, Run
from site_size import HTML, measure_site
from synthetic_network import MARKER, ROOT, build_env, ensure_network

from generator.cache import cache_folder

DEFAULT_CACHE = Path("~/.cache/fababrest-bench")
EDITED_BADGE = "badges/decoupe-laser-premiers-pas.yaml"
SETTLE = 2.0
# Seconds after which ext4 without a journal reuses freed inodes without extra reads (see Trash).
REUSE_DELAY = 65


@dataclass(frozen=True)
class Yardstick:
    """Another generator to build as many pages: its command, how to make its site (in the
    cache folder, of so many pages), the arguments that build a site into a folder, and the
    caches it keeps in a site between builds."""

    name: str
    version: str
    command: list[str]
    site: Callable[[Path, int], Path]
    arguments: Callable[[Path, Path], list[str]]
    caches: Callable[[Path], list[Path]]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark for each size asked; print the tables."""
    args = _parser().parse_args(argv)
    cache_dir = args.cache_dir.expanduser().resolve()
    cache_dir.mkdir(parents=True, exist_ok=True)
    print(_header(args))
    yardsticks = _yardsticks(args, cache_dir)
    results = []
    trash = Trash(cache_dir / "trash")
    try:
        for awards in args.awards:
            result = measure(awards, args, cache_dir, yardsticks, trash)
            results.append(result)
            print(table(result))
    finally:
        trash.empty()
    if len(results) > 1:
        print(growth(results))
    return 0


def _yardsticks(args: argparse.Namespace, cache_dir: Path) -> list[Yardstick]:
    yardsticks = []
    if args.pelican:
        command = pelican_command(cache_dir)
        yardsticks.append(
            Yardstick(
                "Pelican",
                pelican_version(command),
                command,
                pelican_site,
                pelican_arguments,
                pelican_caches,
            )
        )
    if args.hugo:
        hugo = hugo_command()
        if hugo is None:
            print(
                "--hugo: no `hugo` on the PATH, so no comparison with Hugo (apt-get install hugo)\n"
            )
        else:
            yardsticks.append(
                Yardstick("Hugo", hugo_version(hugo), hugo, hugo_site, hugo_arguments, hugo_caches)
            )
    return yardsticks


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
        "--hugo", action="store_true", help="compare with Hugo (when `hugo` is on the PATH)"
    )
    parser.add_argument(
        "--settle",
        type=float,
        default=SETTLE,
        help="seconds to wait, after syncing the disks, before each timed run, so that the "
        f"previous run's files are written back (default: {SETTLE:g}; 0: neither, for a quick try)",
    )
    parser.add_argument(
        "--cache-dir",
        type=Path,
        default=DEFAULT_CACHE,
        help=f"where networks, outputs, Pelican and the Hugo site live (default: {DEFAULT_CACHE})",
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
    awards: int,
    args: argparse.Namespace,
    cache_dir: Path,
    yardsticks: list[Yardstick],
    trash: Trash,
) -> Result:
    """Generate (or reuse) the network, then time every situation `runs` times."""
    runs = args.runs
    started = time.perf_counter()
    source, made = ensure_network(cache_dir, awards, args.seed)
    stats = (source / MARKER).read_text("utf-8").strip()
    how = f"generated and checked in {time.perf_counter() - started:.1f} s" if made else "cached"
    result = Result(awards, source, f"{stats} ({how}: {source})")
    out = cache_dir / "out" / source.name
    cache = cache_folder(source)
    build = _build_command(source, out)
    repeat = Repeat(runs, args.settle)

    def fresh(remove_cache: bool) -> Callable[[], None]:
        def prepare() -> None:
            if remove_cache:
                trash.put(cache)
            trash.put(out)

        return prepare

    result.runs["cold"] = repeat("cold build", build, fresh(remove_cache=True))
    result.files = _files_built(result.runs["cold"][-1].output)
    result.size = measure_site(out, _default_language(source))
    result.pages = result.size.kinds[HTML].files
    result.cache_kept = cache.is_dir()
    result.runs["floor"] = write_floor(out, cache_dir / "out" / "floor", repeat, trash)
    result.runs["warm"] = repeat("warm build", build, fresh(remove_cache=False))
    result.runs["no_change"] = repeat("no-change rebuild", build, lambda: None)
    badge = source / EDITED_BADGE
    original = badge.read_text("utf-8")
    edits = iter(range(1, runs + 1))
    try:
        result.runs["one_edit"] = repeat(
            "one-edit rebuild", build, lambda: _edit(badge, original, next(edits))
        )
    finally:
        badge.write_text(original, "utf-8")
    trash.put(out)
    result.runs["serve"] = serve_edits(source, out, runs)
    trash.put(out)
    for yardstick in yardsticks:
        result.baselines.append(measure_baseline(yardstick, result.pages, cache_dir, repeat, trash))
    return result


def measure_baseline(
    yardstick: Yardstick, pages: int, cache_dir: Path, repeat: Repeat, trash: Trash
) -> Baseline:
    """Time another generator's cold builds (its caches removed), then its warm builds
    (caches kept), each into an empty folder, on as many Markdown pages."""
    out = cache_dir / f"{yardstick.name.lower()}-out"
    project = yardstick.site(cache_dir, pages)
    command = [*yardstick.command, *yardstick.arguments(project, out)]
    caches = yardstick.caches(project)

    def fresh(remove_caches: bool) -> Callable[[], None]:
        def prepare() -> None:
            for folder in caches if remove_caches else []:
                trash.put(folder)
            trash.put(out)

        return prepare

    name = yardstick.name
    cold = repeat(f"{name} cold build", command, fresh(remove_caches=True))
    built = sum(1 for _ in out.rglob("*.html"))
    warm = repeat(f"{name} warm build", command, fresh(remove_caches=False))
    trash.put(out)
    return Baseline(name, yardstick.version, built, cold, warm)


def _default_language(source: Path) -> str:
    """The network's default language, whose pages have no language folder."""
    site = yaml.safe_load((source / "content" / "site.yaml").read_text("utf-8"))
    return str(site["language"])


def serve_edits(source: Path, out: Path, runs: int) -> list[Run]:
    """`serve`'s rebuild after one credential is edited, timed inside serve_edit.py."""
    command = [sys.executable, "benchmarks/serve_edit.py", str(source), str(out), str(runs)]
    process = timed(command)
    measured = json.loads(process.output.strip().splitlines()[-1])
    for number, seconds in enumerate(measured["seconds"], start=1):
        print(f"serve, one credential edited {number}/{runs}: {seconds:.2f} s", file=sys.stderr)
    return [Run(seconds, process.peak_mb, "") for seconds in measured["seconds"]]


def write_floor(site: Path, destination: Path, repeat: Repeat, trash: Trash) -> list[Run]:
    """The time to write the site's files and nothing else (benchmarks/write_floor.py), as
    often and in the same conditions as the builds: no build that writes them is faster."""
    command = [sys.executable, "benchmarks/write_floor.py", str(site), str(destination)]
    runs = repeat("writing the files alone", command, lambda: trash.put(destination))
    trash.put(destination)
    return [Run(float(run.output.split()[-1]), run.peak_mb, run.output) for run in runs]


def _build_command(source: Path, out: Path) -> list[str]:
    return [sys.executable, "build.py", "build", "--source", str(source), "--out", str(out)]


@dataclass(frozen=True)
class Repeat:
    """Runs a command --runs times, each after its preparation and a pause (see settle)."""

    runs: int
    settle: float

    def __call__(self, label: str, command: list[str], prepare: Callable[[], None]) -> list[Run]:
        measured = []
        for number in range(1, self.runs + 1):
            prepare()
            settle(self.settle)
            run = timed(command)
            print(
                f"{label} {number}/{self.runs}: {run.seconds:.2f} s, {run.peak_mb:.0f} MB",
                file=sys.stderr,
            )
            measured.append(run)
        return measured


def settle(seconds: float) -> None:
    """Let the file system write back the last run's files before timing the next (the
    previous outputs are not deleted meanwhile: see Trash); 0 does nothing."""
    if seconds > 0:
        os.sync()
        time.sleep(seconds)


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


if __name__ == "__main__":
    sys.exit(main())

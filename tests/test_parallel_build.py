"""The fast paths give the bytes of the simple path.

A large network is verified and rendered across worker processes, with signatures, QR codes
and badge images taken from the build cache; a small one in one process with nothing
cached. Here a generated network is built both ways (workers forced on for its small size)
and the sites must be identical, file for file.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator import parallel
from generator.cache import BADGE_IMAGES, FILE_NAME, QR_CODES, VERIFIED_PROOFS, cache_folder
from generator.site.build import build
from generator.site.check import signatures
from generator.site.draw import badge_images
from generator.site.render import sharing

from .conftest import ROOT, forget_earlier_builds

sys.path.insert(0, str(ROOT / "benchmarks"))

import synthetic_network  # benchmarks/ is not a package


def files(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def stored(network: Path) -> set[str]:
    """The namespaces of the entries in a network's cache store."""
    with sqlite3.connect(cache_folder(network) / FILE_NAME) as db:
        namespaces = {name for (name,) in db.execute("SELECT DISTINCT namespace FROM entries")}
    db.close()
    return namespaces


def test_parallel_cached_builds_equal_the_serial_uncached_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    network = tmp_path / "network"
    synthetic_network.generate(network, 60, seed=7)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(synthetic_network.EPOCH))

    monkeypatch.setenv(parallel.JOBS_VARIABLE, "1")
    build(network, tmp_path / "serial", use_cache=False)
    assert not cache_folder(network).exists()

    monkeypatch.setenv(parallel.JOBS_VARIABLE, "2")
    monkeypatch.setattr(parallel, "MIN_PARALLEL_ITEMS", 1)
    assert parallel.pays_off(60)
    forget_earlier_builds()  # else this process would take what the serial build drew
    build(network, tmp_path / "cold")  # workers verify and draw; the cache is filled
    assert stored(network) >= {VERIFIED_PROOFS.name, QR_CODES.name, BADGE_IMAGES.name}

    def again(*_: object, **__: object) -> None:
        raise AssertionError("done again instead of taken from the cache")

    # Everything the cache knows comes from it (forked workers inherit these patches).
    monkeypatch.setattr(signatures, "verify", again)
    monkeypatch.setattr(sharing, "qr_png", again)
    monkeypatch.setattr(badge_images, "default_badge_pngs", again)
    build(network, tmp_path / "warm")

    serial = files(tmp_path / "serial")
    assert sum(path.startswith("awards/") for path in serial) >= 60 * 4  # 2 pages, 2 files
    assert files(tmp_path / "cold") == serial
    assert files(tmp_path / "warm") == serial


ORPHANS = r"""
import os, sys, time
os.environ["FABABREST_JOBS"] = "2"
from generator import parallel

def work(chunk):
    os.write(1, b"%d\n" % os.getpid())  # one write: the two workers' lines never mix
    time.sleep(600)
    return chunk

for _ in parallel.map_ordered(work, list(range(8)), 1, min_items=1):
    pass
"""


def test_workers_end_with_their_parent_however_it_ends(tmp_path: Path) -> None:
    """A build killed outright (SIGKILL: no Ctrl-C, no chance to stop its pool) leaves no
    worker behind: each would wait for work forever, holding the terminal's pipe open."""
    script = tmp_path / "orphans.py"
    script.write_text(ORPHANS, "utf-8")
    parent = subprocess.Popen(
        [sys.executable, str(script)], stdout=subprocess.PIPE, text=True, cwd=ROOT
    )
    assert parent.stdout is not None
    workers = {int(parent.stdout.readline()) for _ in range(2)}
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 60  # a limit on hangs, not a measure of speed
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in workers if _alive(pid)]


def _alive(pid: int) -> bool:
    """Whether a process is there and not a zombie."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().split(") ")[1][0] != "Z"
    except OSError:
        return False

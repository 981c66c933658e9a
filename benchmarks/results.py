"""What the benchmark measured: runs, the yardsticks' builds and every measure of one size."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from site_size import SiteSize


@dataclass(frozen=True)
class Run:
    """One timed subprocess: wall time and peak resident memory."""

    seconds: float
    peak_mb: float
    output: str


@dataclass(frozen=True)
class Baseline:
    """Another generator building as many simple Markdown pages: cold (its caches removed)
    and warm (its caches kept) builds, each into an empty output folder."""

    name: str
    version: str
    pages: int
    cold: list[Run]
    warm: list[Run]


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
    size: SiteSize = field(default_factory=SiteSize)
    baselines: list[Baseline] = field(default_factory=list)

"""The benchmark's markdown tables: each size's measures beside the budgets, what its site
weighs per award, and how both grow with the network."""

from __future__ import annotations

import statistics

from results import Baseline, Result, Run
from site_size import KINDS, PAGES_LIMIT

TARGET_SIZE = 10_000
# The budgets (README, "Budgets"), all at TARGET_SIZE awards on an idle 2-core machine.
# measure: (target as shown, limit): a number, the measure whose median is the limit, or None.
TARGETS: dict[str, tuple[str, float | str | None]] = {
    "cold": ("≤ 15 s", 15.0),
    "warm": ("≤ 4 s", 4.0),
    "no_change": ("≤ 0.3 s", 0.3),
    "one_edit": ("≤ the warm build", "warm"),
    "serve": ("≤ 0.3 s", 0.3),
    "peak": ("≤ 200 MB", 200.0),
    "site_kb_per_award": ("≤ 30 KB", 30.0),
}
# (yardstick, build): the least ratio of our pages/s to the yardstick's, at TARGET_SIZE.
RATIO_TARGETS = {("Pelican", "cold"): 3.0, ("Hugo", "cold"): 0.5, ("Hugo", "warm"): 1.0}
TIMES = {
    "cold": "cold build (s)",
    "warm": "warm build (s)",
    "no_change": "no-change rebuild (s)",
    "one_edit": "one badge edited, build (s)",
    "serve": "serve, one credential edited (s)",
}
KB = 1000  # bytes are counted in decimal units throughout, as GitHub states its limit


def _stats(values: list[float]) -> tuple[float, float, float]:
    return statistics.median(values), min(values), max(values)


def _median(runs: list[Run]) -> float:
    return statistics.median(run.seconds for run in runs)


def _verdict(awards: int, value: float, limit: float | None, at_least: bool = False) -> str:
    if awards != TARGET_SIZE or limit is None:
        return "—"
    return "met" if (value >= limit if at_least else value <= limit) else "**missed**"


def _limit(result: Result, key: str) -> float | None:
    limit = TARGETS[key][1]
    return _median(result.runs[limit]) if isinstance(limit, str) else limit


def table(result: Result) -> str:
    """The markdown tables of one size: its measures, then what its site weighs."""
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
    for key, label in TIMES.items():
        median, low, high = _stats([run.seconds for run in result.runs[key]])
        rows.append(
            f"| {label} | {median:.2f} | {low:.2f} | {high:.2f} | {TARGETS[key][0]} | "
            f"{_verdict(n, median, _limit(result, key))} |"
        )
    if "floor" in result.runs:
        median, low, high = _stats([run.seconds for run in result.runs["floor"]])
        rows.append(
            f"| floor: writing the {result.files:,} files alone (s) | {median:.2f} | {low:.2f} "
            f"| {high:.2f} | | |"
        )
    median, low, high = _stats([run.peak_mb for run in result.runs["cold"]])
    rows.append(
        f"| peak memory, cold (MB) | {median:.0f} | {low:.0f} | {high:.0f} | "
        f"{TARGETS['peak'][0]} | {_verdict(n, median, _limit(result, 'peak'))} |"
    )
    per_award = result.size.total.bytes / n / KB
    rows.append(
        f"| site bytes per award (KB) | {per_award:.1f} | | | {TARGETS['site_kb_per_award'][0]} "
        f"| {_verdict(n, per_award, _limit(result, 'site_kb_per_award'))} |"
    )
    ours = {
        build: _pages_per_second(result.pages, result.runs[build]) for build in ("cold", "warm")
    }
    for build, values in ours.items():
        median, low, high = _stats(values)
        rows.append(f"| pages/s, {build} (HTML) | {median:.0f} | {low:.0f} | {high:.0f} | | |")
    for baseline in result.baselines:
        rows += _baseline_rows(n, baseline, ours)
    rows.append(
        "\nCold: no output, no cache store. Warm: cache store kept, no output. No-change: the same "
        "build again. One badge edited: `build.py build` after a badge's description changed "
        "(every page shows the badge). Serve: `build.py serve`'s rebuild after one credential "
        "changed, from the change seen to the files written (livereload then tells the browser; "
        "it looks for changes every 0.8 s). Pelican and Hugo build as many one-paragraph "
        "Markdown pages as the site has HTML pages, into an empty folder: cold without their "
        "caches, warm with the caches of the previous build. Floor: the cold build's files "
        "written again by plain Python (benchmarks/write_floor.py: the same folders, names and "
        "bytes; one write a file, nothing checked), in the same conditions: no build that "
        "writes them can be faster on this disk."
    )
    return "\n".join(rows) + "\n" + size_table(result) + "\n"


def _pages_per_second(pages: int, runs: list[Run]) -> list[float]:
    return [pages / run.seconds for run in runs]


def _baseline_rows(n: int, baseline: Baseline, ours: dict[str, list[float]]) -> list[str]:
    rows = []
    name = baseline.name
    for build, runs in (("cold", baseline.cold), ("warm", baseline.warm)):
        median, low, high = _stats([run.seconds for run in runs])
        rows.append(
            f"| {name} {baseline.version}, {build} build (s), {baseline.pages:,} HTML pages "
            f"| {median:.2f} | {low:.2f} | {high:.2f} | | |"
        )
        theirs = _pages_per_second(baseline.pages, runs)
        median, low, high = _stats(theirs)
        rows.append(f"| {name} pages/s, {build} | {median:.0f} | {low:.0f} | {high:.0f} | | |")
        ratio = statistics.median(ours[build]) / median
        target = RATIO_TARGETS.get((name, build))
        shown = f"≥ {target:g} x" if target is not None else "(no target)"
        rows.append(
            f"| ratio ours / {name}, {build} (pages/s) | {ratio:.2f} x | | | {shown} | "
            f"{_verdict(n, ratio, target, at_least=True)} |"
        )
    return rows


def size_table(result: Result) -> str:
    """What the cold build's output weighs, by kind, per award; and when it reaches 1 GB."""
    n, size = result.awards, result.size
    rows = [
        f"\n### The cold build's output, per award ({n:,} awards)\n",
        "| kind of output | files | files per award | MB | KB per award "
        "| awards' own: files per award | awards' own: KB per award |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    lines = [(kind, size.kinds[kind], size.own[kind]) for kind in KINDS]
    for kind, whole, own in [*lines, ("whole site", size.total, size.own_total)]:
        rows.append(
            f"| {kind} | {whole.files:,} | {whole.files / n:.2f} | {whole.bytes / KB**2:.2f} "
            f"| {whole.bytes / n / KB:.1f} | {own.files / n:.2f} | {own.bytes / n / KB:.1f} |"
        )
    rows.append(
        f"\nAn award's own outputs: its folder `awards/<structure>/<id>/` (page, OB2 assertion, "
        f"OB3 credential, baked image) and its page in each other language (`en/awards/…`); "
        f"{size.awards_with_outputs:,} awards have some. The rest of the site weighs "
        f"{size.rest_bytes / KB**2:.2f} MB; it grows with the awards too (badge, issuer and "
        f"people pages list them, the sitemap names them): the growth table, given several "
        f"sizes, measures the whole site's bytes per added award.\n"
        f"GitHub Pages' limit, {PAGES_LIMIT / KB**3:g} GB ({PAGES_LIMIT:,} bytes), is reached at "
        f"about {size.awards_at_limit(n):,} awards: the rest of the site as it is here, plus "
        f"{size.own_total.bytes / n / KB:.1f} KB for each award's own outputs."
    )
    return "\n".join(rows) + "\n"


def growth(results: list[Result]) -> str:
    """How the medians and the site's bytes grow with the network, per award and per added award."""
    rows = [
        "\n## Growth\n",
        "| awards | cold (s) | cold ms/award | marginal ms/award | warm (s) | warm ms/award "
        "| no-change (s) | badge edit (s) | serve edit (s) | peak (MB) | HTML pages "
        "| site (MB) | KB/award | marginal KB/award |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    ordered = sorted(results, key=lambda r: r.awards)
    previous: Result | None = None
    for result in ordered:
        medians = {key: _median(runs) for key, runs in result.runs.items()}
        peak = statistics.median(run.peak_mb for run in result.runs["cold"])
        cold, warm = medians["cold"], medians["warm"]
        site = result.size.total.bytes
        added = result.awards - previous.awards if previous else 0
        marginal_ms = marginal_kb = "—"
        if previous and added:
            marginal_ms = f"{1000 * (cold - _median(previous.runs['cold'])) / added:.2f}"
            marginal_kb = f"{(site - previous.size.total.bytes) / added / KB:.1f}"
        rows.append(
            f"| {result.awards:,} | {cold:.2f} | {1000 * cold / result.awards:.2f} | {marginal_ms} "
            f"| {warm:.2f} | {1000 * warm / result.awards:.2f} | {medians['no_change']:.2f} "
            f"| {medians['one_edit']:.2f} | {medians['serve']:.2f} | {peak:.0f} | {result.pages:,} "
            f"| {site / KB**2:.1f} | {site / result.awards / KB:.1f} | {marginal_kb} |"
        )
        previous = result
    projection = _projection(ordered[-2], ordered[-1]) if len(ordered) > 1 else ""
    if projection:
        rows.append(f"\n{projection}")
    return "\n".join(rows) + "\n"


def _projection(smaller: Result, larger: Result) -> str:
    """When the site reaches GitHub Pages' limit, growing as it did between two sizes."""
    small, large = smaller.awards, larger.awards
    if large == small:
        return ""
    marginal = (larger.size.total.bytes - smaller.size.total.bytes) / (large - small)
    if marginal <= 0:
        return ""
    fixed = larger.size.total.bytes - marginal * large
    at_limit = int((PAGES_LIMIT - fixed) / marginal)
    return (
        f"Between {small:,} and {large:,} awards the site grows by {marginal / KB:.1f} KB per "
        f"award, from {fixed / KB**2:.1f} MB that do not grow: it reaches GitHub Pages' "
        f"{PAGES_LIMIT / KB**3:g} GB at about {at_limit:,} awards."
    )

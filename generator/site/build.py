"""The whole build, top to bottom: load, verify, render, write."""

from __future__ import annotations

import gc
import logging
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from generator.cache import Store, open_store
from generator.site import last_build
from generator.site.badge_images import BadgeImage, draw_badge_images
from generator.site.check.content import check_content
from generator.site.check.credentials import check_credentials
from generator.site.check.privacy import RecipientEmailGuard
from generator.site.load.network import load_network
from generator.site.model import Award, Network
from generator.site.outputs import Output, Written
from generator.site.problems import Problem, Problems
from generator.site.progress import progress
from generator.site.render.sharing import QrCodes
from generator.site.render.site import render_site, theme_for
from generator.site.render.theme import Theme
from generator.site.urls import Urls
from generator.site.write import SiteFolder, write_site_from

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BuildReport:
    """What a build did: files written and the warnings it let through."""

    files: int
    warnings: list[Problem]
    up_to_date: bool = False
    """Nothing changed since the last build into the same folder: nothing was written."""


def build_time() -> datetime:
    """Now, or SOURCE_DATE_EPOCH when set, so that two builds of one input give the same bytes."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return datetime.fromtimestamp(int(epoch), UTC)
    return datetime.now(UTC).replace(microsecond=0)


@dataclass(frozen=True)
class CheckedSite:
    """A network whose content and credentials verified, with the awards to publish."""

    network: Network
    awards: dict[tuple[str, str], Award]
    problems: Problems
    now: datetime
    theme: Theme


def check_site(
    source: Path, strict: bool = False, use_cache: bool = True, store: Store | None = None
) -> CheckedSite:
    """Load and verify the content and every credential; raise BuildFailed on errors.

    Signatures verified and templates compiled by earlier builds come from the cache store
    (generator/cache.py): `store` when given, else the repository's, saved here;
    use_cache=False verifies everything again.
    """
    with _collector_paused():
        if store is not None:
            return _check(source, strict, store)
        with open_store(source, use_cache) as own:
            return _check(source, strict, own)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector off while the network is read and checked.

    Reading builds millions of objects that all live on (the model); the collector would
    walk them all again each time it runs, about a third of the checks' time at 10,000
    awards. The few cycles they leave are collected after, as usual.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def _check(source: Path, strict: bool, store: Store) -> CheckedSite:
    problems = Problems(strict=strict)
    now = build_time()
    network = load_network(source, problems)
    check_content(network, problems)
    theme = theme_for(source, store)
    theme.check(network.site.languages, network.site.language, problems)
    urls = Urls(network.site.base_url, network.site.language)
    awards = check_credentials(network, urls, now, problems, store)
    problems.raise_if_errors()
    return CheckedSite(network, awards, problems, now, theme)


def build_site(
    source: Path, out_dir: Path, strict: bool = False, use_cache: bool = True
) -> BuildReport:
    """Load, verify, render and write the whole site; raise BuildFailed on errors.

    With the cache, a build whose inputs are those of the last build into out_dir, at a
    moment when every award has the same status, stops early (see last_build.py).
    """
    with open_store(source, use_cache) as store:
        inputs = last_build.fingerprint(source, out_dir, f"strict={strict}") if use_cache else ""
        if use_cache:
            files = last_build.unchanged_since(store, out_dir, inputs, build_time())
            if files is not None:
                log.info("nothing changed since the last build into %s", out_dir)
                return BuildReport(files=files, warnings=[], up_to_date=True)
        checked = check_site(source, strict, store=store)
        report = publish_site(checked, out_dir, store).report
        if use_cache:
            if report.warnings:
                last_build.forget_build(store, out_dir)
            else:
                until = next_status_change(checked.awards.values(), checked.now)
                last_build.record_build(store, out_dir, inputs, checked.now, until, report.files)
    return report


def next_status_change(awards: Iterable[Award], now: datetime) -> datetime | None:
    """The first moment after now at which an award expires (and so changes its pages)."""
    return min(
        (
            award.valid_until
            for award in awards
            if award.revocation is None and award.valid_until and award.valid_until > now
        ),
        default=None,
    )


@dataclass(frozen=True)
class PublishedSite:
    """A site written from a checked network, with what rendering it needs again (serve)."""

    checked: CheckedSite
    images: dict[str, BadgeImage]
    qr_codes: QrCodes
    report: BuildReport
    cleared_addresses: frozenset[str] = frozenset()
    """Addresses on the site that belong to no recipient (see privacy.py)."""


def publish_site(checked: CheckedSite, out_dir: Path, store: Store) -> PublishedSite:
    """Render and write the whole site of a checked network; raise BuildFailed on errors."""
    # The checked model lives until the site is written: the garbage collector need not walk
    # its millions of objects again and again, and forked workers keep sharing its memory
    # pages instead of copying those the collector would touch.
    gc.freeze()
    try:
        return _publish(checked, out_dir, store)
    finally:
        gc.unfreeze()


def _publish(checked: CheckedSite, out_dir: Path, store: Store) -> PublishedSite:
    problems = checked.problems
    images = draw_badge_images(checked.network, store)
    qr_codes = QrCodes(store)
    guard = RecipientEmailGuard(checked.network.credentials)

    def render(folder: SiteFolder) -> Iterator[Output | Written]:
        outputs = render_site(
            checked.network,
            checked.awards,
            images,
            checked.theme,
            checked.now,
            qr_codes,
            folder=folder,
        )
        return progress(guard.scan(outputs), "writing files", every=500)

    def last_checks() -> None:
        guard.report(problems)
        problems.raise_if_errors()

    files = write_site_from(render, out_dir, before_swap=last_checks)
    log.info("wrote %d files to %s", files, out_dir)
    report = BuildReport(files=files, warnings=problems.sorted())
    return PublishedSite(checked, images, qr_codes, report, frozenset(guard.cleared))

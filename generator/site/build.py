"""The one orchestrator: load → check → render → write, for a whole build, or for what changed
since the last build of the same source into the same folder (serve asks for that)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from generator.cache import Store, open_store
from generator.clock import build_time
from generator.progress import Progress, unseen
from generator.site import last_build
from generator.site.built import (
    AwardKey,
    BuildReport,
    BuildState,
    Built,
    CheckedSite,
    draw_shares,
    guard_sources,
    next_status_change,
)
from generator.site.load.changes import Snapshot, snapshot_sources
from generator.site.load.repository import SOURCE_FOLDERS
from generator.site.model.output import Output
from generator.site.model.problems import Problems
from generator.site.write.output_folder import (
    claim_output_folder,
    output_folder_lock,
    recover_output_folder,
)

# The stages are imported by the functions that run them: a build that finds nothing changed
# (last_build.py) runs none, and starts in a fifth of the time without them (0.3 s of imports).
if TYPE_CHECKING:
    from generator.site.check.privacy import RecipientEmailGuard
    from generator.site.draw.badge_images import BadgeImage
    from generator.site.draw.share_images import ShareImage, ShareKey
    from generator.site.render.outputs import Rendering
    from generator.site.render.sharing import QrCodes
    from generator.site.write.writer import Fanout, WriteReport

log = logging.getLogger(__name__)


def check(
    source: Path, *, strict: bool = False, use_cache: bool = True, since: str | None = None
) -> CheckedSite:
    """Load, check and render the whole site as a build does, without writing it; raise
    BuildFailed on what a build would refuse (the same problems: one rule set).

    Signatures verified and templates compiled by earlier builds come from the cache store
    (generator/cache.py); use_cache=False verifies everything again. With since (a git
    revision), every address published at that revision must still be published.
    """
    with open_store(source, use_cache) as store:
        checked = _check(source, strict, store, build_time(), since)
        _inspect(source, checked, store)
        return checked


def build(
    source: Path,
    out_dir: Path,
    *,
    strict: bool = False,
    use_cache: bool = True,
    since: str | None = None,
    progress: Progress = unseen,
    last: Built | None = None,
) -> Built:
    """Load, check, render and write the site into out_dir; raise BuildFailed on errors
    (out_dir is then untouched). The clock is read once, here.

    Given the last build of the same source into the same folder (serve), only what changed
    since is read, checked, rendered and written again when the changes allow it (see
    update.py). Otherwise, with the cache, a build whose inputs are those of the last build
    into out_dir, at a moment when every award has the same status, stops early (see
    last_build.py); anything else builds the whole site. What a build makes that a later one
    may reuse goes to the cache store. `progress` sees the files of a whole build written.
    """
    claim_output(source, out_dir)
    with output_folder_lock(out_dir, "build"):
        recover_output_folder(out_dir)
        now = build_time()
        sources = snapshot_sources(source)
        if last is not None and last.state is not None and last.out_dir == out_dir:
            from generator.site.update import update

            updated = update(last, last.state, source, sources, now, strict)
            if updated is not None:
                return updated
        with open_store(source, use_cache) as store:
            inputs = (
                last_build.fingerprint(source, out_dir, f"strict={strict}") if use_cache else None
            )
            if inputs is not None and since is None:  # a revision's addresses: checked each time
                files = last_build.unchanged_since(store, out_dir, inputs, now)
                if files is not None:
                    log.info("nothing changed since the last build into %s", out_dir)
                    return Built(BuildReport(files, [], up_to_date=True), out_dir, sources, None)
            checked = _check(source, strict, store, now, since)
            built = _publish(source, checked, out_dir, sources, store, progress)
            if inputs is not None:
                if built.report.warnings:
                    last_build.forget_build(store, out_dir)
                else:
                    until = next_status_change(
                        [*checked.awards.values(), *checked.endorsements.values()], checked.now
                    )
                    last_build.record_build(store, out_dir, inputs, now, until, built.report.files)
            return built


def claim_output(source: Path, out_dir: Path) -> None:
    """Refuse an output folder that is not the tool's own (see write/output_folder.py)."""
    claim_output_folder(out_dir, source, [source / folder for folder in SOURCE_FOLDERS])


def _check(
    source: Path, strict: bool, store: Store, now: datetime, since: str | None = None
) -> CheckedSite:
    from generator.site.check.authority import check_authority
    from generator.site.check.content import base_url_problem, check_content
    from generator.site.check.credentials import check_credentials
    from generator.site.check.endorsements import check_endorsements
    from generator.site.check.published import check_published_since
    from generator.site.check.theme import check_theme
    from generator.site.load.network import load_network
    from generator.site.load.revision import load_revision
    from generator.site.load.theme import load_theme
    from generator.site.model.urls import Urls
    from generator.site.render.theme import Theme

    problems = Problems(strict=strict)
    network = load_network(source, problems)
    theme_files = load_theme(source, problems)
    published = None
    if since is not None:
        published = load_revision(source, since)
        check_published_since(published, network, since, problems)
    check_content(network, problems, published)
    network = check_authority(network, problems, published, since)  # the keys its histories prove
    check_theme(theme_files, network.site.languages, network.site.language, problems)
    theme = Theme(theme_files, store)
    # Templates are checked by compiling them (their errors in this run, with the others):
    # those whose source compiled before come from the cache store.
    theme.compile_all(network.site.languages, problems)
    urls = Urls(network.site.base_url, network.site.language)
    # Every signed file names addresses made from base_url: a broken one is reported once.
    awards, endorsements = (
        (
            check_credentials(network, urls, now, problems, store),
            check_endorsements(network, urls, now, problems, store),
        )
        if base_url_problem(network.site.base_url) is None
        else ({}, {})
    )
    problems.raise_if_errors()
    return CheckedSite(network, awards, problems, now, theme, endorsements)


@dataclass(frozen=True)
class _Site:
    """A checked network ready to be written (or only inspected, by a check)."""

    rendering: Rendering
    fanout: Fanout[AwardKey]
    guard: RecipientEmailGuard
    images: Mapping[str, BadgeImage]
    shares: Mapping[ShareKey, ShareImage]
    qr_codes: QrCodes

    def shared_outputs(self, store: Store) -> Iterator[Output]:
        """Every output but the awards' own, then the search index of the pages among them."""
        from generator.site.write.search_index import with_search_index

        outputs = self.rendering.shared_outputs()
        return with_search_index(outputs, store, self.rendering.urls.search_index())

    def last_checks(self, problems: Problems) -> Callable[[WriteReport], None]:
        """What runs once every output was made, before anything is published."""

        def last_checks(written: WriteReport) -> None:
            self.guard.report(written.found, problems)
            problems.raise_if_errors()

        return last_checks


def _render(source: Path, checked: CheckedSite, store: Store) -> _Site:
    """Everything a whole site needs before its outputs are made."""
    from generator.site.check.privacy import RecipientEmailGuard
    from generator.site.draw.badge_images import draw_badge_images
    from generator.site.render.outputs import Rendering
    from generator.site.render.sharing import QrCodes
    from generator.site.write.writer import Fanout

    network = checked.network
    images = draw_badge_images(network, store)
    shares = draw_shares(checked, images, store)
    qr_codes = QrCodes(store)
    rendering = Rendering(
        network,
        checked.awards,
        images,
        checked.theme,
        checked.now,
        qr_codes,
        share_images=shares,
        endorsements=checked.endorsements,
    )
    fanout = Fanout(
        rendering.award_keys(), rendering.award_outputs, qr_codes.take_new, qr_codes.add
    )
    guard = RecipientEmailGuard(
        network.credentials, sources=guard_sources(source, checked), earlier=network.earlier
    )
    return _Site(rendering, fanout, guard, images, shares, qr_codes)


def _inspect(source: Path, checked: CheckedSite, store: Store) -> None:
    """Make and inspect the whole site of a checked network without writing it (a check);
    raise BuildFailed on what a build would refuse."""
    from generator.site.check.privacy import findings_in
    from generator.site.write.writer import inspect_site

    site = _render(source, checked, store)
    inspect_site(
        site.shared_outputs(store),
        fanout=site.fanout,
        inspect=findings_in,
        last_checks=site.last_checks(checked.problems),
    )


def _publish(
    source: Path,
    checked: CheckedSite,
    out_dir: Path,
    sources: Snapshot,
    store: Store,
    progress: Progress,
) -> Built:
    """Render and write the whole site of a checked network; raise BuildFailed on errors."""
    from generator.site.check.privacy import findings_in
    from generator.site.write.writer import write_site

    site = _render(source, checked, store)
    written = write_site(
        site.shared_outputs(store),
        out_dir,
        fanout=site.fanout,
        inspect=findings_in,
        before_swap=site.last_checks(checked.problems),
        progress=progress,
    )
    log.info("wrote %d files to %s", written.files, out_dir)
    report = BuildReport(files=written.files, warnings=checked.problems.sorted())
    cleared = frozenset(site.guard.cleared)
    state = BuildState(checked, site.images, site.qr_codes, store, cleared, site.shares)
    return Built(report, out_dir, sources, state)

"""The one orchestrator: load → check → render → write, for a whole build, or for what changed
since the last build of the same source into the same folder (serve asks for that)."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from generator.cache import Store, open_store
from generator.site import last_build
from generator.site.awards import Award
from generator.site.badge_images import BadgeImage, draw_badge_images
from generator.site.check.authority import check_authority
from generator.site.check.content import base_url_problem, check_content
from generator.site.check.credentials import check_changed_credentials, check_credentials
from generator.site.check.privacy import RecipientEmailGuard, findings_in
from generator.site.check.published import check_published_since
from generator.site.load.assertions import AssertionFile, reload_assertions
from generator.site.load.changes import Snapshot, changes_between, snapshot_sources
from generator.site.load.network import load_network
from generator.site.load.repository import SOURCE_FOLDERS, Repository
from generator.site.load.revision import load_revision
from generator.site.model import Network
from generator.site.output_folder import (
    claim_output_folder,
    output_folder_lock,
    recover_output_folder,
)
from generator.site.problems import Problem, Problems
from generator.site.progress import Progress, unseen
from generator.site.render.sharing import QrCodes
from generator.site.render.site import Rendering, theme_for
from generator.site.render.theme import Theme
from generator.site.share_images import ShareImage, ShareKey, draw_share_images
from generator.site.urls import Urls
from generator.site.write import Fanout, WriteReport, update_site, write_site

log = logging.getLogger(__name__)

AwardKey = tuple[str, str]


@dataclass(frozen=True)
class BuildReport:
    """What a build did: files written and the warnings it let through."""

    files: int
    warnings: list[Problem]
    up_to_date: bool = False
    """Nothing changed since the last build into the same folder: nothing was written."""
    incremental: bool = False
    """Only what changed since the last build was read, checked and written again."""


def build_time() -> datetime:
    """Now, or SOURCE_DATE_EPOCH when set, so that two builds of one input give the same bytes."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return datetime.fromtimestamp(int(epoch), UTC)
    return datetime.now(UTC).replace(microsecond=0)


@dataclass(frozen=True)
class CheckedSite:
    """A network whose content and credentials checked out, with the awards to publish."""

    network: Network
    awards: Mapping[AwardKey, Award]
    problems: Problems
    now: datetime
    theme: Theme


@dataclass(frozen=True)
class Built:
    """A build that succeeded, and what the next build of its source into its folder reuses."""

    report: BuildReport
    checked: CheckedSite
    out_dir: Path
    sources: Snapshot
    """The watched files of the source when this build started."""
    images: Mapping[str, BadgeImage]
    qr_codes: QrCodes
    store: Store
    """The cache store the theme and the QR codes keep what they make in (saved by each build)."""
    cleared_addresses: frozenset[str] = frozenset()
    """Addresses on the site that belong to no recipient (see check/privacy.py)."""
    shares: Mapping[ShareKey, ShareImage] = field(default_factory=dict)
    """The share images (og:image) of the badges and of the site."""


def check_site(
    source: Path, strict: bool = False, use_cache: bool = True, since: str | None = None
) -> CheckedSite:
    """Load and check the content and every credential; raise BuildFailed on errors.

    Signatures verified and templates compiled by earlier builds come from the cache store
    (generator/cache.py); use_cache=False verifies everything again. With since (a git
    revision), every address published at that revision must still be published.
    """
    with open_store(source, use_cache) as store:
        return _check(source, strict, store, build_time(), since)


def build_site(
    source: Path,
    out_dir: Path,
    strict: bool = False,
    use_cache: bool = True,
    since: str | None = None,
    progress: Progress = unseen,
) -> BuildReport:
    """Load, check, render and write the whole site; raise BuildFailed on errors.

    With the cache, a build whose inputs are those of the last build into out_dir, at a
    moment when every award has the same status, stops early (see last_build.py).
    """
    claim_output(source, out_dir)
    with output_folder_lock(out_dir, "build"), open_store(source, use_cache) as store:
        inputs = last_build.fingerprint(source, out_dir, f"strict={strict}") if use_cache else ""
        if use_cache and since is None:  # a revision's addresses are checked at every build
            files = last_build.unchanged_since(store, out_dir, inputs, build_time())
            if files is not None:
                log.info("nothing changed since the last build into %s", out_dir)
                return BuildReport(files=files, warnings=[], up_to_date=True)
        built = build(
            source,
            out_dir,
            strict=strict,
            use_cache=use_cache,
            store=store,
            since=since,
            progress=progress,
        )
        if use_cache:
            if built.report.warnings:
                last_build.forget_build(store, out_dir)
            else:
                checked = built.checked
                until = next_status_change(checked.awards.values(), checked.now)
                last_build.record_build(
                    store, out_dir, inputs, checked.now, until, built.report.files
                )
    return built.report


def build(
    source: Path,
    out_dir: Path,
    *,
    strict: bool = False,
    use_cache: bool = True,
    last: Built | None = None,
    store: Store | None = None,
    since: str | None = None,
    progress: Progress = unseen,
) -> Built:
    """Build source into out_dir; raise BuildFailed on errors (out_dir is then untouched).

    Given the last build of the same source into the same folder (serve), only what changed
    since is read, checked, rendered and written again, when the changes allow it: signed
    files added or changed in assertions/, with no award's status changed by the clock.
    Anything else builds the whole site. The clock is read once, here. What the build makes
    that a later one may reuse goes to the cache store (`store`, else the repository's; an
    update keeps the last build's). `progress` sees the files of a whole build written.
    """
    claim_output(source, out_dir)
    with output_folder_lock(out_dir, "build"):
        recover_output_folder(out_dir)
        return _build(source, out_dir, strict, use_cache, last, store, since, progress)


def claim_output(source: Path, out_dir: Path) -> None:
    """Refuse an output folder that is not the tool's own (see output_folder.py)."""
    claim_output_folder(out_dir, source, [source / folder for folder in SOURCE_FOLDERS])


def _build(
    source: Path,
    out_dir: Path,
    strict: bool,
    use_cache: bool,
    last: Built | None,
    store: Store | None,
    since: str | None,
    progress: Progress,
) -> Built:
    now = build_time()
    sources = snapshot_sources(source)
    if last is not None and last.out_dir == out_dir:
        changes = changes_between(last.sources, sources)
        in_time = last.checked.now <= now < _status_changes_at(last)
        signed_files = changes.signed_files_only()
        if in_time and not changes:
            report = BuildReport(files=0, warnings=[], incremental=True)
            return _replace_built(last, report, last.checked, sources, last.cleared_addresses)
        if in_time and signed_files is not None:
            with last.store:
                return _update(last, signed_files, source, sources, now, strict)
    if store is None:
        store = open_store(source, use_cache)
    with store:
        checked = _check(source, strict, store, now, since)
        return _publish(source, checked, out_dir, sources, store, progress)


def _check(
    source: Path, strict: bool, store: Store, now: datetime, since: str | None = None
) -> CheckedSite:
    problems = Problems(strict=strict)
    network = load_network(source, problems)
    before = load_revision(source, since) if since is not None else None
    if since is not None:
        check_published_since(before, network, since, problems)
    check_content(network, problems)
    network = check_authority(network, problems, before, since)  # the keys its histories prove
    theme = theme_for(source, store)
    theme.check(network.site.languages, network.site.language, problems)
    urls = Urls(network.site.base_url, network.site.language)
    awards = (
        check_credentials(network, urls, now, problems, store)
        if base_url_problem(network.site.base_url) is None
        else {}  # every signed file names addresses made from it: reported once, at base_url
    )
    problems.raise_if_errors()
    return CheckedSite(network, awards, problems, now, theme)


def _publish(
    source: Path,
    checked: CheckedSite,
    out_dir: Path,
    sources: Snapshot,
    store: Store,
    progress: Progress,
) -> Built:
    """Render and write the whole site of a checked network; raise BuildFailed on errors."""
    network, problems = checked.network, checked.problems
    images = draw_badge_images(network, store)
    shares = draw_share_images(network, images, store)
    qr_codes = QrCodes(store)
    rendering = Rendering(
        network, checked.awards, images, checked.theme, checked.now, qr_codes, share_images=shares
    )
    guard = RecipientEmailGuard(
        network.credentials, sources=_guard_sources(source, checked), earlier=network.earlier
    )

    def last_checks(written: WriteReport) -> None:
        guard.report(written.found, problems)
        problems.raise_if_errors()

    written = write_site(
        rendering.shared_outputs(),
        out_dir,
        fanout=Fanout(
            rendering.award_keys(),
            rendering.award_outputs,
            collect=qr_codes.take_new,
            absorb=qr_codes.add,
        ),
        inspect=findings_in,
        before_swap=last_checks,
        progress=progress,
    )
    log.info("wrote %d files to %s", written.files, out_dir)
    report = BuildReport(files=written.files, warnings=problems.sorted())
    cleared = frozenset(guard.cleared)
    return Built(report, checked, out_dir, sources, images, qr_codes, store, cleared, shares)


def _update(
    last: Built,
    signed_files: frozenset[AssertionFile],
    source: Path,
    sources: Snapshot,
    now: datetime,
    strict: bool,
) -> Built:
    """Read, check, render and write again what some changed signed files touch.

    A changed credential is its own award; a changed status list or revocation record
    touches every award of its structure (their revoked state may have changed). What
    gathers all awards (map, catalogue, structures, exports, status files) is rendered
    whole; files whose bytes did not change are not written.
    """
    problems = Problems(strict=strict)
    network = reload_assertions(last.checked.network, Repository(source, problems), signed_files)
    problems.raise_if_errors()
    changed = {(f.issuer, f.slug) for f in signed_files if f.kind == "credential"}
    issuers = {f.issuer for f in signed_files if f.kind != "credential"}
    changed |= {key for key in network.credentials if key[0] in issuers}
    urls = Urls(network.site.base_url, network.site.language)
    awards = check_changed_credentials(
        network, last.checked.awards, changed, urls, now, problems, last.store
    )
    problems.raise_if_errors()
    checked = CheckedSite(network, awards, problems, now, last.checked.theme)
    rendering = Rendering(
        network, awards, last.images, checked.theme, now, last.qr_codes, share_images=last.shares
    )
    outputs = [
        *rendering.shared_outputs(only_awards=changed),
        *rendering.award_outputs(rendering.award_keys(only_awards=changed)),
    ]
    guard = RecipientEmailGuard(
        network.credentials,
        last.cleared_addresses,
        changed,
        sources=_guard_sources(source, checked),
    )

    def last_checks(written: WriteReport) -> None:
        guard.report(written.found, problems)
        problems.raise_if_errors()

    files = update_site(outputs, last.out_dir, inspect=findings_in, before_write=last_checks)
    log.info("updated %d of %d files for %d award(s)", files, len(outputs), len(changed))
    report = BuildReport(files=files, warnings=problems.sorted(), incremental=True)
    cleared = last.cleared_addresses | guard.cleared
    return _replace_built(last, report, checked, sources, frozenset(cleared))


def _guard_sources(source: Path, checked: CheckedSite) -> tuple[Path, list[Path]]:
    """Where the privacy guard looks for the file holding what it refuses: the folders the
    site is made from, the theme's among them (the one shipped with the generator when the
    repository has none)."""
    folders = [source / folder for folder in SOURCE_FOLDERS]
    if checked.theme.root not in folders:
        folders.append(checked.theme.root)
    return source, folders


def _replace_built(
    last: Built,
    report: BuildReport,
    checked: CheckedSite,
    sources: Snapshot,
    cleared: frozenset[str],
) -> Built:
    return Built(
        report,
        checked,
        last.out_dir,
        sources,
        last.images,
        last.qr_codes,
        last.store,
        cleared,
        last.shares,
    )


def _status_changes_at(built: Built) -> datetime:
    """When the first award of a build expires (its pages then change), or the end of time."""
    until = next_status_change(built.checked.awards.values(), built.checked.now)
    return until if until is not None else datetime.max.replace(tzinfo=UTC)


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

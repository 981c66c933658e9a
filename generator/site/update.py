"""What changed since the last build of the same source into the same folder, built alone:
serve's updates. A changed credential is its own award; a changed status list or revocation
record touches every award of its structure (their revoked state may have changed). What
gathers all awards (map, catalogue, structures, exports, status files) is rendered whole;
files whose bytes did not change are not written. Anything else is a whole build (build.py).
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from generator.site.built import (
    BuildReport,
    BuildState,
    Built,
    CheckedSite,
    draw_shares,
    guard_sources,
    status_changes_at,
)
from generator.site.check.credentials import check_changed_credentials
from generator.site.check.privacy import RecipientEmailGuard, findings_in
from generator.site.load.assertions import AssertionFile, reload_assertions
from generator.site.load.changes import Snapshot, changes_between
from generator.site.load.repository import Repository
from generator.site.model.problems import Problems
from generator.site.model.urls import Urls
from generator.site.render.outputs import Rendering
from generator.site.write.search_index import remove_stale, with_search_index
from generator.site.write.writer import WriteReport, update_site

log = logging.getLogger(__name__)


def update(
    last: Built, state: BuildState, source: Path, sources: Snapshot, now: datetime, strict: bool
) -> Built | None:
    """The last build brought up to date when what changed allows it (signed files of
    assertions/ added or changed, no award's status changed by the clock); None when the
    site must be built whole. Raise BuildFailed on errors (the site is then untouched)."""
    changes = changes_between(last.sources, sources)
    if not state.checked.now <= now < status_changes_at(state):
        return None
    if not changes:
        return Built(
            BuildReport(files=0, warnings=[], incremental=True), last.out_dir, sources, state
        )
    signed_files = changes.signed_files_only()
    if signed_files is None:
        return None
    with state.store:
        return _update(last, state, signed_files, source, sources, now, strict)


def _update(
    last: Built,
    state: BuildState,
    signed_files: frozenset[AssertionFile],
    source: Path,
    sources: Snapshot,
    now: datetime,
    strict: bool,
) -> Built:
    """Read, check, render and write again what some changed signed files touch."""
    problems = Problems(strict=strict)
    network = reload_assertions(state.checked.network, Repository(source, problems), signed_files)
    problems.raise_if_errors()
    changed = {(f.issuer, f.slug) for f in signed_files if f.kind == "credential"}
    issuers = {f.issuer for f in signed_files if f.kind != "credential"}
    changed |= {key for key in network.credentials if key[0] in issuers}
    urls = Urls(network.site.base_url, network.site.language)
    awards = check_changed_credentials(
        network, state.checked.awards, changed, urls, now, problems, state.store
    )
    problems.raise_if_errors()
    endorsements = state.checked.endorsements  # their files are not signed files of awards
    checked = CheckedSite(network, awards, problems, now, state.checked.theme, endorsements)
    # an award revoked now may need its badge's revoked card (the others come from the store)
    shares = draw_shares(checked, state.images, state.store)
    rendering = Rendering(
        network,
        awards,
        state.images,
        checked.theme,
        now,
        state.qr_codes,
        share_images=shares,
        endorsements=endorsements,
    )
    outputs = [
        *with_search_index(
            rendering.shared_outputs(only_awards=changed), state.store, urls.search_index()
        ),
        *rendering.award_outputs(rendering.award_keys(only_awards=changed)),
    ]
    guard = RecipientEmailGuard(
        network.credentials,
        state.cleared_addresses,
        changed,
        sources=guard_sources(source, checked),
    )

    def last_checks(written: WriteReport) -> None:
        guard.report(written.found, problems)
        problems.raise_if_errors()

    files = update_site(outputs, last.out_dir, inspect=findings_in, before_write=last_checks)
    files += remove_stale(last.out_dir, urls.search_index(), outputs)
    log.info("updated %d of %d files for %d award(s)", files, len(outputs), len(changed))
    report = BuildReport(files=files, warnings=problems.sorted(), incremental=True)
    cleared = frozenset(state.cleared_addresses | guard.cleared)
    return Built(
        report,
        last.out_dir,
        sources,
        replace(state, checked=checked, cleared_addresses=cleared, shares=shares),
    )

"""What `serve` keeps between edits: the last good build, and a rebuild of what an edit touches.

A full build runs at the start and after an edit to anything but credentials: content/,
badges/, theme/, a status list, a revocation record, or a credential removed. When an edit
only adds or changes credentials (assertions/<issuer>/<award>.json), those files alone are
read and verified against the kept model, by the same rules as a full build; their awards
are rendered again with their people's portfolios and every page and export that gathers
awards (the skills map, catalogue, structures); only the files whose bytes changed are
written.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from generator.cache import open_store
from generator.site.build import BuildReport, CheckedSite, PublishedSite, check_site, publish_site
from generator.site.check.credentials import check_changed_credentials
from generator.site.check.privacy import RecipientEmailGuard
from generator.site.load.assertions import AWARD_SLUG, signed_file
from generator.site.load.repository import ASSERTIONS, BADGES, CONTENT, THEME, Repository
from generator.site.outputs import Output, Written
from generator.site.problems import Problems
from generator.site.render.site import render_site
from generator.site.urls import Urls
from generator.site.write import update_site

log = logging.getLogger(__name__)

WATCHED = (CONTENT, BADGES, ASSERTIONS, THEME)
Snapshot = dict[str, tuple[int, int]]


@dataclass(frozen=True)
class Rebuild:
    """What one rebuild did."""

    report: BuildReport
    incremental: bool
    changed_sources: int


class LiveSite:
    """A site kept up to date with its source, rebuilding as little as each edit needs."""

    def __init__(self, source: Path, out_dir: Path) -> None:
        self.source = source
        self.out_dir = out_dir
        self._published: PublishedSite | None = None
        self._snapshot: Snapshot = {}

    def rebuild(self) -> Rebuild:
        """Bring the output up to date; raise BuildFailed (output and state untouched)."""
        snapshot = snapshot_sources(self.source)
        changed = {
            path
            for path in snapshot.keys() | self._snapshot.keys()
            if snapshot.get(path) != self._snapshot.get(path)
        }
        if self._published is not None and not changed:
            return Rebuild(BuildReport(files=0, warnings=[]), incremental=True, changed_sources=0)
        credentials = _changed_credentials(changed, snapshot)
        if self._published is None or credentials is None:
            # One store for both: the theme checked puts there the templates compiled later.
            with open_store(self.source) as store:
                published = publish_site(check_site(self.source, store=store), self.out_dir, store)
            self._published, self._snapshot = published, snapshot
            return Rebuild(published.report, incremental=False, changed_sources=len(changed))
        report = self._update(self._published, credentials)
        self._snapshot = snapshot
        return Rebuild(report, incremental=True, changed_sources=len(changed))

    def _update(self, published: PublishedSite, keys: set[tuple[str, str]]) -> BuildReport:
        checked = published.checked
        problems = Problems()
        source = Repository(self.source, problems)
        credentials = dict(checked.network.credentials)
        for issuer, slug in sorted(keys):
            path = self.source / ASSERTIONS / issuer / f"{slug}.json"
            if loaded := signed_file(source, path, issuer):
                credentials[(issuer, slug)] = loaded
        problems.raise_if_errors()
        network = replace(checked.network, credentials=credentials)
        urls = Urls(network.site.base_url, network.site.language)
        with open_store(self.source) as store:
            awards = check_changed_credentials(
                network, checked.awards, keys, urls, checked.now, problems, store
            )
        problems.raise_if_errors()
        outputs = list(
            _in_memory(
                render_site(
                    network,
                    awards,
                    published.images,
                    checked.theme,
                    checked.now,
                    published.qr_codes,
                    only_awards=keys,
                )
            )
        )
        guard = RecipientEmailGuard(network.credentials, published.cleared_addresses, keys)
        outputs = list(guard.scan(outputs))
        guard.report(problems)
        problems.raise_if_errors()
        written = update_site(outputs, self.out_dir)
        log.info("updated %d of %d files for %d credential(s)", written, len(outputs), len(keys))
        new_checked = CheckedSite(network, awards, problems, checked.now, checked.theme)
        self._published = replace(
            published,
            checked=new_checked,
            cleared_addresses=published.cleared_addresses | guard.cleared,
        )
        return BuildReport(files=written, warnings=problems.sorted())


def _in_memory(outputs: Iterable[Output | Written]) -> Iterator[Output]:
    for output in outputs:
        assert isinstance(output, Output), "rendered without a folder, nothing is written"
        yield output


def snapshot_sources(source: Path) -> Snapshot:
    """Every watched file of the source, by path relative to it: (mtime in ns, size).

    Taken at every rebuild, over thousands of credentials: one scandir per folder, and the
    relative paths made as the folders are walked.
    """
    snapshot: Snapshot = {}
    folders = list(WATCHED)
    while folders:
        folder = folders.pop()
        try:
            entries = os.scandir(source / folder)
        except OSError:
            continue  # absent, or removed while we looked: the next rebuild sees it
        with entries:
            for entry in entries:
                path = f"{folder}/{entry.name}"
                if entry.is_dir(follow_symlinks=False):
                    if not entry.name.startswith("."):
                        folders.append(path)
                    continue
                try:
                    stat = entry.stat()
                except OSError:
                    continue
                snapshot[path] = (stat.st_mtime_ns, stat.st_size)
    return snapshot


def _changed_credentials(changed: set[str], snapshot: Snapshot) -> set[tuple[str, str]] | None:
    """The (issuer, award) of changed credentials, or None if anything else changed."""
    keys = set()
    for path in changed:
        parts = Path(path).parts
        is_credential = (
            len(parts) == 3
            and parts[0] == ASSERTIONS
            and parts[2].endswith(".json")
            and AWARD_SLUG.match(parts[2][: -len(".json")]) is not None
        )
        if not is_credential or path not in snapshot:  # removals need a full build
            return None
        keys.add((parts[1], parts[2][: -len(".json")]))
    return keys

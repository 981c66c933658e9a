"""What a built site weighs: its files and bytes by kind of output, and the awards' own share.

An award's own outputs are its folder, `awards/<structure>/<id>/` (its page, the Open Badges
2.0 assertion, the 3.0 credential, the baked image), and its page in each other language
(`en/awards/<structure>/<id>/`), as the URL scheme (generator/site/model/urls.py) reads them
back. Everything else is the rest of the site: pages, lists, feeds and static files, some of
which grow with the awards too (badge pages list them, the sitemap names them).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from generator.site.model.urls import Urls

HTML = "HTML pages"
BAKED = "baked badge images"
AWARD_JSON = "JSON (OB2 assertion + OB3 credential)"
OTHER_IMAGES = "other images"
SEARCH = "search index (pagefind/)"
OTHER = "everything else"
KINDS = (HTML, BAKED, AWARD_JSON, OTHER_IMAGES, SEARCH, OTHER)
SEARCH_FOLDER = Urls.search_index()
IMAGE_SUFFIXES = frozenset({".png", ".svg", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".ico"})
# GitHub Pages: "Published GitHub Pages sites may be no larger than 1 GB"; read as 10^9 bytes,
# the lower of the two readings.
PAGES_LIMIT = 1_000_000_000


@dataclass
class Tally:
    """A number of files and their bytes."""

    files: int = 0
    bytes: int = 0

    def add(self, size: int) -> None:
        self.files += 1
        self.bytes += size


@dataclass
class SiteSize:
    """A built site's files and bytes by kind, and of those the awards' own."""

    kinds: dict[str, Tally] = field(default_factory=lambda: {kind: Tally() for kind in KINDS})
    own: dict[str, Tally] = field(default_factory=lambda: {kind: Tally() for kind in KINDS})
    awards_with_outputs: int = 0

    @property
    def total(self) -> Tally:
        """The whole site."""
        return _sum(self.kinds.values())

    @property
    def own_total(self) -> Tally:
        """The awards' own outputs."""
        return _sum(self.own.values())

    @property
    def rest_bytes(self) -> int:
        """The bytes of everything that is not an award's own output."""
        return self.total.bytes - self.own_total.bytes

    def awards_at_limit(self, awards: int) -> int:
        """The awards at which the site reaches PAGES_LIMIT: the rest of the site as it is,
        plus each award's own outputs as they weigh here (0 if the rest alone reaches it)."""
        per_award = self.own_total.bytes / awards if awards else 0
        if per_award <= 0:
            return 0
        return max(0, int((PAGES_LIMIT - self.rest_bytes) / per_award))


def _sum(tallies: Iterable[Tally]) -> Tally:
    total = Tally()
    for tally in tallies:
        total.files += tally.files
        total.bytes += tally.bytes
    return total


def measure_site(out: Path, default_language: str) -> SiteSize:
    """Every regular file under out, by kind, and whether it is an award's own output."""
    urls = Urls("", default_language)  # only paths are read back: the base URL plays no part
    size = SiteSize()
    awards: set[tuple[str, str]] = set()
    for folder, _, names in os.walk(out):
        for name in names:
            path = Path(folder, name)
            status = path.lstat()
            if not stat.S_ISREG(status.st_mode):
                continue
            relative = path.relative_to(out).as_posix()
            award = urls.award_of_page(str(PurePosixPath(relative).parent) + "/")
            kind = classify(relative, own=award is not None)
            size.kinds[kind].add(status.st_size)
            if award is not None:
                size.own[kind].add(status.st_size)
                awards.add(award)
    size.awards_with_outputs = len(awards)
    return size


def classify(path: str, own: bool) -> str:
    """The kind of an output path; `own` when it lies in an award's own folder."""
    if path.startswith(SEARCH_FOLDER):
        return SEARCH
    suffix = PurePosixPath(path).suffix.lower()
    if suffix == ".html":
        return HTML
    if own and suffix in (".png", ".svg"):
        return BAKED
    if own and suffix == ".json":
        return AWARD_JSON
    if suffix in IMAGE_SUFFIXES:
        return OTHER_IMAGES
    return OTHER

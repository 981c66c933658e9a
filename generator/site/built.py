"""What a build made: its report, the checked site, and what the next build of the same source
into the same folder may reuse (serve's updates, update.py)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from generator.cache import Store
from generator.site.load.changes import Snapshot
from generator.site.load.repository import SOURCE_FOLDERS
from generator.site.model.awards import Award
from generator.site.model.endorsements import Endorsement
from generator.site.model.network import Network
from generator.site.model.problems import Problem, Problems

if TYPE_CHECKING:  # what the build made: the stages' types, imported by the build that needs them
    from generator.site.draw.badge_images import BadgeImage
    from generator.site.draw.share_images import ShareImage, ShareKey
    from generator.site.render.sharing import QrCodes
    from generator.site.render.theme import Theme

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


@dataclass(frozen=True)
class CheckedSite:
    """A network whose content and credentials checked out, with the awards to publish."""

    network: Network
    awards: Mapping[AwardKey, Award]
    problems: Problems
    now: datetime
    theme: Theme
    endorsements: Mapping[str, Endorsement] = field(default_factory=dict)
    """The endorsements that checked out, by id."""


@dataclass(frozen=True)
class BuildState:
    """What a whole build leaves for the next build of its source into its folder (serve's
    updates, see update.py)."""

    checked: CheckedSite
    images: Mapping[str, BadgeImage]
    qr_codes: QrCodes
    store: Store
    """The cache store the theme and the QR codes keep what they make in (saved by each build)."""
    cleared_addresses: frozenset[str] = frozenset()
    """Addresses on the site that belong to no recipient (see check/privacy.py)."""
    shares: Mapping[ShareKey, ShareImage] = field(default_factory=dict)
    """The share images (og:image) of the badges and of the site."""


@dataclass(frozen=True)
class Built:
    """A build that succeeded: what it did, and what the next build into its folder reuses."""

    report: BuildReport
    out_dir: Path
    sources: Snapshot
    """The watched files of the source when this build started."""
    state: BuildState | None
    """None when nothing was rendered (nothing had changed since the last build)."""


def guard_sources(source: Path, checked: CheckedSite) -> tuple[Path, list[Path]]:
    """Where the privacy guard looks for the file holding what it refuses: the folders the
    site is made from, the theme's among them (the one shipped with the generator when the
    repository has none)."""
    folders = [source / folder for folder in SOURCE_FOLDERS]
    if checked.theme.folder not in folders:
        folders.append(checked.theme.folder)
    return source, folders


def draw_shares(
    checked: CheckedSite, images: Mapping[str, BadgeImage], store: Store
) -> Mapping[ShareKey, ShareImage]:
    """The share images of a checked site: every badge's and the site's, and the card of each
    badge of which an award is revoked or expired, stamped with the theme's word."""
    from generator.site.draw.share_images import STAMPS, draw_share_images, stated_badges

    network = checked.network
    stated = stated_badges(checked.awards.values(), network.earlier.values(), checked.now)
    # A revoked award's page showed its badge's stamped card; once its credential is deleted
    # (only the revocation record is left, which does not name the badge), the card's address
    # must still answer: every badge its structure awards keeps a revoked card.
    stated |= {
        (badge.slug, "revoked")
        for issuer, _ in network.revoked_and_deleted
        if issuer in network.issuers
        for badge in network.awarded_by(network.issuers[issuer])
    }
    stamps = {
        (state, language): checked.theme.translated(language, word)
        for state, (word, _) in STAMPS.items()
        for language in network.site.languages
    }
    return draw_share_images(network, images, store, stated, stamps)


def next_status_change(awards: Iterable[Award | Endorsement], now: datetime) -> datetime | None:
    """The first moment after now at which an award or an endorsement expires (and so
    changes its pages)."""
    return min(
        (
            award.valid_until
            for award in awards
            if award.revocation is None and award.valid_until and award.valid_until > now
        ),
        default=None,
    )


def status_changes_at(state: BuildState) -> datetime:
    """When the first award of a build expires (its pages then change), or the end of time."""
    checked = state.checked
    until = next_status_change(
        [*checked.awards.values(), *checked.endorsements.values()], checked.now
    )
    return until if until is not None else datetime.max.replace(tzinfo=UTC)

"""The records of an import as files of the content repository, for review in a pull request:
badges (with criteria in Markdown and the image), structures unknown to the network, and one
record per earlier award. Planned whole first; written only when every source was valid.

Importing twice writes nothing new: a badge whose original URL (or name) a badge of the
network already has maps to it, a structure with the same web address or name too, and an
earlier award's file is named by its original URL, so the same award is the same file.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote_to_bytes

from generator.importing.html_markdown import html_to_text, looks_like_html
from generator.importing.records import Imported, ImportedAward, ImportedBadge, ImportedIssuer
from generator.importing.texts import (
    criteria_markdown,
    free_slug,
    iso,
    record_slug,
    site_of,
    slugify,
    yaml_file,
)
from generator.site.check.images import BADGE_IMAGE, LOGO, ImageProblem, ImageRules, inspect_image
from generator.site.load.assertions import EARLIER
from generator.site.load.repository import ASSERTIONS, BADGES, CONTENT
from generator.site.model.imported import EarlierAward
from generator.site.model.network import Network
from generator.site.model.problems import Location, Problems, one_of

_DATA_URI = re.compile(r"^data:image/(png|svg\+xml)(;[^,]*)?,(.*)$", re.DOTALL | re.IGNORECASE)


@dataclass(frozen=True)
class PlannedFile:
    """A file the import writes: its path in the repository, bytes, and what it is."""

    path: str
    data: bytes
    what: str


@dataclass
class Plan:
    """What an import writes, and what it says about what it does not."""

    files: list[PlannedFile] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class Planner:
    """Decides, from the network as it is, what each imported record becomes."""

    def __init__(
        self, network: Network, imported: Imported, issuer: str | None, problems: Problems
    ) -> None:
        self.network = network
        self.imported = imported
        self.forced_issuer = issuer
        self.problems = problems
        self.plan = Plan()
        self.issuer_slugs: dict[str, str] = {}
        self.badge_slugs: dict[str, str] = {}
        self.badge_issuer: dict[str, str] = {}
        self._issuers_taken = set(network.issuers)
        self._badges_taken = set(network.badges)

    def run(self) -> Plan:
        if self.forced_issuer is not None and self.forced_issuer not in self.network.issuers:
            self.problems.error(
                Location("--issuer"),
                f"unknown structure '{self.forced_issuer}'; {one_of(self.network.issuers)}",
            )
            return self.plan
        for issuer in self.imported.issuers.values():
            self.issuer_slugs[issuer.id] = self._issuer(issuer)
        for badge in self.imported.badges.values():
            self._badge(badge)
        for award in self.imported.awards.values():
            self._award(award)
        return self.plan

    # Structures

    def _issuer(self, issuer: ImportedIssuer) -> str:
        if self.forced_issuer is not None:
            return self.forced_issuer
        for slug, known in sorted(self.network.issuers.items()):
            same_site = issuer.url is not None and site_of(known.url) == site_of(issuer.url)
            if same_site or known.name.casefold() == issuer.name.casefold():
                self.plan.notes.append(
                    f"{issuer.id}: the structure '{slug}' (same name or web address)"
                )
                return slug
        slug = free_slug(slugify(issuer.name), self._issuers_taken)
        if issuer.url is None or issuer.email is None:
            self.problems.error(
                issuer.source,
                f"the issuer '{issuer.name}' has no web address or email, which a structure of the "
                "network needs; give --issuer SLUG to import its badges for a known structure",
            )
            return slug
        fields: dict[str, Any] = {
            "name": issuer.name,
            "url": issuer.url,
            "email": issuer.email,
            "description": html_to_text(issuer.description)
            if issuer.description
            else f"{issuer.name}.",
        }
        logo = self._image(issuer.image, None, f"{CONTENT}/issuers/{slug}", LOGO, issuer.source)
        if logo:
            fields["logo"] = logo.rsplit("/", 1)[-1]
        header = (
            f"Imported from {issuer.id}: a structure the network does not know yet.\n"
            "COORDINATORS: review it (address, coordinates, opening hours, the network badges it\n"
            "awards) and welcome it before merging; it signs nothing until it runs keygen."
        )
        self._add(
            f"{CONTENT}/issuers/{slug}.yaml",
            yaml_file(header, fields),
            f"NEW STRUCTURE '{issuer.name}', for the coordinators to review",
        )
        return slug

    def _issuer_of(self, issuer_id: str | None, source: Location, what: str) -> str | None:
        if self.forced_issuer is not None:
            return self.forced_issuer
        if issuer_id in self.issuer_slugs:
            return self.issuer_slugs[issuer_id]
        self.problems.error(
            source,
            f"the issuer of {what} ({issuer_id}) is not among the sources; add its Issuer JSON, "
            "or give --issuer SLUG",
        )
        return None

    # Badges

    def _existing_badge(self, badge: ImportedBadge) -> str | None:
        for slug, known in sorted(self.network.badges.items()):
            if known.original is not None and known.original.url == badge.id:
                return slug
        for slug, known in sorted(self.network.badges.items()):
            if any(text.casefold() == badge.name.casefold() for _, text in known.name.values):
                return slug
        return None

    def _badge(self, badge: ImportedBadge) -> None:
        issuer = self._issuer_of(badge.issuer, badge.source, f"badge class {badge.id}")
        existing = self._existing_badge(badge)
        if existing is not None:
            self.badge_slugs[badge.id] = existing
            self.plan.notes.append(
                f"{badge.id}: matches the network's badge '{existing}'; mapped to it, no new badge"
            )
            return
        slug = free_slug(slugify(badge.name), self._badges_taken)
        self.badge_slugs[badge.id] = slug
        if issuer is None:
            return
        fields: dict[str, Any] = {
            "name": badge.name,
            "description": html_to_text(badge.description)
            if looks_like_html(badge.description)
            else badge.description,
        }
        # A badge outside the taxonomy needs tags: the platform's name stands in for none.
        fields["tags"] = sorted(set(badge.tags)) or [slugify(badge.platform)]
        fields["scope"] = issuer
        fields["status"] = "proposed"
        if badge.valid_for:
            fields["valid_for"] = dict(badge.valid_for)
        if badge.alignment:
            fields["alignment"] = [
                {key: value for key, value in vars(item).items() if value is not None}
                for item in badge.alignment
            ]
        fields.update(badge.achievement)
        fields["original"] = {"url": badge.id, "platform": badge.platform}
        header = (
            f"Imported from {badge.platform}: a proposal, until the network's meeting approves it\n"
            "(or a coordinator maps it to an existing badge)."
        )
        image = self._image(
            badge.image, badge.image_file, f"{BADGES}/{slug}", BADGE_IMAGE, badge.source
        )
        if image is None and badge.image and not badge.image.startswith("data:"):
            header += f"\nImage not fetched: {badge.image}"
        self._add(
            f"{BADGES}/{slug}.yaml",
            yaml_file(header, fields),
            f"new badge '{badge.name}' (proposed)",
        )
        self._add(f"{BADGES}/{slug}.md", criteria_markdown(badge).encode(), "its criteria")

    def _image(
        self,
        value: str | None,
        given: tuple[str, bytes] | None,
        stem: str,
        rules: ImageRules,
        source: Location,
    ) -> str | None:
        """The image of a data: URI or a given file, checked as the build checks it."""
        if given is not None:
            extension, data = given[0].rsplit(".", 1)[-1].lower(), given[1]
        elif value and (match := _DATA_URI.match(value)):
            extension = "svg" if match[1].lower() == "svg+xml" else "png"
            try:
                data = (
                    base64.b64decode(match[3], validate=True)
                    if "base64" in (match[2] or "")
                    else unquote_to_bytes(match[3])
                )
            except (binascii.Error, ValueError):
                self.problems.error(source, "the image's data: URI is not valid base64")
                return None
        else:
            if value:
                self.plan.notes.append(
                    f"{stem}: image not fetched ({value}); save it as {stem}.png or .svg"
                )
            return None
        path = f"{stem}.{extension}"
        try:
            inspect_image(path, data, rules)
        except ImageProblem as problem:
            self.plan.notes.append(f"{path}: image not imported: {problem}")
            return None
        self._add(path, data, f"its {rules.kind}")
        return path

    # Earlier awards

    def _award(self, award: ImportedAward) -> None:
        known = next((e for e in self.network.earlier.values() if e.original == award.id), None)
        target = self._award_target(award, known)
        if target is None:
            return
        badge, issuer, issued_on, slug = target
        fields: dict[str, Any] = {
            "original": award.id,
            "platform": award.platform,
            "badge": badge,
            "issued_on": issued_on,
        }
        for name, value in (
            (
                "expires",
                award.expires or (iso(known.expires) if known and known.expires else None),
            ),
            ("revoked", True if award.revoked else None),
            ("revocation_reason", award.revocation_reason),
            (
                "evidence",
                [
                    {k: v for k, v in (("url", e.url), ("narrative", e.narrative)) if v}
                    for e in award.evidence
                ]
                or None,
            ),
            ("narrative", award.narrative),
        ):
            if value is not None:
                fields[name] = value
        recipient = award.recipient or (known.recipient if known else None)
        if recipient is not None:
            fields["recipient"] = {
                "type": recipient.type,
                "identity": recipient.identity,
                "salt": recipient.salt,
            }
        header = (
            f"Earlier award, imported from {award.platform}. Its original URL is the one that\n"
            "verifies it: this site did not sign it. Only what the original published is kept."
        )
        state = " (revoked)" if award.revoked else ""
        self._add(
            f"{ASSERTIONS}/{issuer}/{EARLIER}/{slug}.yaml",
            yaml_file(header, fields),
            f"earlier award of '{badge}'{state}",
        )

    def _award_target(
        self, award: ImportedAward, known: EarlierAward | None
    ) -> tuple[str, str, str, str] | None:
        """(badge slug, structure slug, issuedOn, record slug) of an award, or None."""
        if award.badge is None:  # a revoked assertion no longer says: only an update
            if known is None:
                self.plan.notes.append(
                    f"{award.id}: revoked, and it no longer names its badge: nothing to import"
                )
                return None
            return known.badge, known.issuer, iso(known.issued_on), known.slug
        badge = self.badge_slugs.get(award.badge) or self._known_badge(award.badge)
        if badge is None:
            self.problems.error(
                award.source,
                f"the badge class of {award.id} ({award.badge}) is not among the sources "
                "nor in badges/; add its BadgeClass JSON",
            )
            return None
        owner = next((b.issuer for b in self.imported.badges.values() if b.id == award.badge), None)
        issuer = self._issuer_of(owner, award.source, f"assertion {award.id}")
        if issuer is None or award.issued_on is None:
            return None
        slug = known.slug if known else record_slug(award, award.issued_on)
        return badge, issuer, award.issued_on, slug

    def _known_badge(self, url: str) -> str | None:
        for slug, known in sorted(self.network.badges.items()):
            if known.original is not None and known.original.url == url:
                return slug
        return None

    def _add(self, path: str, data: bytes, what: str) -> None:
        if any(planned.path == path for planned in self.plan.files):
            return
        self.plan.files.append(PlannedFile(path, data, what))


def plan_import(
    network: Network, imported: Imported, issuer: str | None, problems: Problems
) -> Plan:
    """What importing these records into this network writes."""
    return Planner(network, imported, issuer, problems).run()


def changes(root: Path, plan: Plan) -> list[tuple[PlannedFile, str]]:
    """Each planned file with 'new', 'updated' or 'unchanged' (the same bytes are there)."""
    found = []
    for planned in plan.files:
        path = root / planned.path
        state = "new"
        if path.is_file():
            state = "unchanged" if path.read_bytes() == planned.data else "updated"
        found.append((planned, state))
    return found


def write_plan(root: Path, plan: Plan) -> list[tuple[PlannedFile, str]]:
    """Write the new and changed files (each whole, through a temporary file)."""
    done = changes(root, plan)
    for planned, state in done:
        if state == "unchanged":
            continue
        path = root / planned.path
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.importing")
        temporary.write_bytes(planned.data)
        os.replace(temporary, path)
    return done

"""Open Badges 2.0 objects as platforms host them (Badgr's public API among them): Issuer
profiles, BadgeClasses and hosted Assertions, alone, expanded inside one another
(`badge` inside an assertion, `issuer` inside a badge class), or in a list.

Plain JSON in, records out; every problem is reported at the source, nothing is fetched.
https://www.imsglobal.org/sites/default/files/Badges/OBv2p0Final/index.html
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from generator.importing.messages import kind_of_value, said
from generator.importing.ob3 import (
    achievement_fields,
    as_badge_class,
    badge_framework,
    is_achievement,
)
from generator.importing.records import (
    Imported,
    ImportedAlignment,
    ImportedAward,
    ImportedBadge,
    ImportedIssuer,
    platform_of,
)
from generator.site.model.imported import EarlierEvidence, EarlierRecipient
from generator.site.model.problems import Location, Problems
from generator.site.model.urls import is_web_link

IDENTITY_HASH = re.compile(r"^(sha256|md5)\$[0-9a-fA-F]+$")
EXPIRY_UNITS = {
    "days": ("days", 1),
    "weeks": ("days", 7),
    "months": ("months", 1),
    "years": ("years", 1),
}


def kind_of(document: dict[str, Any]) -> str | None:
    """'issuer', 'badge' or 'award' for an OB 2.0 object, by its type; None if none of them."""
    types = document.get("type")
    names = set(types if isinstance(types, list) else [types])
    if names & {"Issuer", "Profile"}:
        return "issuer"
    if names & {"BadgeClass", "Achievement"}:  # an OB 3.0 Achievement is read as one
        return "badge"
    if "Assertion" in names:
        return "award"
    return None


class Reader:
    """Reads OB 2.0 objects of one source into an Imported, reporting at the source."""

    def __init__(
        self, into: Imported, location: Location, problems: Problems, folder: Path | None = None
    ) -> None:
        self.into = into
        self.location = location
        self.problems = problems
        self.folder = folder
        self.recipient_required = True
        """False for sources that give no recipient's hash (a CSV, OBF's assertions)."""

    def error(self, message: str) -> None:
        self.problems.error(self.location, message)

    def read(self, value: Any) -> None:
        """One object or a list of them."""
        items = value if isinstance(value, list) else [value]
        for item in items:
            if not isinstance(item, dict):
                self.error("expected an Open Badges 2.0 object (a JSON object with a 'type')")
                continue
            kind = kind_of(item)
            readers: dict[str | None, Callable[[dict[str, Any]], str | None]] = {
                "issuer": self.issuer,
                "badge": self.badge,
                "award": self.award,
            }
            if kind is None and item.get("type") is None:
                self.error(
                    "this JSON object has no 'type', and is none of the documents the platforms "
                    "give (an Open Badges 2.0 Issuer, BadgeClass or Assertion, a Badgr entity, "
                    "an Open Badge Factory badge, event or assertion); give one of them, as "
                    "the platform answers it"
                )
            elif kind is None:
                self.error(
                    f"type {said(item.get('type'))} is not an Open Badges 2.0 Issuer, "
                    "BadgeClass or Assertion; give the JSON of one of them, as the platform "
                    "hosts it"
                )
            else:
                readers[kind](item)

    def _id(self, item: dict[str, Any], what: str) -> str | None:
        identifier = item.get("id")
        if not is_web_link(identifier):
            wrong = (
                f"the {what} has no 'id'"
                if identifier is None
                else f"the {what}'s id {said(identifier)} is not an http(s) URL"
            )
            self.error(
                f"{wrong}: only hosted Open Badges 2.0 objects can be imported (their URL is "
                "what keeps verifying)"
            )
            return None
        return str(identifier)

    def text(self, item: dict[str, Any], name: str, what: str, required: bool = True) -> str | None:
        value = item.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.error(f"the {what} has no '{name}'; an Open Badges 2.0 {what} must have one")
            return None
        if not isinstance(value, str):
            self.error(f"the {what}'s '{name}' is {kind_of_value(value)}, not a text")
            return None
        return value.strip()

    def issuer(self, item: dict[str, Any]) -> str | None:
        """An Issuer profile; its id."""
        identifier = self._id(item, "issuer")
        name = self.text(item, "name", "issuer")
        if identifier is None or name is None:
            return None
        url, email = item.get("url"), item.get("email")
        self.into.issuers[identifier] = ImportedIssuer(
            id=identifier,
            name=name,
            url=url if is_web_link(url) else None,
            email=email if isinstance(email, str) and "@" in email else None,
            description=self.text(item, "description", "issuer", required=False),
            image=_image_value(item.get("image")),
            source=self.location,
        )
        return identifier

    def badge(self, item: dict[str, Any]) -> str | None:
        """A BadgeClass or an OB 3.0 Achievement (and its issuer, when expanded inside it);
        its id."""
        item = as_badge_class(item) if is_achievement(item) else item
        identifier = self._id(item, "badge class")
        name = self.text(item, "name", "badge class")
        description = self.text(item, "description", "badge class")
        issuer = item.get("issuer")
        if isinstance(issuer, dict):
            issuer = self.issuer(issuer)
        elif issuer is not None and not is_web_link(issuer):
            self.error(f"the badge class's issuer {said(issuer)} is not an http(s) URL")
            issuer = None
        if identifier is None or name is None or description is None:
            return None
        criteria = item.get("criteria")
        narrative, criteria_url = None, None
        if isinstance(criteria, dict):
            narrative = (
                criteria.get("narrative") if isinstance(criteria.get("narrative"), str) else None
            )
            criteria_url = criteria.get("id") if is_web_link(criteria.get("id")) else None
        elif is_web_link(criteria):
            criteria_url = criteria
        if narrative is None and criteria_url is None:
            self.error("the badge class has no criteria (a narrative or a URL); add them")
        self.into.badges[identifier] = ImportedBadge(
            id=identifier,
            name=name,
            description=description,
            criteria=narrative,
            criteria_url=criteria_url,
            image=_image_value(item.get("image")),
            image_file=self.image_file(item.get("image")),
            issuer=issuer,
            tags=tuple(
                t.strip() for t in item.get("tags") or [] if isinstance(t, str) and t.strip()
            ),
            alignment=self.alignments(item.get("alignment")),
            valid_for=self.expiry(item.get("expires")),
            platform=platform_of(identifier),
            source=self.location,
            achievement=achievement_fields(item, self.error),
        )
        return identifier

    def image_file(self, value: Any) -> tuple[str, bytes] | None:
        """An image named by a relative path, beside the source file."""
        if not isinstance(value, str) or ":" in value or self.folder is None:
            return None
        path = (self.folder / value).resolve()
        if not path.is_relative_to(self.folder.resolve()) or not path.is_file():
            self.error(f"image '{value}' is not a file beside the source; put it there")
            return None
        return path.name, path.read_bytes()

    def alignments(self, value: Any) -> tuple[ImportedAlignment, ...]:
        found = []
        for entry in value if isinstance(value, list) else []:
            if not isinstance(entry, dict):
                continue
            name, url = entry.get("targetName"), entry.get("targetUrl")
            if not isinstance(name, str) or not is_web_link(url):
                which = f"alignment {said(name)}" if isinstance(name, str) else "an alignment"
                self.error(f"{which} needs a targetName and an http(s) targetUrl")
                continue
            framework, code = badge_framework(
                _optional_text(entry.get("targetFramework")),
                _optional_text(entry.get("targetCode")),
                str(url),
            )
            found.append(
                ImportedAlignment(
                    name=name,
                    url=str(url),
                    description=_optional_text(entry.get("targetDescription")),
                    framework=framework,
                    code=code,
                    type=_optional_text(entry.get("targetType")),
                )
            )
        return tuple(found)

    def expiry(self, value: Any) -> tuple[tuple[str, int], ...]:
        """Badgr's {amount, duration} expiry rule of a badge class."""
        if not isinstance(value, dict):
            return ()
        amount, unit = value.get("amount"), value.get("duration")
        if not isinstance(amount, int) or amount <= 0 or unit not in EXPIRY_UNITS:
            self.error(
                f"expiry rule {said(value)} is not an amount of days, weeks, months or years"
            )
            return ()
        name, factor = EXPIRY_UNITS[unit]
        return ((name, amount * factor),)

    def award(self, item: dict[str, Any]) -> str | None:
        """A hosted Assertion (and its badge class, when expanded inside it); its id."""
        identifier = self._id(item, "assertion")
        if identifier is None:
            return None
        revoked = item.get("revoked") is True
        badge = item.get("badge")
        if isinstance(badge, dict):
            badge = self.badge(badge)
        elif badge is not None and not is_web_link(badge):
            self.error(f"the assertion's badge {said(badge)} is not an http(s) URL")
            badge = None
        elif badge is None and not revoked:
            self.error("the assertion names no badge; give the assertion as its platform hosts it")
        reason = item.get("revocationReason")
        award = ImportedAward(
            id=identifier,
            badge=badge,
            issued_on=self.moment(item.get("issuedOn"), "issuedOn", required=badge is not None),
            expires=self.moment(item.get("expires"), "expires", required=False),
            revoked=revoked,
            revocation_reason=reason.strip()
            if isinstance(reason, str) and reason.strip()
            else None,
            evidence=self.evidence(item.get("evidence")),
            narrative=_optional_text(item.get("narrative")),
            recipient=self.recipient(
                item.get("recipient"), identifier, self.recipient_required and badge is not None
            ),
            platform=platform_of(identifier),
            source=self.location,
        )
        self.into.awards[identifier] = _merged(self.into.awards.get(identifier), award)
        return identifier

    def moment(self, value: Any, name: str, required: bool) -> str | None:
        """A date-time as the records keep it: UTC, to the second, 'Z'."""
        if value is None:
            if required:
                self.error(f"the assertion has no '{name}'; an Open Badges 2.0 assertion has one")
            return None
        moment = parse_moment(value)
        if moment is None:
            self.error(f"'{name}' {said(value)} is not a date and time (ISO 8601, or a Unix time)")
            return None
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")

    def evidence(self, value: Any) -> tuple[EarlierEvidence, ...]:
        items = value if isinstance(value, list) else [] if value is None else [value]
        found = []
        for entry in items:
            url, narrative = (
                (entry, None)
                if isinstance(entry, str)
                else (
                    (entry.get("id"), _optional_text(entry.get("narrative")))
                    if isinstance(entry, dict)
                    else (None, None)
                )
            )
            if url is not None and not is_web_link(url):
                self.error(f"evidence {said(url)} is not an http(s) URL; it cannot be linked to")
                url = None
            if url or narrative:
                found.append(EarlierEvidence(url, narrative))
        return tuple(found)

    def recipient(self, value: Any, award: str, required: bool) -> EarlierRecipient | None:
        """The recipient's salted hash; one given in clear is hashed here, never kept."""
        if not isinstance(value, dict):
            if required:
                self.error("the assertion has no 'recipient'; give it as the platform hosts it")
            return None
        kind, identity = value.get("type", "email"), value.get("identity")
        if not isinstance(identity, str) or not isinstance(kind, str):
            self.error(
                "the recipient has no 'identity'; give the assertion as the platform hosts it"
            )
            return None
        if value.get("hashed") is not True:
            # Published in clear by the original: kept only as a salted hash (fixed by the
            # award's URL, so that importing again writes the same record).
            salt = hashlib.sha256(f"fababrest-import:{award}".encode()).hexdigest()[:32]
            digest = hashlib.sha256((identity.strip().lower() + salt).encode()).hexdigest()
            self.problems.warning(
                self.location,
                f"the recipient of {award} is published in clear by the original; the record "
                "keeps only a salted hash of it",
            )
            return EarlierRecipient(kind, f"sha256${digest}", salt)
        salt = value.get("salt", "")
        if not IDENTITY_HASH.match(identity) or not isinstance(salt, str):
            self.error(f"recipient identity {said(identity)} is not a 'sha256$…' or 'md5$…' hash")
            return None
        algorithm, digest = identity.split("$", 1)
        return EarlierRecipient(kind, f"{algorithm}${digest.lower()}", salt)


def parse_moment(value: Any) -> datetime | None:
    """A UTC datetime from ISO 8601 text (a date alone is midnight UTC) or a Unix time."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        try:
            return datetime.fromtimestamp(value, UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str):
        return None
    text = value.strip()
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            return datetime(day.year, day.month, day.day, tzinfo=UTC)
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(microsecond=0)


def _merged(earlier: ImportedAward | None, later: ImportedAward) -> ImportedAward:
    """One award read twice (its full assertion, and what it answers once revoked; or its
    JSON and a CSV row): what either says, revoked if either is."""
    if earlier is None:
        return later
    full, other = (earlier, later) if later.badge is None else (later, earlier)
    return replace(
        full,
        revoked=full.revoked or other.revoked,
        revocation_reason=full.revocation_reason or other.revocation_reason,
        recipient=full.recipient or other.recipient,
    )


def _image_value(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, str) and value else None


def _optional_text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None

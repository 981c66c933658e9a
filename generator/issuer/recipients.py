"""Who to issue to: one Recipient per row of a CSV file or per --recipient, each value
checked and any problem reported at its row."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from generator.issuer.consent import PersonError, parse_scopes, person_path
from generator.issuer.tools import ToolError
from generator.openbadges.credential import EMAIL, Evidence, normalise_email
from generator.site.problems import Location, Problems, suggest
from generator.site.urls import is_web_link


@dataclass(frozen=True)
class Recipient:
    """One row to issue: an email and what goes with it."""

    email: str
    evidence: Evidence
    issued_on: date | None
    expires: date | None
    where: Location
    person: str | None = None
    name: str | None = None
    consent: frozenset[str] = frozenset()


def recipients_from_csv(path: Path, problems: Problems) -> list[Recipient]:
    """The rows of a CSV file (header: email, evidence, narrative, issued_on, expires)."""
    allowed = {
        "email",
        "evidence",
        "narrative",
        "issued_on",
        "expires",
        "person",
        "name",
        "consent",
    }
    try:
        text = path.read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise ToolError(f"{path}: cannot read the CSV file ({error}); save it as UTF-8") from None
    # newline="" keeps line breaks inside quoted cells (a narrative may have several lines).
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = reader.fieldnames or []
    if "email" not in header:
        raise ToolError(
            f"{path}:1: the header has no 'email' column; columns: {', '.join(sorted(allowed))}"
        )
    for column in header:
        if column not in allowed:
            problems.error(
                Location(str(path), 1), f"unknown column '{column}'{suggest(column, allowed)}"
            )
    rows = []
    lines = text.splitlines()
    end_of_previous = reader.line_num
    for row in reader:
        # A row starts on the first non-blank line after the previous row (csv skips blanks).
        start = end_of_previous + 1
        while start <= len(lines) and not lines[start - 1].strip():
            start += 1
        end_of_previous = reader.line_num
        where = Location(str(path), start)
        item = recipient(
            row.get("email") or "",
            row.get("evidence") or None,
            row.get("narrative") or None,
            row.get("issued_on") or None,
            row.get("expires") or None,
            where,
            problems,
        )
        rows.append(
            with_person(item, row.get("person"), row.get("name"), row.get("consent"), problems)
        )
    return rows


def recipient(
    email: str,
    evidence: str | None,
    narrative: str | None,
    issued_on: str | None,
    expires: str | None,
    where: Location,
    problems: Problems,
) -> Recipient:
    """A recipient, with each malformed value reported at its row."""
    if not EMAIL.match(normalise_email(email)):
        problems.error(where, f"'{email}' is not an email address; check the recipient")
    address = normalise_email(email)
    if address and any(address in (text or "").lower() for text in (evidence, narrative)):
        problems.error(
            where, "the evidence or narrative contains the recipient's email; remove it (privacy)"
        )
    if evidence and not is_web_link(evidence):
        problems.error(where, f"evidence '{evidence}' is not a URL; give an https:// address")
    return Recipient(
        email=normalise_email(email),
        evidence=Evidence(evidence, narrative),
        issued_on=_date(issued_on, "issued-on", where, problems),
        expires=_date(expires, "expires", where, problems),
        where=where,
    )


def with_person(
    item: Recipient, person: str | None, name: str | None, consent: str | None, problems: Problems
) -> Recipient:
    """The recipient linked to a person (pseudonymous slug), with the consent they gave."""
    if not person:
        if name or consent:
            problems.error(
                item.where, "a name or consent needs a person slug (--person / 'person')"
            )
        return item
    try:
        person_path(Path("."), person)
        scopes = parse_scopes(consent)
    except PersonError as error:
        problems.error(item.where, str(error))
        return item
    if name and "@" in name:
        problems.error(item.where, "a display name must not be an email address")
    return replace(item, person=person, name=name or None, consent=scopes)


def _date(text: str | None, what: str, where: Location, problems: Problems) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        problems.error(where, f"{what} '{text}' is not a date; write it as YYYY-MM-DD")
        return None

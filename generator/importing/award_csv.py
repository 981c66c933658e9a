"""A list of awards as a CSV file (`.csv`): Badgr's "Export CSV" of badge awards, or any
spreadsheet of a platform's awards with one row per award and a header row.

An earlier award's record needs the award's original hosted URL (its page links it: that
URL is the one that verifies). A row without one cannot become a record, whatever else it
holds: Badgr's bulk-award CSV (Email, Name, Narrative, Evidence URL, Issue Date) is a list
of what was sent to Badgr, not of what Badgr published, and is refused as such.

A recipient's address in the CSV is never read into a record, never written, never shown in
a message; nor is it hashed here: a hash made here with a salt of ours would be published
in the repository beside the award's public URL, and an address is easily guessed back from
it. Only a hash the original published (`sha256$…` with its salt) is kept, for re-issuing.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from generator.importing.ob2 import IDENTITY_HASH, Reader
from generator.importing.records import Imported
from generator.site.model.problems import Location, Problems
from generator.site.model.urls import is_web_link

COLUMNS = {
    "original": ("assertionurl", "assertion", "openbadgeid", "assertionopenbadgeid", "url"),
    "badge": ("badgeclassopenbadgeid", "badgeclassurl", "badgeurl", "badgeclass", "badge"),
    "issued_on": ("issuedon", "issuedate", "dateissued", "awardedon", "awarded", "issued"),
    "expires": ("expires", "expiresat", "expiration", "expirationdate"),
    "revoked": ("revoked",),
    "revocation_reason": ("revocationreason",),
    "evidence": ("evidenceurl", "evidence"),
    "narrative": ("narrative",),
    "identity": ("recipientidentity", "identity", "identityhash"),
    "salt": ("recipientsalt", "salt"),
    "email": ("email", "recipientemail", "emailaddress", "recipientidentifier", "recipient"),
}
TRUE = {"true", "yes", "oui", "1", "revoked"}


def _key(header: str) -> str:
    return re.sub(r"[^a-z]", "", header.lower())


def read_award_csv(text: str, location: Location, into: Imported, problems: Problems) -> None:
    """Read the rows of an award CSV that name their original award; say which do not."""
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        problems.error(location, "the CSV file is empty; export the awards again")
        return
    header = {_key(name): index for index, name in enumerate(rows[0])}
    column = {
        field: next((header[name] for name in names if name in header), None)
        for field, names in COLUMNS.items()
    }
    no_url, no_hash, imported = [], 0, 0
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        cell = _cells(row, column)
        if not is_web_link(cell["original"]):
            no_url.append(number)
            continue
        reader = Reader(into, location.at(number), problems)
        reader.recipient_required = False
        recipient = None
        if cell["identity"] and IDENTITY_HASH.match(cell["identity"]):
            recipient = {"type": "email", "hashed": True, "identity": cell["identity"]}
            recipient["salt"] = cell["salt"] or ""
        elif cell["email"] or cell["identity"]:
            no_hash += 1
        reader.award(
            {
                "type": "Assertion",
                "id": cell["original"],
                "badge": cell["badge"],
                "issuedOn": cell["issued_on"],
                "expires": cell["expires"],
                "revoked": (cell["revoked"] or "").lower() in TRUE,
                "revocationReason": cell["revocation_reason"],
                "evidence": [cell["evidence"]] if cell["evidence"] else None,
                "narrative": cell["narrative"],
                "recipient": recipient,
            }
        )
        imported += 1
    _report(location, problems, no_url, no_hash, imported)


def _cells(row: list[str], column: dict[str, int | None]) -> dict[str, Any]:
    """A row's cells by field (None when absent or empty)."""
    found: dict[str, Any] = {}
    for field, index in column.items():
        value = row[index].strip() if index is not None and index < len(row) else ""
        found[field] = value or None
    return found


def _report(
    location: Location, problems: Problems, no_url: list[int], no_hash: int, imported: int
) -> None:
    if no_url:
        lines = ", ".join(str(n) for n in no_url[:10]) + (", …" if len(no_url) > 10 else "")
        message = (
            f"{len(no_url)} row(s) not imported (line(s) {lines}): no award URL (a column "
            "'Assertion URL' or 'openBadgeId'), which an earlier award's page needs, since the "
            "original URL is the one that verifies; their addresses were written nowhere. "
            "Export the issuer as JSON with its assertions, and import that"
        )
        if imported:
            problems.warning(location, message)
        else:
            problems.error(location, f"nothing to import: {message}")
    if no_hash:
        problems.warning(
            location,
            f"{no_hash} award(s) recorded without their recipient: the CSV gives an address, "
            "not the hash the original published, and no address is ever written; to offer "
            "re-issuing (issue --from-earlier), import those assertions' JSON too",
        )

"""Who to issue to: one Recipient per row of a CSV file or per --recipient, each value
checked and any problem reported at its row."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from generator.issuer.consent import PersonError, parse_scopes, person_path
from generator.openbadges.credential import EMAIL, Evidence, normalise_email
from generator.site.model.problems import Location, Problems, one_of, suggest
from generator.site.model.urls import is_web_link


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
    row: tuple[tuple[str, str], ...] = ()
    """A CSV row's values as written, by column (for the list of links it gets back)."""


COLUMNS = ("email", "evidence", "narrative", "issued_on", "expires", "person", "name", "consent")
"""The columns a recipients CSV may have; 'email' is the one it must have."""

SEPARATORS = {",": "','", ";": "';'", "\t": "a tab"}
"""The separators spreadsheets write (';' where ',' is the decimal mark, as in French), and
how a message names each; the first wins a tie."""

QUOTING = "a value holding the separator, a quote or a line break is written between double quotes"
"""How a spreadsheet quotes a value, for the messages about rows it cannot read."""


@dataclass(frozen=True)
class RecipientsTable:
    """The recipients of a CSV file, and the separator its header was read with."""

    recipients: list[Recipient]
    separator: str | None
    """None when the file could not be read as text."""
    columns: tuple[str, ...] = ()
    """The header's columns, in its order."""

    def separator_name(self) -> str:
        """The separator as a message names it: ';', ',' or a tab."""
        return SEPARATORS.get(self.separator or "", "none")


def recipients_from_csv(path: Path, problems: Problems) -> RecipientsTable:
    """The rows of a CSV file (UTF-8, with or without a BOM; separated by ',', ';' or tabs,
    as its header shows), each problem reported at its line."""
    text = _read_text(path, problems)
    if text is None:
        return RecipientsTable([], None)
    separator = _separator(text)
    records = _records(text, separator, str(path), problems)
    first = next(records, None)
    if first is None:
        problems.error(
            Location(str(path), 1),
            "the file is empty; the first line names the columns: 'email', and any of "
            f"{', '.join(COLUMNS[1:])}",
        )
        return RecipientsTable([], separator)
    columns = _columns(*first, separator, problems)
    if columns is None:
        return RecipientsTable([], separator)
    width = len(first[1])
    rows = []
    for where, cells in records:
        values = _values(cells, columns, width, where, separator, problems)
        item = recipient(
            values.get("email") or "",
            values.get("evidence") or None,
            values.get("narrative") or None,
            values.get("issued_on") or None,
            values.get("expires") or None,
            where,
            problems,
        )
        item = replace(item, row=tuple(values.items()))
        rows.append(
            with_person(
                item, values.get("person"), values.get("name"), values.get("consent"), problems
            )
        )
    return RecipientsTable(rows, separator, tuple(dict.fromkeys(columns.values())))


def _read_text(path: Path, problems: Problems) -> str | None:
    """The file's text, or None with the reason reported (missing, a folder, not UTF-8)."""
    where = Location(str(path))
    if path.is_dir():
        problems.error(where, "is a folder, not a CSV file; give --csv the CSV file's path")
        return None
    try:
        data = path.read_bytes()
    except OSError as error:
        problems.error(where, f"cannot read the CSV file ({error.strerror or error}); check --csv")
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        before = data[: error.start].replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        problems.error(
            where.at(before.count(b"\n") + 1),
            f"the file is not UTF-8 text (byte 0x{data[error.start]:02x}: a spreadsheet's plain "
            '\'CSV\' is often Windows-1252); save it as "CSV UTF-8" (Excel: "CSV UTF-8 (délimité '
            'par des virgules)"; LibreOffice: character set "Unicode (UTF-8)")',
        )
        return None


def _separator(text: str) -> str:
    """The separator of the header: the one that splits it into the most known columns, then
    into the most columns; ',' for a header of one column."""

    def score(separator: str) -> tuple[int, int]:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
        try:
            header = next((cells for cells in reader if any(c.strip() for c in cells)), [])
        except csv.Error:
            header = []
        names = [cell.strip() for cell in header]
        return sum(name in COLUMNS for name in names), len(names)

    return max(SEPARATORS, key=score)


def _records(
    text: str, separator: str, path: str, problems: Problems
) -> Iterator[tuple[Location, list[str]]]:
    """Each row that has a value, at the line it starts on; blank rows (';;;' too) skipped, a
    row the csv module cannot read reported."""
    # newline="" keeps line breaks inside quoted cells (a narrative may have several lines);
    # strict refuses a quote left open, which would swallow every row after it.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=True)
    end = 0  # the last line of the previous row: a row starts on the next one
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            problems.error(Location(path, end + 1), _unreadable_row(error, separator))
            if reader.line_num == end:
                return
            end = reader.line_num
            continue
        where = Location(path, end + 1)
        end = reader.line_num
        if any(cell.strip() for cell in cells):
            yield where, cells


def _unreadable_row(error: csv.Error, separator: str) -> str:
    if str(error) == "unexpected end of data":
        return (
            "a double quote opened in this row is never closed (the file ends inside it); close it"
        )
    return (
        f"cannot read this row ({error}); {QUOTING} (the separator is {SEPARATORS[separator]}), "
        'and a double quote inside such a value is doubled ("")'
    )


def _columns(
    where: Location, header: list[str], separator: str, problems: Problems
) -> dict[int, str] | None:
    """The header's column names by position (a column without a name left out); None when
    it has no 'email' column (its rows would only repeat that problem)."""
    columns: dict[int, str] = {}
    for position, cell in enumerate(header):
        name = cell.strip()
        if not name:
            continue
        if name in columns.values():
            problems.error(where, f"column '{name}' appears twice; keep one")
        elif name not in COLUMNS:
            problems.error(
                where, f"unknown column '{name}'{suggest(name, COLUMNS)}; {one_of(COLUMNS)}"
            )
        columns[position] = name
    if "email" not in columns.values():
        found = ", ".join(f"'{name}'" for name in columns.values())
        problems.error(
            where,
            f"the header has no 'email' column; found {found} (with {SEPARATORS[separator]} as "
            f"separator); the first line names the columns: 'email', and any of "
            f"{', '.join(COLUMNS[1:])}",
        )
        return None
    return columns


def _values(
    cells: list[str],
    columns: dict[int, str],
    width: int,
    where: Location,
    separator: str,
    problems: Problems,
) -> dict[str, str]:
    """A row's values by column name; a value outside the named columns is reported."""
    stray = [at for at, cell in enumerate(cells) if cell.strip() and at not in columns]
    if stray and stray[-1] >= width:
        problems.error(
            where,
            f"this row has {stray[-1] + 1} values but the header has {width} columns; "
            f"{QUOTING} (the separator is {SEPARATORS[separator]})",
        )
    elif stray:
        problems.error(
            where,
            f"a value in column {stray[0] + 1}, which the header does not name; name the column "
            "or remove the value",
        )
    values: dict[str, str] = {}
    for position, name in columns.items():
        if position < len(cells):
            values.setdefault(name, cells[position])  # a repeated column: the first one counts
    return values


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

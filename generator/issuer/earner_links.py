"""What the earners are sent: the address of each award, as a CSV for a mail merge (the
issuer's CSV, each row with its award's page and credential). It lists email addresses, so
it follows the rule of the recipients' CSV (private_files.py): never where a commit could
take it."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Sequence
from pathlib import Path

from generator.issuer.issuing import IssuedAward
from generator.issuer.private_files import PrivateFile
from generator.issuer.recipients import RecipientsTable

LINK_COLUMNS = ("page_url", "credential_url")


def links_list(path: Path) -> PrivateFile:
    """The list of links `issue --csv` writes."""
    return PrivateFile(
        what="a list of recipients' email addresses and their awards' links",
        it="the list",
        instead=f"write it outside the repository, e.g. --links-csv ~/fababrest/{path.name}",
        ignored="*.csv",
    )


def default_links_path(recipients: Path) -> Path:
    """Where the links of a recipients' CSV go by default: beside it, `<name>-links.csv`."""
    return recipients.with_name(f"{recipients.stem}-links.csv")


def links_csv(table: RecipientsTable, awards: Sequence[IssuedAward]) -> str:
    """The recipients' CSV as it was read (its columns, its separator), each row followed by
    its award's page and credential addresses."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=table.separator or ",", lineterminator="\r\n")
    writer.writerow([*table.columns, *LINK_COLUMNS])
    for award in awards:
        values = dict(award.recipient.row)
        writer.writerow(
            [*(values.get(column, "") for column in table.columns), award.page, award.credential]
        )
    return out.getvalue()


def write_links(path: Path, text: str) -> None:
    """Write the list whole (UTF-8 with a BOM, which spreadsheets read as UTF-8), replacing
    an earlier list of the same name, readable by its owner only."""
    temporary = path.with_name(f".{path.name}.writing")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8-sig", newline="") as file:
        file.write(text)
    os.replace(temporary, path)

"""`issue --csv` reads the CSV a spreadsheet saves: ',' ';' or tab separated (as its header
shows), UTF-8 with or without a BOM, and reports every problem at its line."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .credential_fixtures import Run, SignedNetwork, read_json, run, snapshot


def issue_csv(network: SignedNetwork, csv: Path | str) -> Run:
    return run(
        "issue", "--source", network.site, "--issuer", "atelier", "--badge", "laser-debutant",
        "--key-file", network.key_file, "--csv", csv, at="2025-03-08T15:00:00Z",
    )  # fmt: skip


def refused(network: SignedNetwork, csv: Path | str) -> Run:
    """An `issue --csv` that must write nothing, and say why without a traceback."""
    before = snapshot(network.site)
    result = issue_csv(network, csv)
    assert result.code == 1, result.out
    assert "Traceback" not in result.err
    assert not result.issued
    assert snapshot(network.site) == before
    return result


def errors(result: Run) -> list[str]:
    """The error lines of a run (without the closing count)."""
    return [line for line in result.err.splitlines() if ": error: " in line]


# What French Excel writes ("CSV UTF-8"): a BOM, ';' between values, CRLF line ends, quotes
# around a value holding ';' or a line break (a line break in a cell is LF), and ';;;' for a
# row once used.
EXCEL_FR = (
    "\ufeffemail;evidence;narrative;issued_on\r\n"
    'erwan.xl-1@example.net;https://example.org/p/1;"Une pièce; deux découpes";2025-03-01\r\n'
    'gwen.xl-2@example.net;;"Une pièce; deux découpes\net un porte-clés";\r\n'
    ";;;\r\n"
    "yann.xl-3@example.net;;A gravé.;\r\n"
)


def test_a_csv_saved_by_french_excel_is_read_with_semicolons(
    network: SignedNetwork, tmp_path: Path
) -> None:
    csv = tmp_path / "atelier-mars.csv"
    csv.write_bytes(EXCEL_FR.encode("utf-8"))
    result = issue_csv(network, csv)
    assert result.code == 0, result.err
    assert result.out.splitlines()[0] == f"{csv}: read with ';' as separator"
    assert result.out.endswith("3 credential(s) issued, 0 skipped\n")
    first, second, third = (read_json(path) for path in result.issued)
    assert first["validFrom"] == "2025-03-01T00:00:00Z"
    assert first["evidence"][0]["narrative"] == "Une pièce; deux découpes"
    assert second["evidence"][0]["narrative"] == "Une pièce; deux découpes\net un porte-clés"
    assert third["evidence"][0]["narrative"] == "A gravé."


def test_a_tab_separated_file_is_read_with_tabs(network: SignedNetwork, tmp_path: Path) -> None:
    csv = tmp_path / "rows.tsv"
    csv.write_text("email\tnarrative\nerwan.tab@example.net\tUne pièce, deux découpes\n", "utf-8")
    result = issue_csv(network, csv)
    assert result.code == 0, result.err
    assert result.out.splitlines()[0] == f"{csv}: read with a tab as separator"
    [path] = result.issued
    assert read_json(path)["evidence"][0]["narrative"] == "Une pièce, deux découpes"


@pytest.mark.parametrize("end", ["\n", "\r\n"])
def test_a_header_of_one_column_is_read_with_commas(
    network: SignedNetwork, tmp_path: Path, end: str
) -> None:
    csv = tmp_path / "rows.csv"
    csv.write_text(f"email{end}one.col-1@example.net{end}one.col-2@example.net{end}", "utf-8")
    result = issue_csv(network, csv)
    assert result.code == 0, result.err
    assert result.out.splitlines()[0] == f"{csv}: read with ',' as separator"
    assert len(result.issued) == 2


def test_a_windows_1252_file_is_refused_at_its_first_non_utf8_line(
    network: SignedNetwork, tmp_path: Path
) -> None:
    csv = tmp_path / "rows.csv"
    csv.write_bytes(
        "email;narrative\r\nok@example.net;\r\nx@example.net;A gravé\r\n".encode("cp1252")
    )
    assert errors(refused(network, csv)) == [
        f"{csv}:3: error: the file is not UTF-8 text (byte 0xe9: a spreadsheet's plain 'CSV' is "
        'often Windows-1252); save it as "CSV UTF-8" (Excel: "CSV UTF-8 (délimité par des '
        'virgules)"; LibreOffice: character set "Unicode (UTF-8)")'
    ]


def test_a_header_without_email_names_the_columns_it_has(
    network: SignedNetwork, tmp_path: Path
) -> None:
    csv = tmp_path / "rows.csv"
    csv.write_text("courriel;evidence\nok@example.net;\n", "utf-8")
    result = refused(network, csv)
    assert result.out == f"{csv}: read with ';' as separator\n"
    assert errors(result) == [
        f"{csv}:1: error: the header has no 'email' column; found 'courriel', 'evidence' (with ';' "
        "as separator); the first line names the columns: 'email', and any of evidence, "
        "narrative, issued_on, expires, person, name, consent",
        f"{csv}:1: error: unknown column 'courriel'; use one of: consent, email, evidence, "
        "expires, issued_on, name, narrative, person",
    ]


def test_every_problem_of_every_row_in_one_run(network: SignedNetwork, tmp_path: Path) -> None:
    csv = tmp_path / "rows.csv"
    csv.write_text(
        "email;evidense;narrative;issued_on;email\n"  # line 1
        'ok-1@example.net;;"Deux lignes\n'
        'dans la narration";;\n'  # line 3
        "pas-un-email;;;;\n"  # line 4
        "\n"
        "ok-2@example.net;;;12/03/2025;\n"  # line 6
        "ok-3@example.net;;;;;en trop\n",  # line 7
        "utf-8",
    )
    assert errors(refused(network, csv)) == [
        f"{csv}:1: error: column 'email' appears twice; keep one",
        f"{csv}:1: error: unknown column 'evidense' (did you mean 'evidence'?); use one of: "
        "consent, email, evidence, expires, issued_on, name, narrative, person",
        f"{csv}:4: error: 'pas-un-email' is not an email address; check the recipient",
        f"{csv}:6: error: issued-on '12/03/2025' is not a date; write it as YYYY-MM-DD",
        f"{csv}:7: error: this row has 6 values but the header has 5 columns; a value holding "
        "the separator, a quote or a line break is written between double quotes (the "
        "separator is ';')",
    ]


def test_a_value_with_the_separator_and_no_quotes_is_reported(
    network: SignedNetwork, tmp_path: Path
) -> None:
    csv = tmp_path / "rows.csv"
    csv.write_text("email,narrative\nok@example.net,Une pièce, deux découpes\n", "utf-8")
    assert errors(refused(network, csv)) == [
        f"{csv}:2: error: this row has 3 values but the header has 2 columns; a value holding "
        "the separator, a quote or a line break is written between double quotes (the "
        "separator is ',')"
    ]


def test_a_quote_left_open_is_reported_at_its_row(network: SignedNetwork, tmp_path: Path) -> None:
    csv = tmp_path / "rows.csv"
    csv.write_text(
        'email;narrative\nok-1@example.net;Bien\nok-2@example.net;"Pas fermée\nok-3@example.net;\n',
        "utf-8",
    )
    assert errors(refused(network, csv)) == [
        f"{csv}:3: error: a double quote opened in this row is never closed (the file ends "
        "inside it); close it"
    ]


def test_a_value_under_a_column_without_a_name_is_reported(
    network: SignedNetwork, tmp_path: Path
) -> None:
    csv = tmp_path / "rows.csv"
    csv.write_text("email;;narrative\nok-1@example.net;;Bien\nok-2@example.net;oups;\n", "utf-8")
    assert errors(refused(network, csv)) == [
        f"{csv}:3: error: a value in column 2, which the header does not name; name the column "
        "or remove the value"
    ]


def test_an_empty_file_is_refused(network: SignedNetwork, tmp_path: Path) -> None:
    csv = tmp_path / "rows.csv"
    csv.write_bytes(b"\xef\xbb\xbf\r\n")
    assert errors(refused(network, csv)) == [
        f"{csv}:1: error: the file is empty; the first line names the columns: 'email', and any "
        "of evidence, narrative, issued_on, expires, person, name, consent"
    ]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("missing.csv", "cannot read the CSV file (No such file or directory); check --csv"),
        ("folder", "is a folder, not a CSV file; give --csv the CSV file's path"),
        ("file.txt/rows.csv", "cannot read the CSV file (Not a directory); check --csv"),
    ],
)
def test_a_csv_that_cannot_be_read_is_one_error_line(
    network: SignedNetwork, tmp_path: Path, name: str, message: str
) -> None:
    (tmp_path / "folder").mkdir()
    (tmp_path / "file.txt").write_text("", "utf-8")
    result = refused(network, tmp_path / name)
    assert result.err == f"{tmp_path / name}: error: {message}\n1 error, 0 warnings\n"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a file whatever its mode")
def test_an_unreadable_csv_is_one_error_line(network: SignedNetwork, tmp_path: Path) -> None:
    csv = tmp_path / "rows.csv"
    csv.write_text("email\nok@example.net\n", "utf-8")
    csv.chmod(0)
    result = refused(network, csv)
    assert result.err == (
        f"{csv}: error: cannot read the CSV file (Permission denied); check --csv\n"
        "1 error, 0 warnings\n"
    )

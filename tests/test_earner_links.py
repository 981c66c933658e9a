"""The earner gets their address: `issue` prints each award's page and credential URLs, and
for a CSV writes the CSV back with them (for a mail merge), where no commit can take it."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from .credential_fixtures import ALICE, BASE_URL, SignedNetwork, run, snapshot

AT = "2025-03-08T15:00:00Z"


def issue_laser(network: SignedNetwork, *args: str | Path) -> list[str | Path]:
    return [
        "issue", "--source", network.site, "--issuer", "atelier", "--badge", "laser-debutant",
        "--key-file", network.key_file, *args,
    ]  # fmt: skip


def urls(credential: Path) -> tuple[str, str]:
    """An award's page and credential URLs."""
    page = f"{BASE_URL}awards/atelier/{credential.stem}/"
    return page, f"{page}credential.json"


def test_issue_prints_the_page_and_credential_urls(network: SignedNetwork) -> None:
    result = run(*issue_laser(network, "--recipient", "yann-3318@example.net"), at=AT)
    assert result.code == 0, result.err
    (credential,) = result.issued
    page, document = urls(credential)
    assert result.out == (
        f"issued {credential}\n  page: {page}\n  credential: {document}\n"
        "1 credential(s) issued, 0 skipped\n"
    )


def test_a_csv_comes_back_with_each_rows_links(network: SignedNetwork, tmp_path: Path) -> None:
    """Its columns and separator as written, each row with its award: a new one, the one the
    recipient already had, the one a repeated row shares."""
    rows = tmp_path / "atelier-mars.csv"
    rows.write_text(
        f"email;narrative\n{ALICE};Déjà titulaire.\nyann-3318@example.net;Une découpe.\n"
        "YANN-3318@example.net;Répété.\n",
        "utf-8",
    )
    result = run(*issue_laser(network, "--csv", rows), at=AT)
    assert result.code == 0, result.err
    (credential,) = result.issued
    links = tmp_path / "atelier-mars-links.csv"
    assert f"{links}: each row of {rows} with its award's page_url and credential_url" in (
        result.out
    )
    alice = urls(network.laser)
    yann = urls(credential)
    assert links.read_bytes().decode("utf-8") == (
        "\ufeffemail;narrative;page_url;credential_url\r\n"
        f"{ALICE};Déjà titulaire.;{alice[0]};{alice[1]}\r\n"
        f"yann-3318@example.net;Une découpe.;{yann[0]};{yann[1]}\r\n"
        f"YANN-3318@example.net;Répété.;{yann[0]};{yann[1]}\r\n"
    )
    assert stat.S_IMODE(links.stat().st_mode) == 0o600


@pytest.mark.parametrize("where", ["content", "rows"])
def test_the_links_csv_is_never_where_a_commit_takes_it(
    network: SignedNetwork, tmp_path: Path, where: str
) -> None:
    rows = tmp_path / "rows.csv"
    rows.write_text("email\nyann-3318@example.net\n", "utf-8")
    links = {"content": network.site / "content" / "links.csv", "rows": rows}[where]
    before = snapshot(network.site)
    result = run(*issue_laser(network, "--csv", rows, "--links-csv", links), at=AT)
    assert result.code == 1
    assert not result.issued
    assert snapshot(network.site) == before
    message = {
        "content": "a list of recipients' email addresses and their awards' links must never "
        "be inside content/ (it would be published or committed); write it outside the "
        "repository, e.g. --links-csv ~/fababrest/links.csv",
        "rows": "--links-csv is the recipients' CSV itself; give another file",
    }[where]
    assert result.err == f"{links}: error: {message}\n1 error, 0 warnings\n"

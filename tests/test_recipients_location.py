"""Where `issue --csv` reads a list of recipients: never where one `git add -A` would commit
their email addresses (the rule keygen applies to key files), anywhere else as given."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .conftest import ROOT
from .credential_fixtures import Run, SignedNetwork, run, snapshot
from .test_key_files import git, git_repository

ROWS = "email;narrative\nerwan.lieu-4410@example.net;A découpé un porte-clés.\n"


def issue_csv(network: SignedNetwork, csv: str | Path, monkeypatch: pytest.MonkeyPatch) -> Run:
    """`issue --csv` typed at the repository's root (relative paths are from there)."""
    monkeypatch.chdir(network.site)
    return run(
        "issue", "--issuer", "atelier", "--badge", "laser-debutant",
        "--key-file", network.key_file, "--csv", csv, at="2025-03-08T15:00:00Z",
    )  # fmt: skip


def write_csv(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(ROWS, "utf-8")
    return path


def refused(network: SignedNetwork, csv: str | Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """An `issue --csv` that must sign and write nothing; its one error line."""
    before = snapshot(network.site)
    status_list = network.status_list.read_bytes()
    credentials = sorted(network.status_list.parent.glob("*.json"))
    result = issue_csv(network, csv, monkeypatch)
    assert result.code == 1, result.out
    assert "Traceback" not in result.err
    assert not result.issued and "credential(s) issued" not in result.out
    assert sorted(network.status_list.parent.glob("*.json")) == credentials
    assert network.status_list.read_bytes() == status_list
    assert snapshot(network.site) == before
    [error, count] = result.err.splitlines()
    assert count == "1 error, 0 warnings"
    return error


def read(network: SignedNetwork, csv: str | Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An `issue --csv` that must sign its one row; the credential it wrote."""
    result = issue_csv(network, csv, monkeypatch)
    assert result.code == 0, result.err
    [credential] = result.issued
    return credential


@pytest.mark.parametrize("csv", ["atelier-mars.csv", "listes/atelier-mars.csv", "rows.txt"])
def test_a_csv_in_the_work_tree_that_git_does_not_ignore_is_refused(
    network: SignedNetwork, monkeypatch: pytest.MonkeyPatch, csv: str
) -> None:
    tree = git_repository(network.site)  # no .gitignore: nothing is ignored
    write_csv(tree / csv)
    assert refused(network, csv, monkeypatch) == (
        f"{csv}: error: a list of recipients' email addresses inside the repository "
        f"({tree.resolve()}) must be ignored by git, or one 'git add -A' commits and publishes "
        f"it; move it outside the repository, e.g. ~/fababrest/{Path(csv).name} (or give it a "
        "name .gitignore ignores, such as *.csv)"
    )


def test_a_csv_git_tracks_is_refused_even_if_its_name_is_ignored(
    network: SignedNetwork, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Committed once, a file stays in the next commits whatever .gitignore says."""
    tree = git_repository(network.site)
    shutil.copy(ROOT / ".gitignore", tree / ".gitignore")
    write_csv(tree / "atelier-mars.csv")
    assert git(tree, "add", "--force", "atelier-mars.csv").returncode == 0
    assert "must be ignored by git" in refused(network, "atelier-mars.csv", monkeypatch)


def test_a_csv_inside_a_repository_that_is_no_work_tree_is_refused(
    network: SignedNetwork, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_csv(network.site / "atelier-mars.csv")
    assert refused(network, "atelier-mars.csv", monkeypatch) == (
        "atelier-mars.csv: error: a list of recipients' email addresses must not be inside the "
        f"repository ({network.site.resolve()}): it is not a git work tree (or git is missing), "
        "so nothing tells whether the list would be committed or shared; move it outside the "
        "repository, e.g. ~/fababrest/atelier-mars.csv"
    )


@pytest.mark.parametrize("folder", ["content", "theme/static"])
def test_a_csv_in_a_folder_the_build_reads_is_refused_even_if_ignored(
    network: SignedNetwork, monkeypatch: pytest.MonkeyPatch, folder: str
) -> None:
    tree = git_repository(network.site)
    shutil.copy(ROOT / ".gitignore", tree / ".gitignore")
    csv = f"{folder}/atelier-mars.csv"
    write_csv(tree / csv)
    assert refused(network, csv, monkeypatch) == (
        f"{csv}: error: a list of recipients' email addresses must never be inside "
        f"{folder.split('/')[0]}/ (it would be published or committed); move it outside the "
        "repository, e.g. ~/fababrest/atelier-mars.csv"
    )


def test_a_csv_git_ignores_at_the_root_is_read_and_stays_untracked(
    network: SignedNetwork, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With this repository's .gitignore, README's `--csv atelier-mars.csv` as it is."""
    tree = git_repository(network.site)
    shutil.copy(ROOT / ".gitignore", tree / ".gitignore")
    write_csv(tree / "atelier-mars.csv")
    credential = read(network, "atelier-mars.csv", monkeypatch)
    status = git(tree, "status", "--porcelain", "--untracked-files=all").stdout
    assert ".csv" not in status and credential.name in status


def test_a_csv_outside_the_repository_is_read(
    network: SignedNetwork, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    git_repository(network.site)
    read(network, write_csv(tmp_path / "home" / "fababrest" / "atelier-mars.csv"), monkeypatch)


def test_a_missing_csv_is_said_missing_only(
    network: SignedNetwork, monkeypatch: pytest.MonkeyPatch
) -> None:
    git_repository(network.site)
    assert refused(network, "atelier-mars.csv", monkeypatch) == (
        "atelier-mars.csv: error: cannot read the CSV file (No such file or directory); check --csv"
    )


def test_the_gitignore_covers_csv_files_except_the_test_fixtures(tmp_path: Path) -> None:
    folder = git_repository(tmp_path / "clone")
    shutil.copy(ROOT / ".gitignore", folder / ".gitignore")
    for name in ("atelier-mars.csv", "listes/atelier-mars.csv", "tests/keys/atelier.csv"):
        assert git(folder, "check-ignore", "--quiet", name).returncode == 0, name
    fixtures = [
        ROOT / "tests" / "keys" / "example-kerexemple.csv",
        *(ROOT / "tests" / "sites").glob("*/expected/data/skills-map.csv"),
    ]
    assert len(fixtures) >= 3
    for path in fixtures:
        name = path.relative_to(ROOT).as_posix()
        assert git(folder, "check-ignore", "--quiet", name).returncode == 1, name

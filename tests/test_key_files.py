"""Where keygen may write a private key: never where one `git add -A` would commit it, and
README's issuer workflow, followed to the letter, keeps it out of the repository."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.site.load.repository import SOURCE_FOLDERS

from .conftest import ROOT, copy_example
from .credential_fixtures import COORDINATORS, Run, keygen, network_site, ok, run, snapshot


def git(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True)


def git_repository(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    assert git(folder, "init", "--quiet").returncode == 0
    return folder


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    """The minimal site as a git work tree with no .gitignore."""
    return git_repository(network_site(tmp_path / "site"))


def refused(site: Path, key_file: str | Path, cwd: Path) -> Run:
    """A keygen that must change nothing, and say why without a traceback."""
    before = snapshot(site)
    here = Path.cwd()
    os.chdir(cwd)
    try:
        result = run("keygen", "atelier", "--source", site, "--key-file", key_file)
    finally:
        os.chdir(here)
    assert result.code == 1, result.out
    assert "Traceback" not in result.err
    assert result.out == ""
    assert snapshot(site) == before
    return result


@pytest.mark.parametrize("key_file", ["atelier.pem", "keys/atelier.pem", "atelier.txt"])
def test_a_key_file_in_the_work_tree_that_git_does_not_ignore_is_refused(
    repository: Path, key_file: str
) -> None:
    result = refused(repository, key_file, cwd=repository)
    assert result.err == (
        f"{key_file}: error: a private key inside the repository ({repository.resolve()}) must "
        "be ignored by git, or one 'git add -A' commits and publishes it; write it outside the "
        "repository, e.g. --key-file ~/.fababrest/atelier.pem (or give it a name .gitignore "
        "ignores, such as *.pem)\n1 error, 0 warnings\n"
    )


def test_a_key_file_in_the_work_tree_around_the_repository_is_refused(tmp_path: Path) -> None:
    """The content repository may be a folder of a larger git repository."""
    top = git_repository(tmp_path / "top")
    site = network_site(top / "site")
    result = refused(site, top / "keys" / "atelier.pem", cwd=tmp_path)
    assert f"a private key inside the repository ({top.resolve()}) must be ignored" in result.err


def test_a_key_file_inside_a_repository_that_is_no_work_tree_is_refused(tmp_path: Path) -> None:
    site = network_site(tmp_path / "site")
    result = refused(site, "atelier.pem", cwd=site)
    assert result.err == (
        f"atelier.pem: error: a private key must not be inside the repository ({site.resolve()}): "
        "it is not a git work tree (or git is missing), so nothing tells whether the key would "
        "be committed or shared; write it outside the repository, e.g. --key-file "
        "~/.fababrest/atelier.pem\n1 error, 0 warnings\n"
    )


@pytest.mark.parametrize("folder", SOURCE_FOLDERS)
def test_a_key_file_in_a_folder_the_build_reads_is_refused_even_if_ignored(
    repository: Path, folder: str
) -> None:
    (repository / ".gitignore").write_text("*.pem\n", "utf-8")
    result = refused(repository, repository / folder / "atelier.pem", cwd=repository)
    assert f"a private key must never be inside {folder}/" in result.err


def test_the_gitignore_covers_key_files_except_the_test_keys(tmp_path: Path) -> None:
    folder = git_repository(tmp_path / "clone")
    shutil.copy(ROOT / ".gitignore", folder / ".gitignore")
    for name in ("atelier.pem", "keys/biklab.pem", "atelier.key", "tests/keys/biklab.pem"):
        assert git(folder, "check-ignore", "--quiet", name).returncode == 0, name
    assert git(folder, "check-ignore", "--quiet", "tests/keys/x.test-only.pem").returncode == 1


def test_a_key_file_git_ignores_is_written_and_stays_untracked(repository: Path) -> None:
    shutil.copy(ROOT / ".gitignore", repository / ".gitignore")
    here = Path.cwd()
    os.chdir(repository)
    try:
        keygen(Path("."), "atelier", Path("atelier.pem"), "2024-02-01T10:00:00Z")
    finally:
        os.chdir(here)
    assert (repository / "atelier.pem").read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    status = git(repository, "status", "--porcelain", "--untracked-files=all").stdout
    assert "atelier.pem" not in status and "content/issuers/atelier.yaml" in status


def test_a_key_file_under_a_file_is_refused(tmp_path: Path) -> None:
    site = network_site(tmp_path / "site")
    (tmp_path / "file.txt").write_text("", "utf-8")
    key_file = tmp_path / "file.txt" / "keys" / "atelier.pem"
    result = refused(site, key_file, cwd=tmp_path)
    assert result.err == (
        f"{key_file}: error: {tmp_path / 'file.txt'} is a file, not a folder; choose another "
        "path\n1 error, 0 warnings\n"
    )


def test_a_key_file_that_is_a_folder_is_refused(tmp_path: Path) -> None:
    site = network_site(tmp_path / "site")
    (tmp_path / "keys").mkdir()
    result = refused(site, tmp_path / "keys", cwd=tmp_path)
    assert result.err == (
        f"{tmp_path / 'keys'}: error: is a folder; give the path of a new file, e.g. in that "
        "folder\n1 error, 0 warnings\n"
    )


def test_a_key_file_name_too_long_for_the_system_is_refused(tmp_path: Path) -> None:
    site = network_site(tmp_path / "site")
    key_file = tmp_path / f"{'k' * 300}.pem"
    result = refused(site, key_file, cwd=tmp_path)
    assert result.err == (
        f"{key_file}: error: cannot use this path (File name too long); choose another path\n"
        "1 error, 0 warnings\n"
    )


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes in a folder whatever its mode")
def test_a_key_file_that_cannot_be_written_changes_nothing(tmp_path: Path) -> None:
    site = network_site(tmp_path / "site")
    (tmp_path / "locked").mkdir(mode=0o500)
    key_file = tmp_path / "locked" / "atelier.pem"
    result = refused(site, key_file, cwd=tmp_path)
    assert result.err == (
        f"{key_file}: error: cannot write the key file (Permission denied); choose a folder you "
        "can write\n1 error, 0 warnings\n"
    )


# README's issuer workflow ---------------------------------------------------------------


def readme_commands(tool: str) -> list[list[str]]:
    """The `python build.py TOOL …` examples of README's issuer section, as a shell splits
    them: continuation lines joined, optional [parts] left out, `~/` expanded."""
    text = (ROOT / "README.md").read_text("utf-8")
    section = text[text.index("## For issuers") :]
    section = section[: section.index("\n## ", 1)]
    commands = re.findall(
        rf"^    (python build\.py {tool} (?:.*\\\n)*.*)$", section, flags=re.MULTILINE
    )
    words = [shlex.split(re.sub(r"\[[^]]*\]", "", c.replace("\\\n", " "))) for c in commands]
    return [[os.path.expanduser(w) if w.startswith("~/") else w for w in c[2:]] for c in words]


def test_readme_keygen_and_issue_work_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In a clone of this repository (its content and .gitignore, committed) with a fresh home
    folder; what it leaves for `git status` to show is what README says to commit."""
    clone = copy_example(git_repository(tmp_path / "clone"))
    shutil.copy(ROOT / ".gitignore", clone / ".gitignore")
    assert git(clone, "add", "--all").returncode == 0
    commit = git(clone, "-c", "user.name=T", "-c", "user.email=t@example.org", "commit", "-qm", "c")
    assert commit.returncode == 0, commit.stderr
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.chdir(clone)
    [keygen_command] = readme_commands("keygen")
    issue_commands = readme_commands("issue")
    assert len(issue_commands) == 2
    key_file = Path(keygen_command[keygen_command.index("--key-file") + 1])
    assert key_file.is_relative_to(tmp_path / "home")
    ok(*keygen_command)
    assert key_file.is_file()
    for coordinator in COORDINATORS[:2]:  # README: two coordinators approve it
        ok("approve", "biklab", "--key-file", coordinator)
    csv = issue_commands[1][issue_commands[1].index("--csv") + 1]
    Path(csv).write_text("email;narrative\ngwen.readme@example.org;A découpé.\n", "utf-8")
    for command in issue_commands:
        ok(*command)
    # git shows only what README says to commit: the key history and the credentials;
    # neither the private key nor the list of recipients.
    status = git(clone, "status", "--porcelain", "--untracked-files=all").stdout.splitlines()
    credentials = [line for line in status if line.startswith("?? assertions/biklab/")]
    assert len(credentials) == 2
    assert status == [" M content/issuers/biklab.keys.jsonl", *credentials]

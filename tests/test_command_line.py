"""The command line as a newcomer meets it: its help, the repository found from any of its
folders, and the system's refusals (a file unreadable, a folder where a file belongs) said
in one line, never as a traceback."""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.cli.arguments import parser
from generator.cli.commands import main
from generator.cli.commands import run as entry_point

from .conftest import ROOT
from .credential_fixtures import Run, SignedNetwork, copy_network, run
from .system_refusals import opened, refused

MakeSite = Callable[..., Path]


# Help ----------------------------------------------------------------------------------


def subcommands() -> dict[str, argparse.ArgumentParser]:
    """Each command's parser."""
    top = parser("build.py")
    [commands] = [a for a in top._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(commands.choices)


def options(command: argparse.ArgumentParser) -> list[argparse.Action]:
    return [a for a in command._actions if a.option_strings and a.dest != "help"]


@pytest.mark.parametrize("command", sorted(subcommands()))
def test_every_option_has_a_help_text_with_its_default(command: str) -> None:
    sub = subcommands()[command]
    actions = [*options(sub), *sub._positionals._group_actions]
    assert [a.dest for a in actions if not a.help or a.help == argparse.SUPPRESS] == []
    shown = " ".join(sub.format_help().split())
    defaults = {
        action.option_strings[-1]: action.default
        for action in options(sub)
        if action.default not in (None, False)
    }
    assert [name for name, value in defaults.items() if f"(default: {value})" not in shown] == []


def test_the_options_whose_default_is_found_say_what_it_is() -> None:
    shown = {name: " ".join(sub.format_help().split()) for name, sub in subcommands().items()}
    assert "--source DIR the content repository (default: the current folder or" in shown["check"]
    assert "--out DIR output folder (default: _site in the content repository)" in shown["build"]
    assert (
        "--port PORT the port to serve on, at http://127.0.0.1:PORT/ (default: 8000)"
        in (shown["serve"])
    )


def test_the_console_script_names_itself(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`fababrest --help` (pyproject's script, which calls run()) says `usage: fababrest`."""
    monkeypatch.setattr(sys, "argv", [str(Path(sys.executable).parent / "fababrest"), "--help"])
    with pytest.raises(SystemExit) as exited:
        entry_point()
    assert exited.value.code == 0
    assert capsys.readouterr().out.startswith("usage: fababrest [-h]")


def test_build_py_names_itself() -> None:
    shown = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "verify", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert shown.stdout.startswith("usage: build.py verify [-h]")


# The repository, from any of its folders -------------------------------------------------


def test_commands_find_the_repository_from_a_subfolder(
    minimal_site: MakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = minimal_site()
    monkeypatch.chdir(root / "badges")
    assert run("check").out == "content is valid\n"
    built = run("build")
    assert (built.code, built.err) == (0, "")
    assert built.out.startswith("built ") and built.out.endswith(" files into ../_site\n")
    assert (root / "_site" / "index.html").is_file()
    assert not (root / "badges" / "_site").exists()


def test_without_a_repository_one_line_says_where_it_looked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    nowhere = tmp_path / "nowhere"
    nowhere.mkdir()
    monkeypatch.chdir(nowhere)
    result = run("check")
    assert result.code == 2
    assert result.err == (
        f"error: no content repository here: no content/site.yaml in {nowhere} nor in any "
        "folder above it; run the command inside the repository (or one of its folders), or "
        "give --source DIR\n"
    )


def test_paths_a_person_types_stay_relative_to_where_they_are(
    network: SignedNetwork, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From a folder of the repository: the repository is found, but --out, --key-file,
    --csv and a file to verify are where the person is, not at the repository's root."""
    here = network.site / "notes"
    here.mkdir()
    monkeypatch.chdir(here)
    key = os.path.relpath(network.key_file, here)
    recipients = tmp_path / "recipients.csv"  # outside the repository, as issue asks
    recipients.write_text("email\nyann-2207@example.net\n", "utf-8")

    assert run("build", "--out", "out").code == 0
    assert (here / "out" / "index.html").is_file() and not (network.site / "out").exists()
    issued = run("issue", "--issuer", "atelier", "--badge", "laser-debutant",
                 "--key-file", key, "--csv", "../../recipients.csv")  # fmt: skip
    assert issued.code == 0, issued.err
    [credential] = issued.issued
    assert credential.parent.resolve() == network.site / "assertions" / "atelier"
    rotated = run("keygen", "atelier", "--key-file", "../../keys/atelier-2.pem")
    assert rotated.code == 0, rotated.err
    assert (network.keys / "atelier-2.pem").is_file()
    verdict = run("verify", os.path.relpath(network.laser, here))
    assert verdict.code == 0 and "VALID — signature verified" in verdict.out


def test_verify_without_a_repository_nor_a_site_is_a_usage_error(
    signed: SignedNetwork, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nothing to check the badge against: no verdict (the badge may be fine), but what to give."""
    monkeypatch.chdir(tmp_path)
    result = run("verify", signed.laser)
    assert (result.code, result.out) == (2, "")
    assert result.err.endswith(
        f"build.py verify: error: {signed.laser}: no content repository in {tmp_path} nor "
        "above it to check it against (its keys and status lists); run verify inside the "
        "network's repository, or give --source DIR, the repository, or --site DIR, a site "
        "built from it\n"
    )


# Progress, drawn by the command line -------------------------------------------------------


class Terminal(io.StringIO):
    """stderr as a person's terminal."""

    def isatty(self) -> bool:
        return True


def test_a_person_at_a_terminal_sees_the_progress_of_a_build_and_of_issuing(
    network: SignedNetwork, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The site's code only counts (it prints nothing, test_layering.py); the command line
    draws the bar, on a terminal and outside CI."""
    monkeypatch.delenv("CI", raising=False)
    csv = tmp_path / "recipients.csv"
    csv.write_text("email\nlena-3301@example.net\nyves-8812@example.net\n", "utf-8")
    commands = {
        "writing files ": ["build", "--source", network.site, "--out", tmp_path / "out"],
        "issuing [##############################] 2/2": [
            "issue", "--source", network.site, "--issuer", "atelier",
            "--badge", "laser-debutant", "--key-file", network.key_file, "--csv", csv,
        ],
    }  # fmt: skip
    for bar, argv in commands.items():
        terminal = Terminal()
        with contextlib.redirect_stderr(terminal), contextlib.redirect_stdout(io.StringIO()):
            assert main([str(arg) for arg in argv]) == 0
        assert f"\r{bar}" in terminal.getvalue()


# The system's refusals ---------------------------------------------------------------------


def assert_said_in_one_place(result: Run, path: Path) -> None:
    """A refusal is said, naming the path, with no traceback, and the command fails."""
    assert result.code in (1, 2), (path, result)
    assert "Traceback" not in result.err
    assert path.name in result.err or path.name in result.out, (path, result)


def test_an_unreadable_file_or_folder_of_the_content_is_an_error(
    minimal_site: MakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every file and folder `check` reads, refused in turn (EACCES): one error naming it."""
    root = minimal_site()
    with opened(monkeypatch, root) as seen:
        assert run("check", "--source", root).code == 0
    existing = sorted(path for path in seen if path.exists() and path != root)
    assert root / "badges" in existing and root / "content" / "site.yaml" in existing
    for path in existing:
        with refused(monkeypatch) as paths:
            paths.add(path)
            result = run("check", "--source", root)
        assert_said_in_one_place(result, path)
        assert "Permission denied" in result.err


def test_verbose_also_shows_where_a_refusal_was_met(
    minimal_site: MakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A refusal no command expected may be a bug of ours: --verbose shows its traceback."""
    root = minimal_site()
    with refused(monkeypatch) as paths:
        paths.add(root / "badges")
        quiet, verbose = run("check", "--source", root), run("-v", "check", "--source", root)
    line = f"error: {root / 'badges'}: Permission denied; check its permissions\n"
    assert (quiet.code, quiet.err) == (1, line)
    assert verbose.code == 1
    assert verbose.err.startswith("Traceback") and verbose.err.endswith(line)


TOOLS = {
    "issue": lambda n: ["issue", "--source", n.site, "--issuer", "atelier",
                        "--badge", "laser-debutant", "--key-file", n.key_file,
                        "--recipient", "erwan-5120@example.net"],
    "revoke": lambda n: ["revoke", n.laser, "--source", n.site, "--reason", "Par erreur",
                         "--key-file", n.key_file],
    "keygen": lambda n: ["keygen", "atelier", "--source", n.site,
                         "--key-file", n.keys / "atelier-2.pem"],
    "verify-file": lambda n: ["verify", n.laser, "--source", n.site],
    "verify-url": lambda n: ["verify", n.laser, "--site", n.out],
}  # fmt: skip


@pytest.mark.parametrize("tool", sorted(TOOLS))
def test_an_unreadable_file_of_an_issuer_tool_is_an_error(
    signed: SignedNetwork, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tool: str
) -> None:
    """Every key, signed file and built file a tool reads (the content's files are the
    build's, above), refused in turn: one error naming it, nothing written."""
    network = copy_network(signed, tmp_path / "first")
    existing = {tmp_path / "first", *(tmp_path / "first").rglob("*")}
    with opened(monkeypatch, tmp_path) as seen:
        assert run(*TOOLS[tool](network)).code == 0
    relative = sorted(
        path.relative_to(tmp_path / "first")
        for path in seen & existing
        if not path.is_relative_to(network.site / "content")
        and not path.is_relative_to(network.site / "badges")
    )
    assert relative
    for number, path in enumerate(relative):
        copy = copy_network(signed, tmp_path / str(number))
        with refused(monkeypatch) as paths:
            paths.add(tmp_path / str(number) / path)
            result = run(*TOOLS[tool](copy))
        assert_said_in_one_place(result, path)


@pytest.mark.parametrize(
    "where", ["key-file-folder", "key-file-under-a-file", "csv-folder", "out-a-file"]
)
def test_a_folder_where_a_file_belongs_and_the_reverse(network: SignedNetwork, where: str) -> None:
    a_file = network.keys / "notes.txt"
    a_file.write_text("notes\n", "utf-8")
    issue = ["issue", "--source", network.site, "--issuer", "atelier", "--badge",
             "laser-debutant"]  # fmt: skip
    command = {
        "key-file-folder": ["keygen", "atelier", "--source", network.site,
                            "--key-file", network.keys],
        "key-file-under-a-file": ["keygen", "atelier", "--source", network.site,
                                  "--key-file", a_file / "atelier-2.pem"],
        "csv-folder": [*issue, "--key-file", network.key_file, "--csv", network.keys],
        "out-a-file": ["build", "--source", network.site, "--out", a_file],
    }[where]  # fmt: skip
    before = network.atelier_yaml.read_bytes()
    result = run(*command)
    assert result.code in (1, 2) and "Traceback" not in result.err
    assert len(result.err.splitlines()) == 1 or result.err.splitlines()[-1].endswith("warnings")
    assert network.atelier_yaml.read_bytes() == before

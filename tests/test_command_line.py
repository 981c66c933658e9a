"""The command line as a person meets it: the progress of long runs, drawn by it alone."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest

from generator.cli.commands import main

from .credential_fixtures import SignedNetwork

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

"""The command line: exit codes, and problems printed as editors and CI expect them."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.cli.commands import main

from ..conftest import ROOT

MakeSite = Callable[..., Path]

# Three files broken at once: every problem is reported, sorted by file and line.
BROKEN = {
    "badges/laser-expert.yaml": (
        "name: Laser - Expert\n"
        "description: Maîtrise la découpeuse laser.\n"
        "criteria: Être expert.\n"
        "domain: laser\n"
        "level: expert\n"
        "scope: network\n"
        "status: aproved\n"
    ),
    "content/issuers/atelier.yaml": (
        "name: Atelier Test\n"
        "url: atelier.example.org\n"
        "email: contact@atelier.example.org\n"
        "description: Un atelier de test.\n"
        "awards: [laser-debutant]\n"
    ),
    "badges/couture-debutant.yaml": (
        "name: Couture - Débutant\n"
        "description: Ancien badge de couture.\n"
        "criteria: Coudre un ourlet.\n"
        "domain: couture\n"
        "level: debutant\n"
        "scope: network\n"
        "status: retired\n"
        "approved_on: 2020-01-01\n"
    ),
}
BROKEN_REPORT = [
    "badges/couture-debutant.yaml:7: error: a retired badge needs 'retired_on' (YYYY-MM-DD); "
    "add it",
    "badges/laser-expert.yaml:7: error: status is 'aproved' (did you mean 'approved'?); "
    "use one of: approved, proposed, retired",
    "content/issuers/atelier.yaml:2: error: url 'atelier.example.org' is malformed; "
    "write an absolute URL starting with https://",
    "3 errors, 0 warnings",
]
NO_HOME = "content/pages/index.md: {}: no home page text; add content/pages/index.md"


def test_check_valid_site(minimal_site: MakeSite, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--source", str(minimal_site())]) == 0
    out, err = capsys.readouterr()
    assert out == "content is valid\n"
    assert err == ""


def test_check_writes_nothing_but_its_cache(minimal_site: MakeSite) -> None:
    root = minimal_site()

    def files() -> list[str]:
        return sorted(
            p.relative_to(root).as_posix()
            for p in root.rglob("*")
            if p.relative_to(root).parts[0] != ".cache"  # git-ignored: verified proofs, templates
        )

    before = files()
    main(["check", "--source", str(root)])
    assert files() == before
    main(["check", "--source", str(root), "--no-cache"])
    assert files() == before


def test_build_py_exits_with_the_code_of_the_command(
    minimal_site: MakeSite, tmp_path: Path
) -> None:
    """build.py's exit status is main()'s code (cli.run): what CI relies on."""
    root = minimal_site()
    out = tmp_path / "out"
    command = [sys.executable, str(ROOT / "build.py"), "build", "--source", str(root)]
    built = subprocess.run([*command, "--out", str(out)], capture_output=True, text=True)
    assert (built.returncode, built.stderr) == (0, "")
    assert built.stdout.startswith("built ") and (out / "index.html").is_file()
    (root / "content" / "site.yaml").write_text("name: [\n", "utf-8")
    failed = subprocess.run([*command, "--out", str(out)], capture_output=True, text=True)
    assert failed.returncode == 1
    assert failed.stderr.startswith("content/site.yaml:")
    assert failed.stderr.endswith("1 error, 0 warnings\n")


def test_check_invalid_site(minimal_site: MakeSite, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--source", str(minimal_site(BROKEN))]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines() == BROKEN_REPORT
    assert "Traceback" not in err


def test_problems_are_sorted_by_file_then_line(
    minimal_site: MakeSite, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["check", "--source", str(minimal_site(BROKEN))])
    lines = capsys.readouterr().err.splitlines()[:-1]
    keys = [(line.split(":")[0], int(line.split(":")[1])) for line in lines]
    assert keys == sorted(keys)


def test_check_github_format(minimal_site: MakeSite, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--format", "github", "--source", str(minimal_site(BROKEN))]) == 1
    err = capsys.readouterr().err
    assert err.splitlines() == [
        "::error file=badges/couture-debutant.yaml,line=7::a retired badge needs 'retired_on' "
        "(YYYY-MM-DD); add it",
        "::error file=badges/laser-expert.yaml,line=7::status is 'aproved' "
        "(did you mean 'approved'?); use one of: approved, proposed, retired",
        "::error file=content/issuers/atelier.yaml,line=2::url 'atelier.example.org' is "
        "malformed; write an absolute URL starting with https://",
        "3 errors, 0 warnings",
    ]


def test_github_format_without_line(
    minimal_site: MakeSite, capsys: pytest.CaptureFixture[str]
) -> None:
    root = minimal_site({"content/pages/index.md": None})
    assert main(["check", "--strict", "--format", "github", "--source", str(root)]) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        "::error file=content/pages/index.md::no home page text; add content/pages/index.md"
    )


def test_missing_settings_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--source", str(tmp_path)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "content/site.yaml: error: the network's settings file is missing; "
        "is --source the content repository?",
        "1 error, 0 warnings",
    ]


def test_build_writes_the_site(
    minimal_site: MakeSite, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert main(["build", "--source", str(minimal_site()), "--out", str(out)]) == 0
    assert (out / "index.html").is_file()
    assert (out / "en" / "index.html").is_file()
    assert (out / "badges" / "laser-debutant" / "achievement.json").is_file()
    files = sum(1 for path in out.rglob("*") if path.is_file())
    stdout, err = capsys.readouterr()
    assert stdout == f"built {files} files into {out}\n"
    assert err == ""


def test_build_defaults_to_source_site_folder(minimal_site: MakeSite) -> None:
    root = minimal_site()
    assert main(["build", "--source", str(root)]) == 0
    assert (root / "_site" / "index.html").is_file()


def test_build_invalid_site_fails_and_writes_nothing(
    minimal_site: MakeSite, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert main(["build", "--source", str(minimal_site(BROKEN)), "--out", str(out)]) == 1
    assert not out.exists()
    assert capsys.readouterr().err.splitlines() == BROKEN_REPORT


def test_missing_home_page_is_a_warning(
    minimal_site: MakeSite, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = minimal_site({"content/pages/index.md": None})
    out = tmp_path / "out"
    assert main(["build", "--source", str(root), "--out", str(out)]) == 0
    assert (out / "index.html").is_file()
    stdout, err = capsys.readouterr()
    assert err.splitlines() == [NO_HOME.format("warning"), "0 errors, 1 warning"]
    assert stdout.startswith("built ")


def test_check_prints_warnings_and_succeeds(
    minimal_site: MakeSite, capsys: pytest.CaptureFixture[str]
) -> None:
    root = minimal_site({"content/pages/index.md": None})
    assert main(["check", "--source", str(root)]) == 0
    out, err = capsys.readouterr()
    assert err.splitlines() == [NO_HOME.format("warning"), "0 errors, 1 warning"]
    assert out == "content is valid\n"


@pytest.mark.parametrize("command", ["build", "check"])
def test_strict_turns_warnings_into_errors(
    command: str, minimal_site: MakeSite, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = minimal_site({"content/pages/index.md": None})
    out = tmp_path / "out"
    extra = ["--out", str(out)] if command == "build" else []
    assert main([command, "--strict", "--source", str(root), *extra]) == 1
    stdout, err = capsys.readouterr()
    assert err.splitlines() == [NO_HOME.format("error"), "1 error, 0 warnings"]
    assert stdout == ""
    assert not out.exists()


def test_usage_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["publish"])
    assert exited.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_every_refusal_the_command_line_catches_by_name_exists() -> None:
    """The command line names the refusals of its tools (their modules are imported by the
    commands that run them): each name is an exception class of its module."""
    import importlib

    from generator.cli import commands

    for module, name in (*commands._REFUSALS, *commands._USAGE_ERRORS):
        refusal = getattr(importlib.import_module(module), name)
        assert isinstance(refusal, type) and issubclass(refusal, Exception), (module, name)


def test_a_build_with_nothing_changed_imports_no_stage(minimal_site: MakeSite) -> None:
    """The no-change build runs no stage, so it imports none (0.3 s of a 0.45 s run)."""
    site = minimal_site()
    out = site / "_site"
    assert main(["build", "--source", str(site), "--out", str(out)]) == 0
    script = (
        "import sys; from generator.cli.commands import main; "
        f"code = main(['build', '--source', {str(site)!r}, '--out', {str(out)!r}]); "
        "stages = ('generator.site.render', 'generator.site.check.credentials', 'jinja2', "
        "'pyld', 'jsonschema', 'generator.site.draw'); "
        "print(code, sorted(m for m in sys.modules if m.startswith(stages)))"
    )
    ran = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert ran.stdout.splitlines()[-1] == "0 []", ran.stdout + ran.stderr
    assert "nothing changed since the last build" in ran.stdout

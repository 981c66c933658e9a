"""`check` reports every problem of every file in one run, and never a consequence of a
problem it already reported: a newcomer fixes everything in one round, cause first.

Each case is a stumble a new user met on the example network: the problems of a new badge
or structure came in rounds (schema problems first, then the rest), and a broken file or a
malformed base_url buried its one real problem under errors about other files.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.issuer.trust_setup import write_codeowners
from generator.site.build import check
from generator.site.model.problems import BuildFailed, Problem

from .conftest import ROOT, copy_example


@pytest.fixture
def example(tmp_path: Path, example_cache: Callable[[Path], Path]) -> Path:
    """A copy of the example network (content, badges, signed credentials, theme), with the
    cache store of the session's build of it (tests/published_sites.py)."""
    return example_cache(copy_example(tmp_path))


def problems_of(source: Path) -> list[Problem]:
    """The errors `check` reports for a repository (none when it is valid)."""
    try:
        check(source)
    except BuildFailed as failed:
        return [problem for problem in failed.problems if problem.severity == "error"]
    return []


def lines(problems: list[Problem]) -> list[str]:
    return [str(problem) for problem in problems]


def test_the_example_network_is_valid(example: Path) -> None:
    assert lines(problems_of(example)) == []


def test_a_new_badge_gets_all_its_problems_in_one_run(example: Path) -> None:
    (example / "badges" / "soudure.yaml").write_text(
        "name: Soudure\ndescripton: x\ndomain: soudure\nlevel: 1er-pas\n", "utf-8"
    )
    problems = lines(problems_of(example))
    found = "\n".join(problems)
    # The schema's problems and, in the same run, what the rest of the file says.
    assert "badges/soudure.yaml:1: error: missing field 'description'" in found
    assert "badges/soudure.yaml:2: error: unknown field 'descripton'" in found
    assert "badges/soudure.yaml:1: error: the badge has no criteria" in found
    assert "badges/soudure.yaml:3: error: domain 'soudure' is unknown" in found
    assert "badges/soudure.yaml:4: error: level '1er-pas' is unknown" in found
    # Missing 'scope' and 'status' are reported once, not judged again by the rules that
    # read them: seven problems in all.
    assert len(problems) == 7, found


def test_every_problem_has_its_line(example: Path) -> None:
    (example / "badges" / "soudure.yaml").write_text(
        "name: Soudure\ndescription: x\ncriteria: y\nscope: network\nstatus: proposed\n", "utf-8"
    )
    found = lines(problems_of(example))
    assert found == [
        "badges/soudure.yaml:1: error: a badge outside the taxonomy needs 'tags'; add tags, "
        "or a domain and a level"
    ]


def test_a_new_structure_gets_all_its_problems_in_one_run(example: Path) -> None:
    (example / "content" / "issuers" / "nouveau-lab.yaml").write_text(
        """\
name: Nouveau lab
url: https://nouveau.example.org
description: Un lab
awards: [decoupe-laser-premiers-pas, badge-inconnu]
machines:
  laser:
    name: Laser
    domain: decoupe-lazer
    level: premiers-pas
  vinyle:
    name: Plotter
    domain: decoupe-vinyle
  imprimante:
    name: Prusa
    domain: impression-3d-fdm
    level: expert
""",
        "utf-8",
    )
    assert lines(problems_of(example)) == [
        "content/issuers/nouveau-lab.yaml:1: error: missing field 'email'; add it",
        "content/issuers/nouveau-lab.yaml:4: error: awards: badge 'badge-inconnu' does not "
        "exist; fix the name or add the badge in badges/",
        "content/issuers/nouveau-lab.yaml:8: error: machine 'laser': domain 'decoupe-lazer' is "
        "unknown (did you mean 'decoupe-laser'?); use one of: decoupe-laser, decoupe-vinyle, "
        "impression-3d-fdm",
        "content/issuers/nouveau-lab.yaml:10: error: missing field 'level' in machines.vinyle; "
        "add it",
        "content/issuers/nouveau-lab.yaml:16: error: machine 'imprimante': level 'expert' is "
        "unknown; use one of: animateur, formateur-mentor, mainteneur, premiers-pas, "
        "utilisateur-autonome",
    ]


def test_a_malformed_base_url_is_reported_alone(example: Path) -> None:
    settings = example / "content" / "site.yaml"
    text = settings.read_text("utf-8")
    settings.write_text(
        text.replace(
            "base_url: https://fababrest.github.io/open-badges/",
            "base_url: https://fababrest.github.io/open-badges",
        ),
        "utf-8",
    )
    found = lines(problems_of(example))
    assert len(found) == 1, found
    assert "base_url 'https://fababrest.github.io/open-badges' must end with '/'" in found[0]


def test_a_badge_indented_with_tabs_is_one_error_that_says_use_spaces(example: Path) -> None:
    badge = example / "badges" / "biklab-mediation-scientifique.yaml"
    text = badge.read_text("utf-8").splitlines(keepends=True)
    text[1] = "\t" + text[1]
    badge.write_text("".join(text), "utf-8")
    found = lines(problems_of(example))
    # Its structure's credentials of it are not "not a badge of this network" on top.
    assert len(found) == 1, found
    assert found[0].startswith("badges/biklab-mediation-scientifique.yaml:2: error: ")
    assert found[0].endswith("indent with spaces, never tabs")


def test_a_structure_file_with_a_schema_error_hides_none_of_its_credentials_errors(
    example: Path,
) -> None:
    issuer = example / "content" / "issuers" / "biklab.yaml"
    issuer.write_text(re.sub(r"(?m)^name:", "nom:", issuer.read_text("utf-8")), "utf-8")
    found = lines(problems_of(example))
    # Only the file's own problems: not "folder assertions/biklab/ is not a structure of
    # the network" for each credential and the status list it signed.
    assert [line.split(": error: ")[0].split(":")[0] for line in found] == [
        "content/issuers/biklab.yaml",
        "content/issuers/biklab.yaml",
    ], found


def _readme_examples() -> list[tuple[str, str]]:
    """README's YAML examples that name the file they are (first line `# path`)."""
    text = (ROOT / "README.md").read_text("utf-8")
    examples = []
    for block in re.findall(r"```yaml\n(.*?)```", text, re.S):
        first = block.splitlines()[0]
        if match := re.fullmatch(r"# ((?:content|badges)/[\w/.-]+\.yaml)", first):
            examples.append((match[1], block))
    return examples


def test_readme_shows_a_complete_badge_and_structure() -> None:
    paths = [path for path, _ in _readme_examples()]
    assert any(path.startswith("badges/") for path in paths), paths
    assert any(path.startswith("content/issuers/") for path in paths), paths


@pytest.mark.parametrize(("path", "text"), _readme_examples(), ids=lambda value: str(value)[:40])
def test_readme_examples_pass_check_as_they_are_copied(example: Path, path: str, text: str) -> None:
    (example / path).write_text(text, "utf-8")
    write_codeowners(example)  # README: a structure joins with CODEOWNERS made again
    assert lines(problems_of(example)) == []


def test_a_broken_setting_does_not_hide_the_other_files_problems(example: Path) -> None:
    settings = example / "content" / "site.yaml"
    text = settings.read_text("utf-8")
    settings.write_text(re.sub(r'primary: "#[0-9a-f]{6}"', 'primary: "rouge"', text), "utf-8")
    (example / "badges" / "soudure.yaml").write_text(
        "name: Soudure\ndescription: x\ncriteria: y\nscope: network\nstatus: proposed\n", "utf-8"
    )
    found = lines(problems_of(example))
    assert [line.split(": error: ")[0].split(":")[0] for line in found] == [
        "badges/soudure.yaml",
        "content/site.yaml",
    ], found

"""Hostile YAML in every kind of content file, Markdown front matter included: aliases and
anchors (a "billion laughs" document), nesting and integers beyond the JSON reader's bounds,
tags JSON has not, keys that are not texts, control characters, bytes that are not UTF-8 and
a number where a text belongs. Each is a located error in `check` and `build`, and in the
tools that read YAML (`consent`, `keygen`, `serve`), never a traceback."""

from __future__ import annotations

import contextlib
import os
import resource
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.cli.serve import _base_path
from generator.issuer.yaml_edit import YamlEditError, without_keys
from generator.site.load.json_strict import JsonRefused, loads_strict
from generator.site.load.network import load_network
from generator.site.load.parsing import MAX_INTEGER_DIGITS, MAX_NESTING, read_yaml
from generator.site.model.problems import BuildFailed, Location, Problems

from .agreement import same_verdict
from .conftest import ROOT, copy_site
from .credential_fixtures import SignedNetwork, run

# A document of nine lines that expands to 9**9 (387 million) values when aliases are followed.
BILLION_LAUGHS = "lol0: &a0 [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"lol{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]\n" for n in range(1, 9)
)


@dataclass(frozen=True)
class Payload:
    """Lines added to a file's mapping (or the bytes it becomes), and what the error says."""

    name: str
    lines: str | bytes
    says: str
    line: int = 1
    """Which added line the error is reported at (1: the first)."""


PAYLOADS = [
    Payload("billion-laughs", BILLION_LAUGHS, "anchors (&name) and aliases (*name) are not allowed"),
    Payload("alias", "again: *nowhere\n", "YAML refused: alias '*nowhere'"),
    Payload("anchor", "kept: &mine value\n", "YAML refused: anchor '&mine'"),
    Payload("merge", "base: &base {a: 1}\nmerged:\n  <<: *base\n", "anchor '&base'"),
    Payload("deep-flow", "deep: " + "[" * 50_000 + "]" * 50_000 + "\n", "nested more than 100"),
    Payload("deep-flow-maps", "deep: " + "{a: " * 5_000 + "1" + "}" * 5_000 + "\n",
            "nested more than 100"),
    Payload("deep-block", "deep:\n" + "".join(" " * i + "- \n" for i in range(1, 300)),
            "nested more than 100", line=101),
    Payload("long-integer", "big: " + "7" * 5_000 + "\n", "a number of 5,000 characters"),
    Payload("long-hex", "big: 0x" + "f" * 5_000 + "\n", "a number of 5,002 characters"),
    Payload("python-tag", "run: !!python/object/apply:os.system [echo]\n",
            "the tag '!!python/object/apply:os.system' is not allowed"),
    Payload("binary-tag", "blob: !!binary aGVsbG8=\n", "the tag '!!binary' is not allowed"),
    Payload("set-tag", "things: !!set {a, b}\n", "the tag '!!set' is not allowed"),
    Payload("number-key", "12: douze\n", "the key '12' is read as a number"),
    Payload("boolean-key", "no: norsk\n", "the key 'no' is read as true/false"),
    Payload("mapping-key", "? [a, b]\n: pair\n", "a list or mapping cannot be a key"),
    Payload("control-character", "bell: ding\x07\n", "the character U+0007 is not allowed"),
    Payload("not-utf8", "name2: Caf\xe9\n".encode("latin-1"), "not valid UTF-8"),
    Payload("lone-surrogate", 'name2: "Caf\\udce9"\n',
            "the escape '\\udce9' is half of a UTF-16 surrogate pair"),
]  # fmt: skip


@dataclass(frozen=True)
class Place:
    """A YAML text of the minimal site: its file, and the line where added lines start."""

    path: str
    front_matter: bool = False

    def plant(self, site: Path, lines: str | bytes) -> int:
        """Add lines to the file's YAML; the file line of the first one."""
        file = site / self.path
        text = file.read_bytes()
        added = lines if isinstance(lines, bytes) else lines.encode("utf-8")
        if self.front_matter:
            head, end, body = text.partition(b"\n---\n")
            assert end, f"{self.path} has front matter"
            file.write_bytes(head + b"\n" + added + end.lstrip(b"\n") + body)
            return head.count(b"\n") + 2
        if not text.endswith(b"\n"):
            text += b"\n"
        file.write_bytes(text + added)
        return text.count(b"\n") + 1


PERSON = "content/people/quelqu-un.yaml"
PLACES = [
    Place("content/site.yaml"),
    Place("content/skills.yaml"),
    Place("content/issuers/atelier.yaml"),
    Place("badges/laser-debutant.yaml"),
    Place(PERSON),
    Place("content/pages/a-propos.md", front_matter=True),
    Place("content/pages/a-propos.en.md", front_matter=True),
]


def site_with_person(target: Path) -> Path:
    site = copy_site("minimal", target)
    (site / PERSON).parent.mkdir(parents=True, exist_ok=True)
    (site / PERSON).write_text("name: Quelqu'un\nawards: []\n", "utf-8")
    return site


@pytest.mark.parametrize("place", PLACES, ids=lambda place: place.path)
@pytest.mark.parametrize("payload", PAYLOADS, ids=lambda payload: payload.name)
def test_hostile_yaml_is_a_located_error(payload: Payload, place: Place, tmp_path: Path) -> None:
    site = site_with_person(tmp_path / "site")
    first = place.plant(site, payload.lines)
    expected = f"{place.path}:{first + payload.line - 1}: error: "
    problems = Problems()
    with contextlib.suppress(BuildFailed):  # site.yaml unusable: nothing else is read
        load_network(site, problems)
    located = [str(problem) for problem in problems.items if str(problem).startswith(expected)]
    assert any(payload.says in problem for problem in located), problems.items


@pytest.mark.parametrize("payload", PAYLOADS, ids=lambda payload: payload.name)
def test_check_and_build_report_hostile_yaml(payload: Payload, tmp_path: Path) -> None:
    site = site_with_person(tmp_path / "site")
    first = Place("content/issuers/atelier.yaml").plant(site, payload.lines)
    expected = f"content/issuers/atelier.yaml:{first + payload.line - 1}: error: "
    result = same_verdict(site, tmp_path / "out")
    assert result.code == 1, result.err
    located = [line for line in result.err.splitlines() if line.startswith(expected)]
    assert any(payload.says in line for line in located), result.err
    assert not (tmp_path / "out").exists()


def test_the_minimal_site_with_a_person_checks(tmp_path: Path) -> None:
    """The places above are valid before the payloads are added: the errors are theirs."""
    assert run("check", "--source", site_with_person(tmp_path / "site")).code == 0


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [
        ("content/site.yaml", "name: 12345", "name must be of type string, not number"),
        ("content/issuers/atelier.yaml", "url: 12", "url must be of type string, not number"),
        ("badges/laser-debutant.yaml", "domain: 3.5", "domain must be of type string, not number"),
        ("badges/laser-debutant.yaml", "level: yes", "level must be of type string, not boolean"),
        (PERSON, "name: 2024", "name must be of type string, not number"),
        ("content/pages/a-propos.md", "title: 1789", "title must be of type string, not number"),
    ],
)
def test_a_number_where_a_text_belongs_is_a_located_error(
    field: str, value: str, says: str, tmp_path: Path
) -> None:
    site = site_with_person(tmp_path / "site")
    file = site / field
    key = value.split(":")[0]
    lines = file.read_text("utf-8").splitlines(keepends=True)
    number = next(i for i, line in enumerate(lines) if line.startswith(f"{key}:"))
    lines[number] = value + "\n"
    file.write_text("".join(lines), "utf-8")
    result = run("check", "--source", site)
    assert result.code == 1 and "Traceback" not in result.err
    assert f"{field}:{number + 1}: error: {says}" in result.err, result.err


def test_a_billion_laughs_is_refused_before_it_is_expanded(tmp_path: Path) -> None:
    """In a process limited to 1 GB and a minute, which expanding it would exceed."""
    site = copy_site("minimal", tmp_path / "site")
    Place("content/site.yaml").plant(site, BILLION_LAUGHS)

    def limit_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "check", "--source", str(site)],
        capture_output=True, text=True, timeout=60, preexec_fn=limit_memory, env=env,
    )  # fmt: skip
    assert result.returncode == 1
    assert "content/site.yaml:12: error: YAML refused: anchor '&a0'" in result.stderr
    assert "Traceback" not in result.stderr


# The same bounds as the JSON reader's -------------------------------------------------------


def test_yaml_and_json_share_their_bounds() -> None:
    def yaml_problems(text: str) -> list[str]:
        problems = Problems()
        read_yaml(text, Location("f.yaml"), problems)
        return [problem.message for problem in problems.items]

    def json_refusal(text: str) -> str | None:
        try:
            loads_strict(text)
        except JsonRefused as refusal:
            return str(refusal)
        return None

    nested = "[" * MAX_NESTING + "]" * MAX_NESTING
    deeper = "[" + nested + "]"
    assert yaml_problems(f"a: {nested[1:-1]}") == [] and json_refusal(nested) is None
    assert "nested more than 100" in yaml_problems(f"a: {deeper[1:-1]}")[0]
    assert json_refusal(deeper) == "nested too deeply (more than 100 levels)"
    longest, longer = "9" * MAX_INTEGER_DIGITS, "9" * (MAX_INTEGER_DIGITS + 1)
    assert yaml_problems(f"a: {longest}") == [] and json_refusal(longest) is None
    assert "a number of 4,301 characters" in yaml_problems(f"a: {longer}")[0]
    assert json_refusal(f"[-{longer}]") == "a number of 4,301 digits, more than 4,300"


# The tools that read YAML ----------------------------------------------------------------------


@pytest.mark.parametrize("payload", PAYLOADS, ids=lambda payload: payload.name)
def test_consent_reports_a_hostile_person_file(
    network: SignedNetwork, payload: Payload, tmp_path: Path
) -> None:
    person = network.site / PERSON
    person.parent.mkdir(parents=True, exist_ok=True)
    person.write_text("name: Quelqu'un\nawards: []\n", "utf-8")
    first = Place(PERSON).plant(network.site, payload.lines)
    before = person.read_bytes()
    result = run("consent", "--source", network.site, "quelqu-un", "--grant", "name")
    assert result.code == 1 and "Traceback" not in result.err
    assert f"{PERSON}:{first + payload.line - 1}: error: " in result.err, result.err
    assert payload.says in result.err
    assert person.read_bytes() == before


@pytest.mark.parametrize("payload", PAYLOADS, ids=lambda payload: payload.name)
def test_keygen_reports_a_hostile_issuer_file(
    network: SignedNetwork, payload: Payload, tmp_path: Path
) -> None:
    issuer = "content/issuers/fablab.yaml"
    first = Place(issuer).plant(network.site, payload.lines)
    key_file = tmp_path / "new-key.pem"
    result = run("keygen", "fablab", "--source", network.site, "--key-file", key_file)
    assert result.code == 1 and "Traceback" not in result.err
    assert f"{issuer}:{first + payload.line - 1}: error: " in result.err, result.err
    assert payload.says in result.err
    assert not key_file.exists()


def test_the_keys_migration_refuses_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    issuer = tmp_path / "atelier.yaml"
    issuer.write_bytes("name: Caf\xe9\n".encode("latin-1"))
    with pytest.raises(YamlEditError, match="not valid UTF-8"):
        without_keys(issuer)


@pytest.mark.parametrize("payload", PAYLOADS, ids=lambda payload: payload.name)
def test_serve_finds_its_base_path_in_a_hostile_site_file(payload: Payload, tmp_path: Path) -> None:
    site = copy_site("minimal", tmp_path / "site")
    (site / "content" / "site.yaml").write_bytes(
        (payload.lines if isinstance(payload.lines, bytes) else payload.lines.encode())
        + b"base_url: https://example.org/served/\n"
    )
    assert _base_path(site) == "/"  # the build that follows reports the file


def test_serve_reads_its_base_path(tmp_path: Path) -> None:
    assert _base_path(copy_site("minimal", tmp_path / "site")) == "/test-network/"

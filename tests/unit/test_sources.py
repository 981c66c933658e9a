"""Reading YAML, Markdown front matter and JSON, with the line of every value and error."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.site.load import parsing as sources
from generator.site.load.json_strict import read_json
from generator.site.load.parsing import read_markdown, read_yaml, split_front_matter
from generator.site.model.problems import Location, Problem, Problems

ROOT = Path(__file__).resolve().parents[2]
FILE = Location("badges/laser-1.yaml")
PAGE = Location("content/pages/a-propos.md")


def _errors(problems: Problems) -> list[tuple[int | None, str]]:
    return [(p.location.line, p.message) for p in problems.items if p.severity == "error"]


# read_yaml: values and their lines


def test_lines_of_nested_keys_and_list_items() -> None:
    text = (
        "name: Laser\n"  # 1
        "alignment:\n"  # 2
        "  - name: Référentiel\n"  # 3
        "    url: https://example.org\n"  # 4
        "  - name: Autre\n"  # 5
        "valid_for:\n"  # 6
        "  years: 2\n"  # 7
        "tags: [a, b]\n"  # 8
    )
    problems = Problems()
    document = read_yaml(text, FILE, problems)
    assert problems.items == []
    assert document.value == {
        "name": "Laser",
        "alignment": [{"name": "Référentiel", "url": "https://example.org"}, {"name": "Autre"}],
        "valid_for": {"years": 2},
        "tags": ["a", "b"],
    }
    assert document.lines[("name",)] == 1
    assert document.lines[("alignment",)] == 2
    assert document.lines[("alignment", 0)] == 3
    assert document.lines[("alignment", 0, "name")] == 3
    assert document.lines[("alignment", 0, "url")] == 4
    assert document.lines[("alignment", 1)] == 5
    assert document.lines[("alignment", 1, "name")] == 5
    assert document.lines[("valid_for",)] == 6
    assert document.lines[("valid_for", "years")] == 7
    assert document.lines[("tags", 1)] == 8


def test_at_gives_the_location_of_a_value_or_of_its_nearest_parent() -> None:
    document = read_yaml("name: Laser\nvalid_for:\n  years: 2\n", FILE, Problems())
    assert document.at(("valid_for", "years")) == Location(FILE.path, 3)
    assert document.at(("valid_for", "months")) == Location(FILE.path, 2)
    assert document.at(("unknown", "deeper")) == Location(FILE.path, 1)


def test_duplicate_key_is_reported_at_its_second_line_and_the_first_value_kept() -> None:
    problems = Problems()
    document = read_yaml("name: Laser\nlevel: expert\nname: Couture\n", FILE, problems)
    assert problems.items == [
        Problem(
            Location(FILE.path, 3),
            "error",
            "duplicate key 'name'; each key may appear only once, remove one of them",
        )
    ]
    assert document.value == {"name": "Laser", "level": "expert"}


def test_duplicate_nested_key_is_reported_at_its_line() -> None:
    problems = Problems()
    read_yaml("valid_for:\n  years: 1\n  months: 2\n  years: 3\n", FILE, problems)
    assert [p.location for p in problems.items] == [Location(FILE.path, 4)]
    assert "duplicate key 'years'" in problems.items[0].message


def test_syntax_error_is_reported_at_its_line() -> None:
    problems = Problems()
    document = read_yaml("name: Laser\ntags: [a, b\nlevel: expert\n", FILE, problems)
    assert document.value is None
    assert _errors(problems) == [
        (
            2,
            "YAML syntax error: a '[' opened here is not closed (line 3: expected ',' or ']', "
            "but got ':'); fix the syntax",
        )
    ]


def test_an_unclosed_brace_is_reported_where_it_opens() -> None:
    problems = Problems()
    read_yaml("name: {fr: Découpe laser\ndescription: x\nlevel: expert\n", FILE, problems)
    assert _errors(problems) == [
        (
            1,
            "YAML syntax error: a '{' opened here is not closed (line 2: expected ',' or '}', "
            "but got ':'); fix the syntax",
        )
    ]


def test_an_unclosed_quote_is_reported_where_it_opens() -> None:
    problems = Problems()
    read_yaml('name: Laser\ndescription: "Découpe\nlevel: expert\n', FILE, problems)
    assert [line for line, _ in _errors(problems)] == [2]
    assert "a quote opened here is not closed" in problems.items[0].message


def test_bad_indentation_is_reported_at_its_line() -> None:
    problems = Problems()
    read_yaml("name: Laser\ndescription: x\n  level: expert\n", FILE, problems)
    assert len(problems.items) == 1
    assert problems.items[0].location == Location(FILE.path, 3)
    assert problems.items[0].message.startswith("YAML syntax error: ")
    assert problems.items[0].message.endswith("; fix the syntax")


def test_dates_and_timestamps_stay_strings() -> None:
    text = "approved_on: 2024-01-15\nvalid_from: 2026-01-31T10:00:00Z\nlocal: 2026-01-31 10:00\n"
    document = read_yaml(text, FILE, Problems())
    assert document.value == {
        "approved_on": "2024-01-15",
        "valid_from": "2026-01-31T10:00:00Z",
        "local": "2026-01-31 10:00",
    }
    assert all(type(value) is str for value in document.value.values())


def test_other_scalars_keep_their_yaml_types() -> None:
    document = read_yaml("years: 2\nlat: 48.39\nflag: true\nnothing: null\n", FILE, Problems())
    assert document.value == {"years": 2, "lat": 48.39, "flag": True, "nothing": None}


def test_empty_file_gives_none_without_problem() -> None:
    for text in ("", "\n\n", "# only a comment\n"):
        problems = Problems()
        document = read_yaml(text, FILE, problems)
        assert document.value is None
        assert problems.items == []


def test_line_offset_shifts_every_line() -> None:
    problems = Problems()
    document = read_yaml("a: 1\nb: 2\na: 3\n", FILE, problems, line_offset=10)
    assert document.lines[("b",)] == 12
    assert [p.location.line for p in problems.items] == [13]


# split_front_matter and read_markdown


def test_split_front_matter_gives_yaml_body_and_the_body_first_line() -> None:
    text = "---\ntitle: À propos\nmenu: 1\n---\n## Une page\n"
    assert split_front_matter(text) == ("title: À propos\nmenu: 1\n", "## Une page\n", 5)


def test_split_front_matter_accepts_dots_as_closing_line() -> None:
    assert split_front_matter("---\ntitle: x\n...\nbody\n") == ("title: x\n", "body\n", 4)


def test_split_front_matter_without_front_matter() -> None:
    assert split_front_matter("## Title\n---\n") == (None, "## Title\n---\n", 1)
    assert split_front_matter("") == (None, "", 1)


def test_split_front_matter_never_closed_is_all_body() -> None:
    text = "---\ntitle: x\nbody\n"
    assert split_front_matter(text) == (None, text, 1)


def test_read_markdown_lines_are_those_of_the_file() -> None:
    problems = Problems()
    front, body = read_markdown("---\ntitle: À propos\nmenu: 1\n---\nTexte\n", PAGE, problems)
    assert problems.items == []
    assert front.value == {"title": "À propos", "menu": 1}
    assert front.lines[("title",)] == 2
    assert front.lines[("menu",)] == 3
    assert front.at(("menu",)) == Location(PAGE.path, 3)
    assert body == "Texte\n"


def test_read_markdown_error_on_file_line_3_reports_line_3() -> None:
    problems = Problems()
    read_markdown("---\ntitle: À propos\ntitle: About\n---\nTexte\n", PAGE, problems)
    assert [p.location for p in problems.items] == [Location(PAGE.path, 3)]
    assert "duplicate key 'title'" in problems.items[0].message


def test_read_markdown_syntax_error_reports_the_file_line() -> None:
    problems = Problems()
    front, _ = read_markdown("---\ntitle: x\nmenu: [1\nother: 2\n---\nTexte\n", PAGE, problems)
    assert [p.location for p in problems.items] == [Location(PAGE.path, 3)]  # where [ opened
    assert problems.items[0].message.startswith("YAML syntax error: ")
    assert front.value == {}


def test_read_markdown_without_front_matter_has_an_empty_one() -> None:
    problems = Problems()
    front, body = read_markdown("## Titre\n", PAGE, problems)
    assert front.value == {}
    assert body == "## Titre\n"
    assert problems.items == []


def test_read_markdown_with_empty_front_matter() -> None:
    problems = Problems()
    front, body = read_markdown("---\n---\nTexte\n", PAGE, problems)
    assert front.value == {}
    assert body == "Texte\n"


# read_json


def test_read_json_value() -> None:
    problems = Problems()
    document = read_json('{"a": [1, 2]}', Location("x.json"), problems)
    assert document.value == {"a": [1, 2]}
    assert problems.items == []


def test_read_json_syntax_error_line() -> None:
    problems = Problems()
    document = read_json('{\n  "a": 1,\n  "b": 2,\n}\n', Location("x.json"), problems)
    assert document.value is None
    assert problems.items == [
        Problem(
            Location("x.json", 4),
            "error",
            "JSON syntax error: Expecting property name enclosed in double quotes; fix the syntax",
        )
    ]


# read_yaml: libyaml's parser (fast path) and the pure-Python one (messages) agree


def test_fast_parser_gives_the_values_and_lines_of_the_pure_python_parser(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    files = sorted(
        path
        for folder in ("content", "badges", "tests/sites", "tests/invalid")
        for path in (ROOT / folder).rglob("*.yaml")
    )
    assert len(files) > 20
    for path in files:
        text = path.read_text("utf-8")
        fast_problems = Problems()
        fast = read_yaml(text, FILE, fast_problems)
        with monkeypatch.context() as patched:
            patched.setattr(sources, "_FastLoader", sources._Loader)
            slow_problems = Problems()
            slow = read_yaml(text, FILE, slow_problems)
        assert (fast.value, fast.lines) == (slow.value, slow.lines), path
        assert _errors(fast_problems) == _errors(slow_problems), path

"""The messages schema.check prints: each says what is wrong, where, and what to do."""

from __future__ import annotations

import pytest

from generator.site.load import schema
from generator.site.load.parsing import Document, read_yaml
from generator.site.model.problems import Location, Problems

BADGE = "name: Laser\ndescription: Découpe\nscope: network\nstatus: proposed\n"
ISSUER = "name: Atelier\nurl: https://atelier.example.org\nemail: a@example.org\ndescription: d\n"
SITE = (
    "name: Réseau\n"
    "description: d\n"
    "base_url: https://example.org/\n"
    "language: fr\n"
    "network: reseau\n"
    "colours: {primary: '#204060', accent: '#d35400'}\n"
    "graphics_licence: CC BY-SA 4.0\n"
)
SKILLS = (
    "levels:\n"
    "  debutant: {name: Débutant, description: Premiers pas.}\n"
    "domains:\n"
    "  laser:\n"
    "    name: Laser\n"
    "    description: Découper.\n"
    "    colour: '#b03a2e'\n"
    "    symbol: laser\n"
)


def check(kind: str, text: str) -> list[str]:
    """The problems schema.check reports for a YAML text, as printed."""
    problems = Problems()
    document = read_yaml(text, Location("f.yaml"), problems)
    valid = schema.check(document, kind, problems)
    printed = [str(problem) for problem in problems.sorted()]
    assert valid == (printed == [])
    return printed


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        ("badge", BADGE),
        ("issuer", ISSUER),
        ("site", SITE),
        ("skills", SKILLS),
        ("page", "title: x"),
    ],
)
def test_valid_files_have_no_problem(kind: str, text: str) -> None:
    assert check(kind, text) == []


def test_unknown_field_with_suggestion() -> None:
    text = "name: Laser\ndescription: d\ndescripton: e\nscope: network\nstatus: proposed\n"
    assert check("badge", text) == [
        "f.yaml:3: error: unknown field 'descripton' (did you mean 'description'?); use one of: "
        "achievement_type, alignment, approved_on, credits_available, criteria, description, "
        "domain, field_of_study, human_code, image, level, name, original, retired_on, scope, "
        "status, tags, valid_for"
    ]


def test_unknown_field_without_close_name() -> None:
    assert check("page", "title: x\nzzz: 1\n") == [
        "f.yaml:2: error: unknown field 'zzz'; use one of: menu, search, title"
    ]


def test_unknown_nested_field_is_reported_at_its_own_line() -> None:
    text = (
        ISSUER
        + "machines:\n  laser-1:\n    name: L\n    domain: laser\n    level: a\n    modle: X\n"
    )
    assert check("issuer", text) == [
        "f.yaml:10: error: unknown field 'modle' (did you mean 'model'?); "
        "use one of: booking_url, domain, level, model, name"
    ]


def test_missing_field() -> None:
    assert check("badge", "name: Laser\nscope: network\nstatus: proposed\n") == [
        "f.yaml:1: error: missing field 'description'; add it"
    ]


def test_missing_nested_field_names_its_parent() -> None:
    text = BADGE + "alignment:\n  - framework: rome\n    code: G1202\n"
    assert check("badge", text) == ["f.yaml:6: error: missing field 'name' in alignment.0; add it"]


def test_enum_with_suggestion() -> None:
    assert check("badge", BADGE.replace("proposed", "aproved")) == [
        "f.yaml:4: error: status is 'aproved' (did you mean 'approved'?); "
        "use one of: approved, proposed, retired"
    ]


def test_enum_without_close_value() -> None:
    assert check("badge", BADGE.replace("proposed", "zzz")) == [
        "f.yaml:4: error: status is 'zzz'; use one of: approved, proposed, retired"
    ]


def test_wrong_type() -> None:
    assert check("page", "title: x\nmenu: premier\n") == [
        "f.yaml:2: error: menu must be of type integer, not string"
    ]
    assert check("badge", BADGE + "valid_for:\n  years: deux\n") == [
        "f.yaml:6: error: valid_for.years must be of type integer, not string"
    ]
    assert check("badge", BADGE + "tags: accueil\n") == [
        "f.yaml:5: error: tags must be of type array, not string"
    ]


def test_bad_slug() -> None:
    assert check("badge", BADGE + "domain: Découpe Laser\n") == [
        "f.yaml:5: error: domain 'Découpe Laser' is malformed; "
        "use lower-case letters, digits and single '-' (e.g. decoupe-laser)"
    ]


def test_bad_colour() -> None:
    assert check("skills", SKILLS.replace("'#b03a2e'", "red")) == [
        "f.yaml:7: error: domains.laser.colour 'red' is malformed; "
        "write a colour as #rrggbb (e.g. #c0392b)"
    ]


def test_bad_date() -> None:
    assert check("badge", BADGE + "approved_on: 15/01/2024\n") == [
        "f.yaml:5: error: approved_on '15/01/2024' is malformed; write a date as YYYY-MM-DD"
    ]


ENTRY = {
    "type": "KeyHistoryEntry",
    "issuer": "atelier",
    "version": 1,
    "date": "2026-01-01T00:00:00Z",
    "keys": [
        {
            "id": "key-1",
            "publicKeyMultibase": "z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
            "validFrom": "2026-01-01T00:00:00Z",
        }
    ],
    "proof": [],
}


def check_line(kind: str, value: dict[str, object]) -> list[str]:
    """The problems schema.check reports for one line of a log (its 3rd), as printed."""
    problems = Problems()
    schema.check(Document(Location("f.jsonl", 3), value), kind, problems)
    return [str(problem) for problem in problems.sorted()]


def test_bad_datetime() -> None:
    key = {**ENTRY["keys"][0], "validFrom": "2026-01-01"}  # type: ignore[index]
    assert check_line("key-history", {**ENTRY, "keys": [key]}) == [
        "f.jsonl:3: error: keys.0.validFrom '2026-01-01' is malformed; "
        "write a date and time with a time zone, such as 2026-01-31T10:00:00Z"
    ]


def test_keys_in_a_structure_file_say_where_they_live_now() -> None:
    assert check("issuer", ISSUER + "keys: []\n") == [
        "f.yaml:5: error: keys: keys are no longer written here: a structure's keys live in its "
        "key history, content/issuers/<slug>.keys.jsonl, where each change is signed; a network "
        "that still has 'keys:' runs 'python build.py init-trust' once, which moves them there "
        "(README, 'Keys: who may speak for a structure')"
    ]


def test_a_maintainer_is_an_account_or_a_team_without_at() -> None:
    assert check("issuer", ISSUER + "maintainers: [alice-m, fababrest/biklab]\n") == []
    assert check("issuer", ISSUER + "maintainers: ['@alice']\n") == [
        "f.yaml:5: error: maintainers.0 '@alice' is malformed; write a GitHub account "
        "(alice-martin) or a team of the network's organisation (fababrest/biklab), without '@'"
    ]


def test_bad_url() -> None:
    text = ISSUER.replace("https://atelier.example.org", "atelier.example.org")
    assert check("issuer", text) == [
        "f.yaml:2: error: url 'atelier.example.org' is malformed; "
        "write an absolute URL starting with https://"
    ]


def test_bad_email() -> None:
    assert check("issuer", ISSUER.replace("a@example.org", "contact-at-example.org")) == [
        "f.yaml:3: error: email 'contact-at-example.org' is malformed; "
        "write an email address such as contact@example.org"
    ]


def test_bad_language_code() -> None:
    assert check("site", SITE.replace("language: fr", "language: FR")) == [
        "f.yaml:4: error: language 'FR' is malformed; use a two-letter language code such as fr or en"
    ]


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("[Laser, Découpe]", id="list"),
        pytest.param("''", id="empty"),
        pytest.param("{fr: Laser, english: Laser}", id="bad-language"),
        pytest.param("42", id="number"),
    ],
)
def test_text_field_given_something_else(value: str) -> None:
    assert check("badge", BADGE.replace("name: Laser", f"name: {value}")) == [
        "f.yaml:1: error: name must be a text, or a mapping of language code to text "
        "(e.g. fr: …, en: …)"
    ]


def test_out_of_range() -> None:
    assert check("issuer", ISSUER + "coordinates: {lat: 100, lon: 0}\n") == [
        "f.yaml:5: error: coordinates.lat is out of range (100 is greater than the maximum of 90)"
    ]


def test_empty_and_duplicate_items() -> None:
    assert check("badge", BADGE + "valid_for: {}\n") == [
        "f.yaml:5: error: valid_for must not be empty"
    ]
    assert check("badge", BADGE + "tags: [a, a]\n") == [
        "f.yaml:5: error: tags has duplicate items; remove the repeated one"
    ]


def test_const() -> None:
    assert check_line("key-history", {**ENTRY, "type": "KeyEntry"}) == [
        "f.jsonl:3: error: type must be 'KeyHistoryEntry'"
    ]


def test_a_file_that_is_not_a_mapping() -> None:
    assert check("badge", "- name: Laser\n") == [
        "f.yaml: error: expected a mapping of fields; "
        "see the schema generator/schemas/badge.schema.json"
    ]


def test_every_problem_is_reported_not_only_the_first() -> None:
    text = "name: Laser\ndescription: d\nscope: network\nstatus: aproved\ndomain: Laser\n"
    assert len(check("badge", text)) == 2

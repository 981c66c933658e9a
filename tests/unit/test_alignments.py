"""A badge's alignments with skill frameworks: each known framework's code checked by form,
every problem located and said with the expected form, and what the documents carry."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from generator.openbadges import ob3
from generator.site.check.content import check_content
from generator.site.load.network import load_network
from generator.site.model.frameworks import FRAMEWORKS, known_framework, slug_of
from generator.site.model.network import Network
from generator.site.model.problems import Problems
from generator.site.model.urls import Urls
from generator.site.render import documents
from generator.site.render.aligned_skills import aligned_skills, alignment_views

from ..test_standard_schemas import schema_errors

MakeSite = Callable[..., Path]
BADGE = "badges/laser-debutant.yaml"
HEAD = (
    "name: {fr: Laser - Débutant, en: Laser - Beginner}\n"
    "description: {fr: A découpé une première pièce., en: Cut a first piece.}\n"
    "criteria: {fr: Avoir découpé une pièce., en: Cut a piece.}\n"
    "domain: laser\n"
    "level: debutant\n"
    "scope: network\n"
    "status: approved\n"
    "approved_on: 2024-01-15\n"
)  # 8 lines: the first entry of `alignment:` is on line 10
# Published identifiers (README: "Aligning a badge with skill frameworks").
ESCO_SKILL = "http://data.europa.eu/esco/skill/45bef06d-dba9-4192-9805-2f7d27523638"
ESCO_OTHER = "http://data.europa.eu/esco/skill/ff64e9fc-36dd-4035-872a-83aa41dc1ad9"


def _badge(alignment: str, extra: str = "") -> str:
    return HEAD + extra + "alignment:\n" + alignment


def _problems(minimal_site: MakeSite, text: str) -> list[str]:
    problems = Problems()
    network = load_network(minimal_site({BADGE: text}), problems)
    check_content(network, problems)
    return [str(problem) for problem in problems.sorted()]


def _network(minimal_site: MakeSite, files: str | dict[str, str]) -> Network:
    problems = Problems()
    given = files if isinstance(files, dict) else {BADGE: files}
    network = load_network(minimal_site(given), problems)
    check_content(network, problems)
    assert problems.items == []
    return network


VALID = [
    f"  - {{framework: esco, code: '{ESCO_SKILL}', name: operate laser cutting equipment}}\n",
    "  - {framework: ESCO, code: 'http://data.europa.eu/esco/occupation/"
    "00030d09-2b3a-4efd-87cc-c4ea39d27c34', name: technical director}\n",
    "  - {framework: rome, code: G1202, name: Animation d'activités culturelles ou ludiques}\n",
    "  - {framework: rncp, code: RNCP123, name: Un titre}\n",
    "  - {framework: RS, code: RS45, name: Une certification}\n",
    "  - {framework: Référentiel régional, name: Usiner, url: 'https://example.org/r/1'}\n",
    "  - {name: Sans référentiel, url: 'https://example.org/r/2', type: 'ext:Savoir'}\n",
]


@pytest.mark.parametrize("entry", VALID)
def test_well_formed_alignments_pass(minimal_site: MakeSite, entry: str) -> None:
    assert _problems(minimal_site, _badge(entry)) == []


# (the entry, the one error it makes, at line 10)
INVALID = [
    (
        "  - {framework: esco, code: 'http://data.europa.eu/esco/skill/"
        "45BEF06D-DBA9-4192-9805-2F7D27523638', name: x}\n",
        "alignment.0.code 'http://data.europa.eu/esco/skill/45BEF06D-DBA9-4192-9805-2F7D27523638'"
        f" is not a code of ESCO (write '{ESCO_SKILL}'); write the concept's URI, "
        "http://data.europa.eu/esco/skill/<uuid> or http://data.europa.eu/esco/occupation/<uuid>,"
        " its UUID in lower case",
    ),
    (
        "  - {framework: esco, code: 'https://esco.ec.europa.eu/skill/45bef06d', name: x}\n",
        "alignment.0.code 'https://esco.ec.europa.eu/skill/45bef06d' is not a code of ESCO; "
        "write the concept's URI, http://data.europa.eu/esco/skill/<uuid> or "
        "http://data.europa.eu/esco/occupation/<uuid>, its UUID in lower case",
    ),
    (
        "  - {framework: rome, code: g1202, name: x}\n",
        "alignment.0.code 'g1202' is not a code of ROME 4.0 (write 'G1202'); "
        "write one capital letter and four digits, such as G1202",
    ),
    (
        "  - {framework: rome, code: G120, name: x}\n",
        "alignment.0.code 'G120' is not a code of ROME 4.0; "
        "write one capital letter and four digits, such as G1202",
    ),
    (
        "  - {framework: rncp, code: '12345', name: x}\n",
        "alignment.0.code '12345' is not a code of RNCP; "
        "write RNCP followed by the certification's number, RNCP<number>",
    ),
    (
        "  - {framework: rs, code: rs12, name: x}\n",
        "alignment.0.code 'rs12' is not a code of RS (write 'RS12'); "
        "write RS followed by the certification's number, RS<number>",
    ),
    (
        "  - {framework: rome, name: x}\n",
        "alignment.0: an alignment with ROME 4.0 needs its code; add code: one capital letter "
        "and four digits, such as G1202",
    ),
    (
        "  - {framework: Autre, code: A1, name: x}\n",
        "alignment.0 names framework 'Autre', so it needs the url of the entry's page; add url,"
        " or name a known framework: esco, rome, rncp, rs",
    ),
    (
        "  - {framework: rome, code: G1202, name: x, type: Competency}\n",
        "alignment.0.type 'Competency' is unknown (did you mean 'ceasn:Competency'?); use one "
        "of: CFItem, CFRubric, CFRubricCriterion, CFRubricCriterionLevel, CTDL, "
        "ceasn:Competency, ceterms:Credential, or an extension ext:<Name>",
    ),
    (
        "  - {framework: rome, code: G1202}\n",
        "missing field 'name' in alignment.0; add it",
    ),
]


@pytest.mark.parametrize(("entry", "message"), INVALID)
def test_each_malformed_alignment_is_one_located_error(
    minimal_site: MakeSite, entry: str, message: str
) -> None:
    assert _problems(minimal_site, _badge(entry)) == [f"{BADGE}:10: error: {message}"]


def test_every_alignment_problem_in_one_run(minimal_site: MakeSite) -> None:
    entries = (
        "  - {framework: rome, code: g1202, name: x}\n"
        f"  - {{framework: esco, code: '{ESCO_SKILL}', name: fine}}\n"
        "  - {framework: rncp, code: RNCP0, name: x}\n"
    )
    found = _problems(minimal_site, _badge(entries, extra="achievement_type: Bagde\n"))
    assert [line.split(": error: ")[0] for line in found] == [
        f"{BADGE}:9",
        f"{BADGE}:11",
        f"{BADGE}:13",
    ]
    assert "achievement_type 'Bagde' is unknown (did you mean 'Badge'?)" in found[0]


def test_known_frameworks_give_the_entry_page_and_type() -> None:
    esco, rome = FRAMEWORKS["esco"], FRAMEWORKS["rome"]
    assert known_framework(" Esco ") is esco and known_framework("ROME 4.0") is None
    assert esco.target_url(ESCO_SKILL) == ESCO_SKILL
    assert esco.target_type(ESCO_SKILL) == "ceasn:Competency"
    occupation = ESCO_SKILL.replace("skill", "occupation")
    assert esco.target_type(occupation) == "ext:Occupation"
    assert esco.page_code(ESCO_SKILL) == "skill-45bef06d-dba9-4192-9805-2f7d27523638"
    assert rome.target_url("G1202") == (
        "https://candidat.francetravail.fr/metierscope/fiche-metier/G1202"
    )
    assert (rome.page_code("G1202"), rome.target_type("G1202")) == ("g1202", "ext:Occupation")
    assert FRAMEWORKS["rncp"].target_url("RNCP123") == (
        "https://www.francecompetences.fr/recherche/rncp/123/"
    )
    assert FRAMEWORKS["rs"].target_url("RS45") == (
        "https://www.francecompetences.fr/recherche/rs/45/"
    )
    assert FRAMEWORKS["rs"].target_type("RS45") == "ceterms:Credential"
    assert slug_of("Référentiel régional !") == "referentiel-regional"
    assert slug_of("—") == ""


ALIGNED = _badge(
    f"  - {{framework: esco, code: '{ESCO_SKILL}', name: {{en: operate laser cutting equipment}}}}\n"
    "  - framework: rome\n"
    "    code: G1202\n"
    "    name: {fr: Animation d'activités culturelles ou ludiques}\n"
    "    description: {fr: Une description., en: A description.}\n"
    "  - {framework: Référentiel régional, code: NUM-3, name: Usiner, "
    "url: 'https://example.org/r/num-3', type: 'ext:Savoir'}\n",
    extra=(
        "achievement_type: MicroCredential\n"
        "human_code: LAS-1\n"
        "field_of_study: {fr: Fabrication numérique, en: Digital fabrication}\n"
        "credits_available: 1.5\n"
    ),
)


def test_the_achievement_carries_alignments_and_its_fields_and_passes_1edtech_schema(
    minimal_site: MakeSite,
) -> None:
    network = _network(minimal_site, ALIGNED)
    urls = Urls(network.site.base_url, network.site.language)
    badge = network.badges["laser-debutant"]
    achievement = documents.achievement(network, badge, urls, "badges/laser-debutant/image.png")
    assert achievement["alignment"] == [
        {
            "type": ["Alignment"],
            "targetName": "operate laser cutting equipment",
            "targetUrl": ESCO_SKILL,
            "targetFramework": "ESCO",
            "targetCode": ESCO_SKILL,
            "targetType": "ceasn:Competency",
        },
        {
            "type": ["Alignment"],
            "targetName": "Animation d'activités culturelles ou ludiques",
            "targetUrl": "https://candidat.francetravail.fr/metierscope/fiche-metier/G1202",
            "targetDescription": "Une description.",
            "targetFramework": "ROME 4.0",
            "targetCode": "G1202",
            "targetType": "ext:Occupation",
        },
        {
            "type": ["Alignment"],
            "targetName": "Usiner",
            "targetUrl": "https://example.org/r/num-3",
            "targetFramework": "Référentiel régional",
            "targetCode": "NUM-3",
            "targetType": "ext:Savoir",
        },
    ]
    assert (achievement["achievementType"], achievement["humanCode"]) == (
        "MicroCredential",
        "LAS-1",
    )
    assert (achievement["fieldOfStudy"], achievement["creditsAvailable"]) == (
        "Fabrication numérique",
        1.5,
    )
    assert schema_errors(achievement, "Achievement") == []
    # OB 2.0's AlignmentObject has no targetType; the rest is the same.
    issuer = network.issuers["atelier"]
    badge_class = documents.badge_class(network, issuer, badge, urls, "x.png")
    assert badge_class["alignment"] == [
        {key: value for key, value in entry.items() if key not in ("type", "targetType")}
        for entry in achievement["alignment"]
    ]


def test_the_schema_check_is_live_for_alignments() -> None:
    """Negative control: 1EdTech's schema refuses an Alignment without targetUrl, and a
    targetType outside its vocabulary."""
    entry = {"type": ["Alignment"], "targetName": "x", "targetUrl": "https://example.org/"}
    document = ob3.achievement(
        achievement_id="https://example.org/a.json",
        name="n",
        description="d",
        criteria_id="https://example.org/c",
        criteria_narrative="c",
        image_id="https://example.org/i.png",
        creator={"id": "https://example.org/p.json", "type": ["Profile"], "name": "p"},
        language="fr",
        tags=[],
        alignments=[],
    )
    assert schema_errors({**document, "alignment": [entry]}, "Achievement") == []
    no_url = {key: value for key, value in entry.items() if key != "targetUrl"}
    assert schema_errors({**document, "alignment": [no_url]}, "Achievement")
    wrong_type = {**entry, "targetType": "Occupation"}
    assert schema_errors({**document, "alignment": [wrong_type]}, "Achievement")


def test_entries_sharing_a_code_share_a_page(minimal_site: MakeSite) -> None:
    expert = (
        "name: Laser - Expert\ndescription: Expert.\ncriteria: Expert.\n"
        "domain: laser\nlevel: expert\nscope: network\nstatus: proposed\n"
        "alignment:\n  - {framework: ROME, code: G1202, name: Animation}\n"
        f"  - {{framework: esco, code: '{ESCO_OTHER}', name: x}}\n"
    )
    network = _network(minimal_site, {BADGE: ALIGNED, "badges/laser-expert.yaml": expert})
    skills = aligned_skills(network)
    assert [skill.segments for skill in skills] == [
        ("esco", "skill-45bef06d-dba9-4192-9805-2f7d27523638"),
        ("esco", "skill-ff64e9fc-36dd-4035-872a-83aa41dc1ad9"),
        ("rome", "g1202"),
        ("referentiel-regional", "num-3"),
    ]
    rome = skills[2]
    assert [badge.slug for badge in rome.badges] == ["laser-debutant", "laser-expert"]
    assert (rome.framework_name, rome.code) == ("ROME 4.0", "G1202")
    views = alignment_views(network.badges["laser-debutant"])
    assert [view.segments for view in views] == [
        skills[0].segments,
        skills[2].segments,
        skills[3].segments,
    ]

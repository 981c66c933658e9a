"""The load stage: content files to the typed model, and what it reports when it cannot."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from generator.site.check.content import check_content
from generator.site.load.network import load_network
from generator.site.model.network import Duration, Network, Text
from generator.site.model.problems import Location, Problems

from ..conftest import write_files

MakeSite = Callable[..., Path]


def _load(root: Path) -> tuple[Network, list[str]]:
    problems = Problems()
    network = load_network(root, problems)
    return network, [str(problem) for problem in problems.sorted()]


def _load_and_verify(root: Path) -> list[str]:
    problems = Problems()
    network = load_network(root, problems)
    check_content(network, problems)
    return [str(problem) for problem in problems.sorted()]


@pytest.fixture
def network(minimal_site: MakeSite) -> Network:
    loaded, problems = _load(minimal_site())
    assert problems == []
    return loaded


def test_site(network: Network) -> None:
    site = network.site
    assert site.name == "Réseau Test"
    assert site.description == Text(
        (
            ("fr", "Un petit réseau complet pour les tests"),
            ("en", "A small complete network for tests"),
        )
    )
    assert site.base_url == "https://example.org/test-network/"
    assert site.language == "fr"
    assert site.languages == ("fr", "en")
    assert site.network == "reseau"
    assert site.contact_email == "contact@reseau.example.org"
    assert site.contact_url == "https://reseau.example.org"
    assert site.logo is None
    assert (site.colours.primary, site.colours.accent) == ("#204060", "#d35400")
    assert site.graphics_licence == "CC BY-SA 4.0"
    assert site.source == Location("content/site.yaml")
    assert site.at("base_url") == Location("content/site.yaml", 5)


def test_levels_in_order_with_rank(network: Network) -> None:
    levels = network.skills.levels
    assert [(level.slug, level.rank) for level in levels] == [("debutant", 1), ("expert", 2)]
    assert levels[0].name.get("en") == "Beginner"
    assert levels[0].description.get("fr") == "Premiers pas."
    assert levels[1].source == Location("content/skills.yaml", 5)
    assert network.skills.level("expert") is levels[1]
    assert network.skills.level("nope") is None


def test_domains(network: Network) -> None:
    domains = network.skills.domains
    assert [domain.slug for domain in domains] == ["laser", "couture"]
    laser, couture = domains
    assert laser.name == Text((("fr", "Découpe laser"), ("en", "Laser cutting")))
    assert (laser.colour, laser.symbol) == ("#b03a2e", "laser")
    assert laser.source == Location("content/skills.yaml", 9)
    # A plain string is a text in the default language, and the only one.
    assert couture.description == Text((("fr", "Coudre à la machine."),))
    assert couture.description.get("en") == "Coudre à la machine."


def test_issuers(network: Network) -> None:
    assert sorted(network.issuers) == ["atelier", "reseau"]
    atelier = network.issuers["atelier"]
    assert atelier.slug == "atelier"
    assert atelier.name == "Atelier Test"
    assert atelier.email == "contact@atelier.example.org"
    assert atelier.description.get("en") == "A test workshop."
    assert atelier.address == "1 rue du Test, 29200 Brest"
    assert atelier.coordinates is not None
    assert (atelier.coordinates.lat, atelier.coordinates.lon) == (48.39, -4.48)
    assert atelier.opening == Text((("fr", "Le mardi."),))
    assert atelier.awards == ("laser-debutant",)
    assert atelier.at("awards", 0) == Location("content/issuers/atelier.yaml", 8)
    [machine] = atelier.machines
    assert (machine.slug, machine.name, machine.domain, machine.model, machine.level) == (
        "laser-1",
        "Laser",
        "laser",
        "Test 1000",
        "debutant",
    )
    assert machine.booking_url is None
    assert machine.source == Location("content/issuers/atelier.yaml", 10)
    reseau = network.issuers["reseau"]
    assert (reseau.awards, reseau.machines, reseau.keys) == ((), (), ())
    assert reseau.coordinates is None and reseau.opening is None
    assert network.network_issuer is reseau


def test_badges(network: Network) -> None:
    assert sorted(network.badges) == [
        "atelier-accueil",
        "couture-debutant",
        "laser-debutant",
        "laser-expert",
    ]
    laser = network.badges["laser-debutant"]
    assert laser.name == Text((("fr", "Laser - Débutant"), ("en", "Laser - Beginner")))
    assert laser.name.get("en") == "Laser - Beginner"
    assert laser.description.get("fr") == "A découpé une première pièce."
    assert laser.criteria.get("en") == "- Attended the workshop.\n- Cut a piece."
    assert (laser.domain, laser.level, laser.tags) == ("laser", "debutant", ())
    assert (laser.scope, laser.status, laser.is_network_badge) == ("network", "approved", True)
    assert laser.valid_for == Duration(years=2)
    assert laser.approved_on == date(2024, 1, 15)
    assert laser.retired_on is None
    [alignment] = laser.alignments
    assert (alignment.name, alignment.url, alignment.framework, alignment.code) == (
        Text((("fr", "Référentiel test"),)),
        "https://example.org/referentiel",
        "Test",
        "T1",
    )
    assert alignment.description is None
    assert laser.image is not None and laser.image.path == "badges/laser-debutant.png"
    assert laser.at("level") == Location("badges/laser-debutant.yaml", 7)

    retired = network.badges["couture-debutant"]
    assert (retired.status, retired.approved_on, retired.retired_on) == (
        "retired",
        date(2020, 1, 1),
        date(2023, 6, 30),
    )
    assert retired.valid_for is None
    proposed = network.badges["laser-expert"]
    assert (proposed.status, proposed.approved_on) == ("proposed", None)
    local = network.badges["atelier-accueil"]
    assert (local.scope, local.is_network_badge, local.tags) == ("atelier", False, ("accueil",))
    assert (local.domain, local.level) == (None, None)
    assert local.image is not None and local.image.extension == "svg"


def test_awarders_and_awarded(network: Network) -> None:
    atelier = network.issuers["atelier"]
    assert network.awarders(network.badges["laser-debutant"]) == (atelier,)
    assert network.awarders(network.badges["atelier-accueil"]) == (atelier,)
    assert [badge.slug for badge in network.awarded_by(atelier)] == [
        "atelier-accueil",
        "laser-debutant",
    ]


def test_criteria_from_sibling_markdown_files(minimal_site: MakeSite) -> None:
    root = minimal_site({"badges/atelier-accueil.en.md": "- Welcomed three people.\n"})
    network, problems = _load(root)
    assert problems == []
    assert network.badges["atelier-accueil"].criteria == Text(
        (("fr", "- Avoir accueilli trois personnes.\n"), ("en", "- Welcomed three people.\n"))
    )


def test_criteria_default_language_first_whatever_the_file_order(
    minimal_site: MakeSite,
) -> None:
    root = minimal_site({"badges/atelier-accueil.br.md": "Degemer.\n"})
    network, _ = _load(root)
    assert [lang for lang, _ in network.badges["atelier-accueil"].criteria.values] == ["fr", "br"]


def test_pages_with_translations_and_menu(network: Network) -> None:
    assert sorted(network.pages) == ["a-propos", "index"]
    about = network.pages["a-propos"]
    assert about.title == Text((("fr", "À propos"), ("en", "About")))
    assert about.body.get("en") == "## A page\n"
    assert about.body.get("fr").startswith("## Une page\n")
    assert about.menu == 1
    assert about.source == Location("content/pages/a-propos.md")
    home = network.pages["index"]
    assert home.menu is None
    assert home.title == Text((("fr", "Bienvenue"),))
    # The loader keeps the author's text; sanitising is rendering's job.
    assert "<script>" in home.body.get("fr")


def test_nothing_is_unreadable_in_a_valid_site(network: Network) -> None:
    assert network.unreadable == frozenset()


def test_criteria_both_inline_and_in_a_markdown_file(minimal_site: MakeSite) -> None:
    root = minimal_site(
        {"badges/laser-expert.md": "Être vraiment expert.\n"}  # laser-expert has inline criteria
    )
    _, problems = _load(root)
    assert problems == [
        "badges/laser-expert.yaml:3: error: criteria are written both here and in "
        "badges/laser-expert.md; keep only one"
    ]


def test_badge_without_criteria(minimal_site: MakeSite) -> None:
    _, problems = _load(minimal_site({"badges/atelier-accueil.md": None}))
    assert problems == [
        "badges/atelier-accueil.yaml:1: error: the badge has no criteria; "
        "add a 'criteria' field or a atelier-accueil.md file"
    ]


def test_yml_extension_is_reported(minimal_site: MakeSite) -> None:
    root = minimal_site()
    write_files(
        root,
        {"badges/soudure.yml": "name: Soudure\ndescription: x\nscope: network\nstatus: proposed\n"},
    )
    network, problems = _load(root)
    assert problems == [
        "badges/soudure.yml: error: use the .yaml extension, not .yml; rename the file"
    ]
    assert "soudure" not in network.badges


def test_image_path_escaping_the_repository_is_refused(
    minimal_site: MakeSite, tmp_path: Path
) -> None:
    (tmp_path / "outside.png").write_bytes(b"\x89PNG not really")
    root = minimal_site(
        {
            "badges/laser-expert.yaml": (
                "name: Laser - Expert\ndescription: x\ncriteria: y\ndomain: laser\n"
                "level: expert\nscope: network\nstatus: proposed\nimage: ../../outside.png\n"
            )
        }
    )
    assert (root / "badges" / "../../outside.png").resolve().is_file()
    network, problems = _load(root)
    assert problems == [
        "badges/laser-expert.yaml:8: error: '../../outside.png' points outside the "
        "repository; keep files inside it"
    ]
    assert network.badges["laser-expert"].image is None


def test_image_named_in_the_yaml_must_exist(minimal_site: MakeSite) -> None:
    root = minimal_site(
        {
            "badges/laser-expert.yaml": (
                "name: Laser - Expert\ndescription: x\ncriteria: y\ndomain: laser\n"
                "level: expert\nscope: network\nstatus: proposed\nimage: images/laser.png\n"
            )
        }
    )
    _, problems = _load(root)
    assert problems == [
        "badges/laser-expert.yaml:8: error: file 'images/laser.png' not found next to "
        "badges/laser-expert.yaml; add it or fix the name"
    ]


def test_non_utf8_file_is_reported(minimal_site: MakeSite) -> None:
    root = minimal_site({"badges/laser-expert.yaml": "name: Caf\xe9\n".encode("latin-1")})
    network, problems = _load(root)
    assert len(problems) == 1
    assert problems[0].startswith("badges/laser-expert.yaml:1: error: not valid UTF-8 (")
    assert problems[0].endswith("); save it as UTF-8")
    assert "laser-expert" not in network.badges
    assert "badge:laser-expert" in network.unreadable


def test_non_utf8_criteria_file_is_reported(minimal_site: MakeSite) -> None:
    root = minimal_site({"badges/atelier-accueil.md": "Caf\xe9\n".encode("latin-1")})
    _, problems = _load(root)
    assert len(problems) == 1
    assert problems[0].startswith("badges/atelier-accueil.md:1: error: not valid UTF-8 (")


def test_empty_file_is_reported(minimal_site: MakeSite) -> None:
    network, problems = _load(minimal_site({"badges/laser-expert.yaml": ""}))
    assert problems == [
        "badges/laser-expert.yaml: error: the file is empty; "
        "see generator/schemas/badge.schema.json"
    ]
    assert "badge:laser-expert" in network.unreadable


def test_missing_site_file_stops_the_load(minimal_site: MakeSite) -> None:
    from generator.site.model.problems import BuildFailed

    root = minimal_site({"content/site.yaml": None})
    with pytest.raises(BuildFailed) as failed:
        load_network(root, Problems())
    assert [str(problem) for problem in failed.value.problems] == [
        "content/site.yaml: error: the network's settings file is missing; "
        "is --source the content repository?"
    ]


@pytest.mark.parametrize(
    "broken",
    [
        pytest.param("name: Atelier\n  url: [\n", id="yaml-syntax"),
        pytest.param("name: Atelier Test\n", id="schema"),
        pytest.param("name: Caf\xe9\n".encode("latin-1"), id="not-utf8"),
    ],
)
def test_unreadable_issuer_does_not_cascade(minimal_site: MakeSite, broken: str | bytes) -> None:
    # badges/atelier-accueil.yaml has scope: atelier; the issuer's own error is enough.
    problems = _load_and_verify(minimal_site({"content/issuers/atelier.yaml": broken}))
    assert problems, "the broken issuer file must be reported"
    assert all(problem.startswith("content/issuers/atelier.yaml") for problem in problems), problems


def test_unreadable_badge_does_not_cascade_into_awards(minimal_site: MakeSite) -> None:
    # content/issuers/atelier.yaml awards laser-debutant.
    problems = _load_and_verify(minimal_site({"badges/laser-debutant.yaml": "name: [\n"}))
    assert problems
    assert all(problem.startswith("badges/laser-debutant.yaml") for problem in problems), problems


def test_unreadable_home_page_does_not_cascade(minimal_site: MakeSite) -> None:
    problems = _load_and_verify(minimal_site({"content/pages/index.md": "---\ntitel: x\n---\n"}))
    assert problems
    assert all(problem.startswith("content/pages/index.md:") for problem in problems), problems
    assert not any("no home page text" in problem for problem in problems)


def test_non_utf8_page_does_not_cascade(minimal_site: MakeSite) -> None:
    root = minimal_site(
        {
            "content/pages/index.md": "Caf\xe9\n".encode("latin-1"),
            "content/pages/a-propos.md": "Caf\xe9\n".encode("latin-1"),
        }
    )
    problems = _load_and_verify(root)
    assert len(problems) == 2, problems
    assert problems[0].startswith("content/pages/a-propos.md:1: error: not valid UTF-8")
    assert problems[1].startswith("content/pages/index.md:1: error: not valid UTF-8")


def test_yml_issuer_does_not_cascade(minimal_site: MakeSite) -> None:
    root = minimal_site()
    (root / "content/issuers/atelier.yaml").rename(root / "content/issuers/atelier.yml")
    problems = _load_and_verify(root)
    assert problems == [
        "content/issuers/atelier.yml: error: use the .yaml extension, not .yml; rename the file"
    ]


def test_page_saved_with_a_byte_order_mark(minimal_site: MakeSite) -> None:
    # Windows editors save UTF-8 with a BOM; YAML files with one already load.
    root = minimal_site({"content/pages/index.md": "\ufeff---\ntitle: Bienvenue\n---\nTexte\n"})
    network, problems = _load(root)
    assert problems == []
    assert network.pages["index"].title.get("fr") == "Bienvenue"


def test_badge_saved_with_a_byte_order_mark(minimal_site: MakeSite) -> None:
    text = (
        "\ufeffname: Laser - Expert\ndescription: x\ncriteria: y\n"
        "domain: laser\nlevel: expert\nscope: network\nstatus: proposed\n"
    )
    network, problems = _load(minimal_site({"badges/laser-expert.yaml": text}))
    assert problems == []
    assert network.badges["laser-expert"].name.get("fr") == "Laser - Expert"

"""The example site's portfolio, structure and map pages, and its English pages: what they
list first, what their counts count, and the language of what they quote."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import pytest

from generator.site.render.wording import long_date


@pytest.fixture
def site(example_site: Path) -> Path:
    """The example network, built once per session (tests/published_sites.py)."""
    return example_site


def page(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text("utf-8")


def main(html: str) -> str:
    return html.split("<main", 1)[1].split("</main>", 1)[0]


def test_portfolio_shows_the_badges_held_then_the_next_step(site: Path) -> None:
    html = main(page(site, "people/alice-m"))
    assert "<h1>Les badges d\u2019Alice Martin</h1>" in html
    assert "pas encore obtenu" not in html
    held, upcoming = html.split('id="next-title"', 1)
    assert re.search(r'<img src="/open-badges/badges/decoupe-laser-premiers-pas/image\.png"', held)
    assert "Décerné par BIK&#39;LAB le 12 mars 2024" in held
    # the next level of the laser-cutting pathway, and nothing further along it
    assert "/badges/decoupe-laser-utilisateur-autonome/" in upcoming
    assert "/badges/decoupe-laser-animateur/" not in upcoming


def test_portfolio_in_english(site: Path) -> None:
    assert "<h1>Alice Martin\u2019s badges</h1>" in page(site, "en/people/alice-m")


def test_structure_lists_badges_awarded_first_then_those_it_may_award(site: Path) -> None:
    html = main(page(site, "issuers/biklab"))
    awarded, may_award = html.split('id="awarded-title"', 1)[1].split('id="may-award-title"', 1)
    found = re.findall(r'href="/open-badges/badges/([a-z0-9-]+)/"', awarded)
    assert found == ["decoupe-laser-premiers-pas", "biklab-mediation-scientifique"]
    assert "0 titulaire" not in html
    assert "2 badges valides décernés par la structure." in awarded
    others = re.findall(
        r'href="/open-badges/badges/([a-z0-9-]+)/"', may_award.split("</section>")[0]
    )
    # by domain as content/skills.yaml lists them, then by level rank
    assert others[:3] == [
        "decoupe-laser-utilisateur-autonome",
        "decoupe-laser-formateur-mentor",
        "decoupe-laser-mainteneur",
    ]
    assert others[3] == "decoupe-vinyle-premiers-pas"


def test_map_counts_say_what_they_count(site: Path) -> None:
    html = main(page(site, "map"))
    entry = html.split("<strong>BIK&#39;LAB</strong>", 1)[1].split("</li>", 1)[0]
    assert "2 badges valides décernés · peut délivrer 15 badges du catalogue" in entry
    assert "badges délivrés" not in html


def test_map_pins_count_as_the_list_and_the_structure_page_do(site: Path) -> None:
    """Each pin's popup (map.js) says the list's counts and the badges awarded, with their
    count, in the structure page's order; not every badge the structure may award."""
    html = main(page(site, "map"))
    markers = json.loads(unescape(re.search(r"data-markers='([^']*)'", html)[1]))
    [biklab] = [marker for marker in markers if marker["name"] == "BIK'LAB"]
    assert biklab["counts"] == "2 badges valides décernés · peut délivrer 15 badges du catalogue"
    structure = main(page(site, "issuers/biklab")).split('id="awarded-title"', 1)[1]
    names = re.findall(
        r"<span class=\"badge-card-name\"[^>]*>([^<]*)</span>", structure.split("</section>")[0]
    )
    assert (
        [(badge["name"], badge["count"]) for badge in biklab["awarded"]]
        == [(unescape(name), 1) for name in names]
        == [("Découpe laser - 1er pas", 1), ("Médiation science et société", 1)]
    )
    assert "badges" not in biklab
    assert 'data-label-badges="Badges décernés :"' in html


def test_english_pages_mark_french_fragments(site: Path) -> None:
    revoked = page(site, "en/awards/fablab-exemple-port/20240420-6ebc5c6e")
    assert re.search(r'<span lang="fr">Délivré par erreur[^<]*</span>', revoked)
    structure = page(site, "en/issuers/biklab")
    assert '<dd><span lang="fr">Brest (adresse à compléter)</span></dd>' in structure
    # nothing of the kind on the French pages
    assert '<span lang="fr">' not in page(site, "awards/fablab-exemple-port/20240420-6ebc5c6e")


def test_the_plotter_is_named_in_good_french(site: Path) -> None:
    for path in ("badges/decoupe-vinyle-premiers-pas", "badges/decoupe-vinyle-animateur"):
        html = page(site, path)
        assert "de le plotter" not in html and "découverte du plotter" in html


def test_a_name_after_de_is_elided_everywhere(site: Path) -> None:
    """The portfolio's preview says what its heading says, and no French page writes "de"
    before a name that starts with a vowel sound ("de Alice", "de Atelier")."""
    head = page(site, "people/alice-m").split("</head>", 1)[0]
    assert re.findall(r'<meta property="og:title" content="([^"]*)">', head) == [
        "Les badges d\u2019Alice Martin"
    ]
    assert head.count('property="og:type"') == 1 and 'content="profile"' in head
    assert head.count('name="twitter:card"') == 1
    poster = page(site, "issuers/atelier-kerexemple/machines/plotter-vinyle")
    assert "l\u2019équipe d\u2019Atelier partagé de Kerexemple" in poster.split('class="poster"')[1]
    unelided = re.compile(r"\bde [AEIOUÉÈÊÀÂÎÔ]")
    found = [
        f"{path.relative_to(site)}: {match.group()}"
        for path in sorted(site.rglob("*.html"))
        if path.relative_to(site).parts[0] != "en"
        for match in unelided.finditer(path.read_text("utf-8"))
    ]
    assert found == []


def test_french_counts_take_the_singular_for_zero_and_one(site: Path) -> None:
    """French says "0 titulaire", "1 titulaire", "2 titulaires" (CLDR's rule), English
    "0 holders"; gettext's own rule would write "0 titulaires"."""
    zero_plural = re.compile(r"\b[01] (?:titulaires|badges|personnes|structures)\b")
    found = [
        f"{path.relative_to(site)}: {match.group()}"
        for path in sorted(site.rglob("*.html"))
        if path.relative_to(site).parts[0] != "en"
        for match in zero_plural.finditer(main(path.read_text("utf-8")))
    ]
    assert found == []
    assert re.search(r"\b0 titulaire\b", main(page(site, "map")))
    assert re.search(r"\b0 holders\b", main(page(site, "en/map")))


def test_an_earlier_award_reads_like_an_award(site: Path) -> None:
    """The page of an award another platform published: its dates in words, its state drawn
    (no emoji a font may lack), 'Décerné par' as on the structure's own awards."""
    shown = main(page(site, "earlier/fablab-exemple-port/20230610-9696328e"))
    assert '<time datetime="2023-06-10">10 juin 2023</time>' in shown
    assert "Décerné par" in shown and "Délivré par" not in shown
    english = main(page(site, "en/earlier/fablab-exemple-port/20230610-9696328e"))
    assert '<time datetime="2023-06-10">10 June 2023</time>' in english
    listed = main(page(site, "issuers/fablab-exemple-port"))
    assert '<time datetime="2023-06-10">10 juin 2023</time>' in listed
    for html in site.rglob("*.html"):
        assert not re.search("[⌛✗✓✔]", html.read_text("utf-8")), html


@pytest.mark.parametrize(
    ("day", "french", "english"),
    [
        ("2025-02-01", "1er février 2025", "1 February 2025"),
        ("2025-02-02", "2 février 2025", "2 February 2025"),
        ("2025-03-11", "11 mars 2025", "11 March 2025"),
    ],
)
def test_the_first_of_the_month_is_an_ordinal_in_french(
    day: str, french: str, english: str
) -> None:
    assert long_date(day, "fr") == french
    assert long_date(day, "en") == english


def test_the_example_prints_the_first_of_the_month_as_french_writes_it(site: Path) -> None:
    pages = [path.read_text("utf-8") for path in (site / "awards").glob("*/*/index.html")]
    assert any("1er mars 2025" in html for html in pages)
    assert not any(re.search(r"[^0-9]1 (janvier|février|mars|avril|mai|juin)", h) for h in pages)


def test_a_badge_title_never_wraps_into_a_line_that_starts_with_a_hyphen(site: Path) -> None:
    html = page(site, "awards/atelier-kerexemple/20250301-1815f182")
    assert "<h1>Découpe vinyle\u00a0- Animateur / animatrice</h1>" in html
    assert "<h1>Découpe vinyle - " not in html


def test_portfolio_says_each_badge_held_is_valid_and_marks_suggestions(site: Path) -> None:
    html = main(page(site, "people/alice-m"))
    held, suggested = html.split('id="next-title"', 1)
    assert held.count('class="tag tag-valid"') == held.count('class="badge-card is-earned"') == 1
    assert "is-suggested" not in held
    assert 'class="is-suggested"' in suggested and "À obtenir" in suggested
    assert "tag-valid" not in suggested

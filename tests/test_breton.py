"""Breton, a third language a network enables (issue 28): the example network in French,
English and Breton, every kind of page under br/ with lang="br" and hreflang between the
three; Breton texts where a file gives them, French marked lang="fr" where not; what `check`
says is left to translate; credentials as they were signed.

The example's pages are read as the session built them (`example_site`); a copy of the
minimal golden network, given Breton, shows what `check` lists. A network that does not
enable Breton builds as it did: the golden sites (tests/test_golden.py) are unchanged.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from generator.cli.commands import main

from .conftest import copy_site

BASE = "https://fababrest.github.io/open-badges/"
LANGUAGES = ("fr", "en", "br")

# One page of every kind, by its path in French (the root); br/ and en/ hold the others.
KINDS = {
    "home": "",
    "catalogue": "badges/",
    "badge": "badges/decoupe-laser-premiers-pas/",
    "structures": "issuers/",
    "structure": "issuers/biklab/",
    "machine": "issuers/atelier-kerexemple/machines/plotter-vinyle/",
    "page": "pages/charte/",
    "map": "map/",
    "domain": "map/decoupe-vinyle/",
    "framework entry": "map/frameworks/rome/g1202/",
    "award": "awards/biklab/20240312-ef961c53/",
    "earlier award": "earlier/fablab-exemple-port/20230610-9696328e/",
    "portfolio": "people/alice-m/",
}


def page(site: Path, language: str, path: str) -> str:
    prefix = "" if language == "fr" else f"{language}/"
    return (site / prefix / path / "index.html").read_text("utf-8")


def alternates(html: str) -> dict[str, str]:
    return dict(re.findall(r'<link rel="alternate" hreflang="([a-z]+)" href="([^"]+)">', html))


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_of_page_is_in_breton_with_hreflang_between_the_three(
    example_site: Path, kind: str
) -> None:
    path = KINDS[kind]
    expected = {
        language: BASE + ("" if language == "fr" else f"{language}/") + path
        for language in LANGUAGES
    }
    for language in LANGUAGES:
        html = page(example_site, language, path)
        assert f'<html lang="{language}">' in html
        assert alternates(html) == expected, (language, path)
    breton = page(example_site, "br", path)
    assert f'<link rel="canonical" href="{expected["br"]}">' in breton
    assert '<meta property="og:locale" content="br_FR">' in breton
    # the switcher: Breton is the current language, French and English lead to their pages
    assert '<span aria-current="true">BR</span>' in breton
    for language in ("fr", "en"):
        link = expected[language].removeprefix("https://fababrest.github.io")
        assert f'<a href="{link}" hreflang="{language}" lang="{language}">' in breton


def test_the_sitemap_lists_breton_pages_with_their_alternates(example_site: Path) -> None:
    sitemap = (example_site / "sitemap.xml").read_text("utf-8")
    entries = re.findall(r"<url>(.*?)</url>", sitemap, re.DOTALL)
    assert entries
    for entry in entries:
        languages = re.findall(r'hreflang="([a-z]+)"', entry)
        assert languages == list(LANGUAGES), entry
    assert f'hreflang="br" href="{BASE}br/badges/decoupe-laser-premiers-pas/"' in sitemap
    assert f"{BASE}br/awards/" not in sitemap  # award pages are noindex, in every language


def test_a_breton_text_is_shown_where_a_file_gives_one_and_french_marked_where_not(
    example_site: Path,
) -> None:
    translated = page(example_site, "br", "badges/decoupe-laser-premiers-pas/")
    assert '<h1 lang="br">Troc\u2019hañ laser - Kammedoù kentañ</h1>' in translated
    assert "Anavezout ar reolennoù surentez diazez" in translated  # its .br.md criteria
    untranslated = page(example_site, "br", "badges/decoupe-vinyle-premiers-pas/")
    assert '<h1 lang="fr">Découpe vinyle - 1er pas</h1>' in untranslated
    charter = page(example_site, "br", "pages/charte/")
    assert "<h1>Karta an engouestloù</h1>" in charter and 'lang="fr"' not in charter.split(
        "<main", 1
    )[1]
    approach = page(example_site, "br", "pages/la-demarche/")
    assert re.search(r'<h1><span lang="fr">[^<]+</span></h1>', approach)
    assert '<article class="prose" lang="fr">' in approach  # its body, in French


def test_breton_pages_say_dates_and_counts_in_breton(example_site: Path) -> None:
    award = page(example_site, "br", "awards/biklab/20240312-ef961c53/")
    assert "12 Meurzh 2024" in award
    revoked = page(example_site, "br", "awards/fablab-exemple-port/20240420-6ebc5c6e/")
    assert "Badj nullet</strong> — 2 Mae 2024" in revoked
    structure = page(example_site, "br", "issuers/biklab/")
    counts = re.findall(r"\d+ (?:badj|vadj|a vadjoù) talvoudek roet", structure)
    assert counts, "no count of valid badges on the Breton structure page"


def test_credentials_stay_in_the_language_they_were_signed_in(example_site: Path) -> None:
    award = "awards/biklab/20240312-ef961c53/"
    breton = example_site / "br" / award
    assert sorted(path.name for path in breton.iterdir()) == ["index.html"]
    html = (breton / "index.html").read_text("utf-8")
    assert f"{BASE}{award}credential.json" in html  # the one credential, as signed
    credential = json.loads((example_site / award / "credential.json").read_text("utf-8"))
    achievement = credential["credentialSubject"]["achievement"]
    assert achievement["name"] == "Découpe laser - 1er pas"  # French, as it was signed
    published = json.loads(
        (example_site / "badges" / "decoupe-laser-premiers-pas" / "achievement.json").read_text()
    )
    assert published["inLanguage"] == "fr" and "Troc" not in json.dumps(published)


def test_the_404_page_says_it_in_breton_too(example_site: Path) -> None:
    html = (example_site / "404.html").read_text("utf-8")
    assert '<p lang="br">N\u2019eus pajenn ebet er chomlec\u2019h-mañ.' in html


BRETON_SITE = """\
name: Réseau Test
description:
  fr: Un petit réseau complet pour les tests
  en: A small complete network for tests
  br: Ur rouedad vihan evit an testoù
base_url: https://example.org/test-network/
language: fr
languages: [fr, en, br]
network: reseau
contact: {email: contact@reseau.example.org, url: https://reseau.example.org}
colours: {primary: "#204060", accent: "#d35400"}
graphics_licence: CC BY-SA 4.0
"""


def test_check_lists_what_lacks_a_breton_text_as_warnings_even_when_strict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = copy_site("minimal", tmp_path / "site")
    (root / "content" / "site.yaml").write_text(BRETON_SITE, "utf-8")
    (root / "content" / "pages" / "a-propos.br.md").write_text(
        "---\ntitle: Diwar-benn\n---\nUr bajenn.\n", "utf-8"
    )
    assert main(["check", "--strict", "--source", str(root)]) == 0
    said = capsys.readouterr().err.splitlines()
    warnings = [line for line in said if ": warning: " in line]
    assert warnings and all("no Breton text for " in line for line in warnings), said
    assert not [line for line in said if ": error: " in line]
    assert (
        "badges/atelier-accueil.md: warning: no Breton text for criteria; the Breton pages "
        "show the French one meanwhile: add badges/atelier-accueil.br.md"
    ) in said
    assert (
        "content/pages/index.md: warning: no Breton text for title, body; the Breton pages "
        "show the French one meanwhile: add content/pages/index.br.md"
    ) in said
    assert not [line for line in warnings if "a-propos" in line or "site.yaml" in line]
    assert not [line for line in said if "English" in line]  # English was never asked for

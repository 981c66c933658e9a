"""How pages word dates, French names after "de", and text in another language."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from generator.site.load.theme import load_theme
from generator.site.model.network import Text
from generator.site.model.problems import Problems
from generator.site.render.theme import Theme
from generator.site.render.wording import elides_de, in_language, long_date

from ..conftest import ROOT


@pytest.mark.parametrize(
    ("value", "language", "expected"),
    [
        (date(2024, 3, 12), "fr", "12 mars 2024"),
        (date(2024, 3, 12), "en", "12 March 2024"),
        (datetime(2024, 5, 2, 9, 0, tzinfo=UTC), "fr", "2 mai 2024"),
        ("2025-06-30", "fr", "30 juin 2025"),
        ("2025-06-30", "en", "30 June 2025"),
        (date(2024, 2, 1), "fr", "1er février 2024"),
        # Breton, as Babel (CLDR) writes it: months capitalised, the 1st a plain number
        (date(2025, 3, 14), "br", "14 Meurzh 2025"),
        (datetime(2024, 5, 2, 9, 0, tzinfo=UTC), "br", "2 Mae 2024"),
        ("2025-01-01", "br", "1 Genver 2025"),
        (date(2025, 2, 9), "br", "9 C\u02bchwevrer 2025"),  # CLDR's apostrophe, U+02BC
        (date(2025, 12, 31), "br", "31 Kerzu 2025"),
    ],
)
def test_long_date(value: date | datetime | str, language: str, expected: str) -> None:
    assert long_date(value, language) == expected


@pytest.mark.parametrize(
    ("name", "elides"),
    [
        ("Alice Martin", True),
        ("Émile", True),
        ("Hélène", True),
        ("Yves", True),
        ("Ursula", True),
        ("Bob Le Gall", False),
        ("Yann", False),
        ("Yasmine", False),
        ("Zoé", False),
        ("alice-m", True),
        ("", False),
        ("42", False),
    ],
)
def test_elides_de(name: str, elides: bool) -> None:
    assert elides_de(name) is elides


def test_portfolio_title_elides_in_french_and_reads_in_english() -> None:
    template = (
        "{% if name is elides_de %}{% trans %}Les badges d\u2019{{ name }}{% endtrans %}"
        "{% else %}{% trans %}Les badges de {{ name }}{% endtrans %}{% endif %}"
    )
    theme = Theme(load_theme(ROOT, Problems()))
    french, english = (theme.environment(lang).from_string(template) for lang in ("fr", "en"))
    assert french.render(name="Alice Martin") == "Les badges d\u2019Alice Martin"
    assert french.render(name="Bob") == "Les badges de Bob"
    assert english.render(name="Alice Martin") == "Alice Martin\u2019s badges"
    assert english.render(name="Bob") == "Bob\u2019s badges"


def test_long_date_filter_speaks_the_environment_language() -> None:
    theme = Theme(load_theme(ROOT, Problems()))
    template = "{{ day|long_date }}"
    day = date(2024, 3, 12)
    assert theme.environment("fr").from_string(template).render(day=day) == "12 mars 2024"
    assert theme.environment("en").from_string(template).render(day=day) == "12 March 2024"
    assert theme.environment("br").from_string(template).render(day=day) == "12 Meurzh 2024"


def test_text_in_the_page_language_is_left_as_it_is() -> None:
    assert in_language(Text.of({"fr": "Découpe", "en": "Cutting"}, "fr"), "en", "fr") == "Cutting"
    assert in_language("Brest", "fr", "fr") == "Brest"


def test_text_falling_back_to_another_language_says_which() -> None:
    only_french = Text.of("Découpe laser & gravure", "fr")
    assert in_language(only_french, "en", "fr") == (
        '<span lang="fr">Découpe laser &amp; gravure</span>'
    )
    # a plain string (an address, a revocation reason) is in the site's default language
    assert in_language("Délivré <par> erreur", "en", "fr") == (
        '<span lang="fr">Délivré &lt;par&gt; erreur</span>'
    )
    assert in_language(None, "en", "fr") == ""


def test_a_breton_page_shows_french_marked_where_a_text_has_no_breton() -> None:
    text = Text.of({"fr": "Découpe laser", "en": "Laser cutting"}, "fr")
    assert in_language(text, "br", "fr") == '<span lang="fr">Découpe laser</span>'
    breton = Text.of({"fr": "Découpe laser", "en": "Laser cutting", "br": "Troc\u2019hañ"}, "fr")
    assert in_language(breton, "br", "fr") == "Troc\u2019hañ"

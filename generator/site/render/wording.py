"""How pages word what they show people: dates in long form, French elision, and the
language of a text that is not in the page's own."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from functools import lru_cache

from babel.dates import format_date, get_date_format
from markupsafe import Markup, escape

from generator.site.model.network import Text

# The locale whose conventions a language's dates follow. The site's English is British
# (its pages say og:locale en_GB): "12 March 2024", where Babel's "en" writes "March 12, 2024".
DATE_LOCALES = {"en": "en_GB"}


# French writes the first of the month as an ordinal, "1er février 2025" (and "2 février"):
# the day of the long form, where it is the 1st, is followed by "er".
FIRST_OF_THE_MONTH = {"fr": "er"}


@lru_cache(maxsize=4096)
def _long_date(day: date, language: str) -> str:
    locale = DATE_LOCALES.get(language, language)
    suffix = FIRST_OF_THE_MONTH.get(language)
    if day.day == 1 and suffix:
        pattern = get_date_format("long", locale=locale).pattern
        # the day field alone ("d", not "dd"), outside quoted literals, which hold no "d" here
        return format_date(
            day, re.sub(r"(?<![d'])d(?![d'])", f"d'{suffix}'", pattern), locale=locale
        )
    return format_date(day, format="long", locale=locale)


def long_date(value: date | datetime | str, language: str) -> str:
    """A date as people read it in a language: "12 mars 2024", "12 March 2024".

    Takes a date, a datetime (its date) or an ISO date string, as templates hold them.
    Machine-readable attributes (`<time datetime>`) keep the ISO form.
    """
    if isinstance(value, datetime):
        day = value.date()
    elif isinstance(value, date):
        day = value
    else:
        day = date.fromisoformat(value[:10])
    return _long_date(day, language)


def _base_letter(character: str) -> str:
    """A letter without its accents, lower-case ("É" -> "e")."""
    return unicodedata.normalize("NFD", character)[0].lower()


def elides_de(name: str) -> bool:
    """Whether French writes "d'" rather than "de" before a name: "d'Alice", "d'Émile",
    "d'Hélène", "d'Yves", but "de Bob", "de Yann".

    Before a vowel, a mute h (taken as mute: aspirated-h names are rare among first names) or
    a y sounded as a vowel (followed by a consonant); a name that starts with neither a letter
    nor a vowel sound keeps "de".
    """
    letters = [_base_letter(c) for c in name.strip()[:2]]
    if not letters:
        return False
    first = letters[0]
    if first in "aeiouh":
        return True
    if first == "y":
        return len(letters) > 1 and letters[1].isalpha() and letters[1] not in "aeiouy"
    return False


def in_language(text: Text | str | None, language: str, default_language: str) -> Markup:
    """A text for a page in `language`, marked with its own language when it falls back to
    another (WCAG 3.1.2): a Text in the language it has (Text.get's fallback), a plain string
    (an address, a revocation reason, a narrative) in the site's default language."""
    if text is None:
        return Markup("")
    if isinstance(text, Text):
        shown, used = text.get(language), text.language_of(language)
    else:
        shown, used = text, default_language
    if used == language or not shown:
        return _unbroken_before_hyphens(escape(shown))
    return Markup('<span lang="{}">{}</span>').format(used, _unbroken_before_hyphens(escape(shown)))


def _unbroken_before_hyphens(text: Markup) -> Markup:
    """A spaced hyphen kept on the line of the word before it ("Découpe vinyle - 1er pas"
    never wraps into a line that starts with "-"): the space before it does not break."""
    return Markup(text.replace(" - ", "\u00a0- "))

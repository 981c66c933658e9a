"""Check stage, translations: the texts people wrote that a language of the site lacks.

A page in such a language shows the text in the language it has (French, the default),
marked with that language (render/wording.py's in_language), so a missing translation is
never an error: it is a warning, one per file and language, naming the fields, so that a
translator sees what is left to do (`check`). It stays a warning under --strict: a network
that enables a language does not stop accepting badges until every text is translated.

Only the languages a network adds beyond French and English are listed (Breton): the English
texts were never asked for file by file, and a network that enables no other language sees
nothing new.
"""

from __future__ import annotations

from collections.abc import Iterator

from babel import Locale, UnknownLocaleError

from generator.site.model.network import Network, Text
from generator.site.model.problems import Location, Problems

# English, the language the site had before translations were checked: networks made with
# it were never asked for its texts file by file (the test networks lack some), so it is not
# listed (see above).
UNCHECKED = frozenset({"en"})

Fields = list[tuple[str, Text | None]]


def check_translations(network: Network, problems: Problems) -> None:
    """Warn, for each language the network adds, of every file whose texts lack it."""
    site = network.site
    for language in site.languages:
        if language == site.language or language in UNCHECKED:
            continue
        name = language_name(language)
        for location, fields, translation in _texts(network):
            missing = [field for field, text in fields if text and not _has(text, language)]
            if not missing:
                continue
            where = (
                f"add `{language}:` to each ({missing[0]}: {{{site.language}: …, {language}: …}})"
                if translation is None
                else f"add {translation.format(language=language)}"
            )
            problems.warning(
                location,
                f"no {name} text for {', '.join(missing)}; the {name} pages show the "
                f"{language_name(site.language)} one meanwhile: {where}",
                escalates=False,
            )


def language_name(language: str) -> str:
    """A language's name in English, as messages say it ("Breton"), else its code."""
    try:
        return Locale.parse(language).english_name or language
    except (ValueError, UnknownLocaleError):
        return language


def _has(text: Text, language: str) -> bool:
    return any(lang == language for lang, _ in text.values)


def _texts(network: Network) -> Iterator[tuple[Location, Fields, str | None]]:
    """Every text a person wrote, grouped by the file that holds it: the file, its fields,
    and the file that would hold the translation, when it is a file of its own."""
    site = network.site
    yield site.at("description"), [("description", site.description)], None
    skills = network.skills
    for level in skills.levels:
        fields: Fields = [("name", level.name), ("description", level.description)]
        yield level.source, [(f"levels.{level.slug}.{f}", t) for f, t in fields], None
    for domain in skills.domains:
        fields = [("name", domain.name), ("description", domain.description)]
        yield domain.source, [(f"domains.{domain.slug}.{f}", t) for f, t in fields], None
    for _, issuer in sorted(network.issuers.items()):
        fields = [("description", issuer.description), ("opening", issuer.opening)]
        yield issuer.at(), fields, None
    for slug, badge in sorted(network.badges.items()):
        fields = [("name", badge.name), ("description", badge.description)]
        if ("criteria",) in badge.lines:  # written in the YAML
            fields.append(("criteria", badge.criteria))
        else:  # in badges/<slug>.md, translated beside it
            markdown = Location(badge.source.path.removesuffix(".yaml") + ".md")
            translated = f"badges/{slug}.{{language}}.md"
            yield markdown, [("criteria", badge.criteria)], translated
        yield badge.at(), fields, None
    for slug, page in sorted(network.pages.items()):
        page_file = f"content/pages/{slug}.{{language}}.md"
        yield page.source, [("title", page.title), ("body", page.body)], page_file
    for _, endorser in sorted(network.endorsers.items()):
        yield endorser.at(), [("description", endorser.description)], None

"""The theme: safe Markdown, a complete English catalogue, template errors with their line."""

from __future__ import annotations

import functools
import gettext
import shutil
import sqlite3
from pathlib import Path

import jinja2
import jinja2.bccache
import pytest
from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from generator.cache import Store
from generator.site.check.theme import check_theme
from generator.site.load.theme import load_theme
from generator.site.model.problems import Problems
from generator.site.render import theme as theme_module
from generator.site.render.theme import Theme, render_markdown

from ..conftest import ROOT

THEME = ROOT / "theme"
LANGUAGES = sorted(path.name for path in (THEME / "locale").iterdir() if path.is_dir())


def theme_at(folder: Path, store: Store | None = None) -> Theme:
    """The theme in a folder named theme/, read as a build reads it."""
    problems = Problems()
    files = load_theme(folder.parent, problems)
    assert problems.items == []
    return Theme(files, store)


def checked(folder: Path, languages: tuple[str, ...], problems: Problems) -> None:
    """The check stage's problems with the theme in a folder named theme/, and the
    compiler's (as a build reports them)."""
    theme = theme_at(folder)
    check_theme(theme.files, languages, "fr", problems)
    if not problems.has_errors:
        theme.compile_all(languages, problems)


# render_markdown: what authors write in criteria and pages


@pytest.mark.parametrize(
    ("markdown", "forbidden"),
    [
        pytest.param("Texte <script>alert('x')</script>", ["<script", "alert"], id="script"),
        pytest.param(
            "<script src='https://evil.example/x.js'></script>\n\nTexte",
            ["<script", "evil.example"],
            id="script-src",
        ),
        pytest.param(
            "<style>body { display: none }</style>\n\nTexte", ["<style", "display"], id="style"
        ),
        pytest.param(
            '<iframe src="https://evil.example/"></iframe>\n\nTexte',
            ["<iframe", "evil.example"],
            id="iframe",
        ),
        pytest.param('<img src="x.png" onerror="alert(1)">', ["onerror", "alert"], id="onerror"),
        pytest.param('<a href="#" onclick="alert(1)">a</a>', ["onclick", "alert"], id="onclick"),
        pytest.param("[clic](javascript:alert(1))", ["javascript:", "alert"], id="javascript-link"),
        pytest.param(
            '<a href="JavaScript:alert(1)">clic</a>', ["javascript:", "alert"], id="javascript-html"
        ),
        pytest.param('<p style="color: red">Texte</p>', ["style=", "color"], id="style-attribute"),
        pytest.param("<form><input name='x'></form>", ["<form", "<input"], id="form"),
    ],
)
def test_render_markdown_removes_what_could_run_or_restyle(
    markdown: str, forbidden: list[str]
) -> None:
    html = render_markdown(markdown).lower()
    for text in forbidden:
        assert text.lower() not in html, f"{text!r} survived in {html!r}"


def test_render_markdown_keeps_the_text_around_removed_tags() -> None:
    html = render_markdown("Avant <script>alert(1)</script> après")
    assert "Avant" in html and "après" in html


def test_render_markdown_keeps_links() -> None:
    html = render_markdown("Voir [le site](https://example.org/page?a=1&b=2).")
    assert '<a href="https://example.org/page?a=1&amp;b=2" rel="noopener">le site</a>' in html


def test_render_markdown_keeps_lists() -> None:
    html = render_markdown("- un\n- deux\n\n1. premier\n2. second\n")
    assert "<ul>\n<li>un</li>\n<li>deux</li>\n</ul>" in html
    assert "<ol>\n<li>premier</li>\n<li>second</li>\n</ol>" in html


def test_render_markdown_keeps_tables() -> None:
    html = render_markdown("| Machine | Niveau |\n|---|---|\n| Laser | 1 |\n")
    for tag in ("<table>", "<thead>", "<th>Machine</th>", "<tbody>", "<td>Laser</td>"):
        assert tag in html


def test_render_markdown_keeps_emphasis_code_and_images() -> None:
    html = render_markdown('**gras** *italique* `code`\n\n![schéma](plan.png "Plan")')
    assert "<strong>gras</strong>" in html
    assert "<em>italique</em>" in html
    assert "<code>code</code>" in html
    assert '<img alt="schéma" src="plan.png" title="Plan">' in html


def test_render_markdown_turns_h1_into_h2() -> None:
    html = render_markdown("# Titre\n\n## Sous-titre\n\n### Détail\n")
    assert "<h1" not in html
    assert "<h2>Titre</h2>" in html
    assert "<h2>Sous-titre</h2>" in html
    assert "<h3>Détail</h3>" in html


def test_render_markdown_is_markup() -> None:
    # Jinja must not escape it again.
    assert render_markdown("*a*").__html__() == "<p><em>a</em></p>"


# The gettext catalogues


def _template_messages() -> dict[str, list[str]]:
    """Every msgid extracted from the templates, with where it is used."""
    messages: dict[str, list[str]] = {}
    for filename, lineno, message, _, _ in extract_from_dir(
        str(THEME / "templates"),
        method_map=[("**.html", "jinja2.ext.babel_extract")],
        options_map={"**.html": {"extensions": "jinja2.ext.i18n"}},
    ):
        msgid = message[0] if isinstance(message, tuple) else message
        messages.setdefault(msgid, []).append(f"{filename}:{lineno}")
    return messages


def _catalogue(language: str) -> Catalog:
    with (THEME / "locale" / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=language)


def test_templates_have_messages() -> None:
    messages = _template_messages()
    assert "Catalogue des badges" in messages
    assert len(messages) > 20


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_translates_every_template_message(language: str) -> None:
    catalogue = _catalogue(language)
    untranslated = []
    for msgid, where in sorted(_template_messages().items()):
        message = catalogue.get(msgid)
        strings = message.string if message is not None else ""
        translated = (
            all(strings) if isinstance(strings, tuple | list) else bool(strings)
        ) and not (message is not None and message.fuzzy)
        if not translated:
            untranslated.append(f"{msgid!r} ({', '.join(where)})")
    assert not untranslated, (
        f"theme/locale/{language}/LC_MESSAGES/messages.po does not translate:\n  "
        + "\n  ".join(untranslated)
    )


def test_english_catalogue_is_used_by_the_english_environment() -> None:
    theme = theme_at(THEME)
    english = theme.environment("en").from_string("{{ _('Catalogue des badges') }}")
    french = theme.environment("fr").from_string("{{ _('Catalogue des badges') }}")
    assert english.render() == "Badge catalogue"
    assert french.render() == "Catalogue des badges"


# Counts: every catalogue's plural rule is CLDR's (Babel's), and Breton's five forms


def _plural_forms(language: str) -> list[str]:
    """CLDR's plural categories of a language, in the order gettext numbers its forms."""
    tags = Locale.parse(language).plural_form.tags
    return [tag for tag in ("zero", "one", "two", "few", "many") if tag in tags] + ["other"]


COUNTS = [*range(1200), 999_999, 1_000_000, 1_000_001, 2_000_000, 10_000_000, 123_456_789]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_plural_forms_header_says_what_cldr_says(language: str) -> None:
    catalogue, forms = _catalogue(language), _plural_forms(language)
    assert catalogue.num_plurals == len(forms)
    choose = gettext.c2py(catalogue.plural_expr)
    wrong = {n: (forms[choose(n)], rule) for n in COUNTS if forms[choose(n)] != (
        rule := Locale.parse(language).plural_form(n)
    )}  # fmt: skip
    assert wrong == {}


HOLDERS = "{% trans count=n %}{{ count }} titulaire{% pluralize %}{{ count }} titulaires{% endtrans %}"
BADGES = "{% trans count=n %}{{ count }} badge{% pluralize %}{{ count }} badges{% endtrans %}"


@pytest.mark.parametrize(
    ("count", "holders", "badges"),
    [
        (0, "0 perc\u2019henn", "0 badj"),  # other
        (1, "1 perc\u2019henn", "1 badj"),  # one
        (2, "2 berc\u2019henn", "2 vadj"),  # two: soft mutation
        (3, "3 ferc\u2019henn", "3 badj"),  # few: spirant mutation (p, t, k only)
        (4, "4 ferc\u2019henn", "4 badj"),
        (5, "5 perc\u2019henn", "5 badj"),
        (9, "9 ferc\u2019henn", "9 badj"),
        (10, "10 perc\u2019henn", "10 badj"),
        (11, "11 perc\u2019henn", "11 badj"),
        (22, "22 berc\u2019henn", "22 vadj"),
        (73, "73 perc\u2019henn", "73 badj"),
        (1_000_000, "1000000 a berc\u2019henned", "1000000 a vadjoù"),  # many
    ],
)
def test_breton_counts_take_the_form_their_number_asks(
    count: int, holders: str, badges: str
) -> None:
    breton = theme_at(THEME).environment("br")
    assert breton.from_string(HOLDERS).render(n=count) == holders
    assert breton.from_string(BADGES).render(n=count) == badges


def test_french_counts_keep_zero_and_one_singular() -> None:
    french = theme_at(THEME).environment("fr")
    assert [french.from_string(HOLDERS).render(n=n) for n in (0, 1, 2)] == [
        "0 titulaire", "1 titulaire", "2 titulaires",
    ]  # fmt: skip


# Theme.check


@pytest.fixture
def theme_copy(tmp_path: Path, a_new_process: None) -> Path:
    """A copy of the shipped theme to change, in a process that has compiled nothing yet
    (these tests count what reaches the store)."""
    return Path(shutil.copytree(THEME, tmp_path / "theme"))


def test_shipped_theme_checks_clean() -> None:
    problems = Problems()
    checked(THEME, ("fr", "en", "br"), problems)
    assert [str(problem) for problem in problems.sorted()] == []


def test_template_syntax_error_is_reported_with_path_and_line(theme_copy: Path) -> None:
    (theme_copy / "templates" / "broken.html").write_text(
        '{% extends "base.html" %}\n{% block main %}\n<p>ok</p>\n{% for x in y %}\n{% endblock %}\n',
        "utf-8",
    )
    (theme_copy / "templates" / "partials" / "bad.html").write_text("<p>\n{{ a + }}\n", "utf-8")
    problems = Problems()
    checked(theme_copy, ("fr", "en"), problems)
    printed = [str(problem) for problem in problems.sorted()]
    assert len(printed) == 2
    assert printed[0].startswith(
        "theme/templates/broken.html:5: error: template error: Encountered unknown tag 'endblock'."
    )
    assert printed[1] == (
        "theme/templates/partials/bad.html:2: error: template error: "
        "unexpected 'end of print statement'"
    )


def test_missing_catalogue_is_reported(theme_copy: Path) -> None:
    problems = Problems()
    checked(theme_copy, ("fr", "en", "eu"), problems)
    assert [str(problem) for problem in problems.sorted()] == [
        "theme/locale/eu/LC_MESSAGES/messages.po: error: no catalogue for language 'eu'; "
        "add it or remove 'eu' from languages"
    ]


def test_default_language_needs_no_catalogue(theme_copy: Path) -> None:
    problems = Problems()
    checked(theme_copy, ("fr",), problems)
    assert problems.items == []


def compiled(theme: Path, cache: Path) -> int:
    """How many templates compiled from theme the cache store at cache holds, and were used:
    each load of the store's compiled code is counted, as by a new process."""
    theme_module.forget_environments()
    loads = 0
    store = Store(cache)
    real = theme_module._StoredTemplates.load_bytecode

    def counting(self: theme_module._StoredTemplates, bucket: jinja2.bccache.Bucket) -> None:
        nonlocal loads
        real(self, bucket)
        loads += bucket.code is not None

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(theme_module._StoredTemplates, "load_bytecode", counting)
        for language in ("fr", "en"):
            theme_at(theme, store).environment(language).get_template("page.html")
    return loads


def test_compiled_templates_are_kept_and_an_edited_template_is_compiled_again(
    theme_copy: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache.sqlite3"
    page = theme_copy / "templates" / "page.html"
    page.write_text("<p>{{ _('Badges') }} v1</p>\n", "utf-8")
    with Store(cache) as store:
        english = theme_at(theme_copy, store).environment("en")
        assert english.get_template("page.html").render() == "<p>Badges v1</p>"
    assert compiled(theme_copy, cache) == 1, "compiled templates are kept (English only)"
    page.write_text("<p>{{ _('Badges') }} v2</p>\n", "utf-8")
    fresh = theme_at(theme_copy, Store(cache))  # the next build
    assert fresh.environment("fr").get_template("page.html").render() == "<p>Badges v2</p>"
    assert fresh.environment("en").get_template("page.html").render() == "<p>Badges v2</p>"


def test_an_unreadable_compiled_template_is_compiled_again(
    theme_copy: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache.sqlite3"
    (theme_copy / "templates" / "page.html").write_text("{{ _('Badges') }}", "utf-8")
    with Store(cache) as store:
        theme_at(theme_copy, store).environment("en").get_template("page.html")
    with sqlite3.connect(cache) as db:
        db.execute("UPDATE entries SET value = substr(value, 1, 20)")
    db.close()
    assert (
        theme_at(theme_copy, Store(cache)).environment("en").get_template("page.html").render()
        == "Badges"
    )


def test_gettext_escapes_variables_and_leaves_autoescape_off_blocks_alone(
    theme_copy: Path,
) -> None:
    page = theme_copy / "templates" / "page.html"
    page.write_text(
        "{% trans name=who %}Décerné à {{ name }}{% endtrans %}|{{ _('Badges') }}|"
        "{% autoescape false %}{{ _('Badges') }} {{ gettext('Décerné à %(name)s', name=who) }}"
        "{% endautoescape %}\n",
        "utf-8",
    )
    english = theme_at(theme_copy).environment("en").get_template("page.html")
    assert english.render(who="<b>") == "Awarded to &lt;b&gt;|Badges|Badges Awarded to <b>"


# Messages translated when a template is compiled (jinja_compiled_messages.py)

MESSAGES_PAGE = (
    "{{ _('Délivré par') }}|{{ gettext('Délivré par %(issuer)s le %(date)s', issuer=who, date=1) }}"
    "|{% trans issuer=who %}Délivré par {{ issuer }}.{% endtrans %}|{{ _('100%% libre') }}"
    "|{% trans count=n %}{{ count }} badge{% pluralize %}{{ count }} badges{% endtrans %}"
    "|{{ _(computed) }}|{{ _('Délivré par')|upper }}|{{ _('<em>%(issuer)s</em>', issuer=who) }}"
    "|{% autoescape false %}{{ _('Délivré par') }} "
    "{% trans issuer=who %}Délivré par {{ issuer }}.{% endtrans %}{% endautoescape %}\n"
)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_messages_translated_at_compile_time_render_as_gettext_would(
    theme_copy: Path, language: str
) -> None:
    (theme_copy / "templates" / "page.html").write_text(MESSAGES_PAGE, "utf-8")
    compiled_in = theme_at(theme_copy).environment(language)
    at_runtime = theme_at(theme_copy).environment(language)
    # Compiled by plain Jinja: gettext on every render.
    at_runtime._generate = functools.partial(jinja2.Environment._generate, at_runtime)  # type: ignore[method-assign]
    context = {"who": "<b>&", "n": 2, "computed": "Badges"}
    expected = at_runtime.get_template("page.html").render(context)
    assert compiled_in.get_template("page.html").render(context) == expected
    if language == "en":
        assert expected == (
            "Awarded by|Awarded by &lt;b&gt;&amp; on 1|Awarded by &lt;b&gt;&amp;.|100% libre"
            "|2 badges|Badges|AWARDED BY|<em>&lt;b&gt;&amp;</em>|Awarded by Awarded by <b>&."
        )


def test_constant_messages_no_longer_call_gettext(theme_copy: Path) -> None:
    (theme_copy / "templates" / "page.html").write_text(
        "{{ _('Délivré par') }} {% trans issuer=who %}Délivré par {{ issuer }}.{% endtrans %}",
        "utf-8",
    )
    env = theme_at(theme_copy).environment("en")

    def refused(*args: object, **kwargs: object) -> str:
        raise AssertionError("gettext called at render time")

    env.globals.update(_=refused, gettext=refused)
    assert env.get_template("page.html").render(who="x") == "Awarded by Awarded by x."


def test_a_template_that_redefines_gettext_is_left_alone(theme_copy: Path) -> None:
    (theme_copy / "templates" / "page.html").write_text(
        "{% macro shout(_) %}{{ _('Délivré par') }}{% endmacro %}"
        "{{ shout(upper) }}|{{ _('Délivré par') }}",
        "utf-8",
    )
    (theme_copy / "templates" / "macros.html").write_text(
        "{% macro gettext(text) %}<{{ text }}>{% endmacro %}", "utf-8"
    )
    (theme_copy / "templates" / "imports.html").write_text(
        "{% from 'macros.html' import gettext %}{{ gettext('Délivré par') }}", "utf-8"
    )
    (theme_copy / "templates" / "module.html").write_text(
        "{% import 'macros.html' as _ %}{{ _.gettext('Délivré par') }}", "utf-8"
    )
    env = theme_at(theme_copy).environment("en")
    assert env.get_template("page.html").render(upper=str.upper) == "DÉLIVRÉ PAR|Awarded by"
    assert env.get_template("imports.html").render() == "<Délivré par>"
    assert env.get_template("module.html").render() == "<Délivré par>"


def test_each_language_keeps_its_own_compiled_templates(theme_copy: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache.sqlite3"
    (theme_copy / "templates" / "page.html").write_text("{{ _('Délivré par') }}", "utf-8")
    for _ in range(2):  # compiled, then read from the cache by the next build
        with Store(cache) as store:
            theme = theme_at(theme_copy, store)
            assert theme.environment("en").get_template("page.html").render() == "Awarded by"
            assert theme.environment("fr").get_template("page.html").render() == "Délivré par"
    assert compiled(theme_copy, cache) == 2
    po = theme_copy / "locale" / "en" / "LC_MESSAGES" / "messages.po"
    po.write_text(
        po.read_text("utf-8").replace('msgstr "Awarded by"', 'msgstr "Issued by"'), "utf-8"
    )
    edited = theme_at(theme_copy, Store(cache)).environment("en").get_template("page.html")
    assert edited.render() == "Issued by", "a catalogue edit compiles the templates again"

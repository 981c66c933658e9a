"""The theme: Jinja2 templates with gettext catalogues, and Markdown made safe for pages."""

from __future__ import annotations

import gettext
import hashlib
import io
import pickle
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from types import CodeType
from typing import Any, ClassVar

import jinja2
import jinja2.runtime
import markdown
import nh3
from babel import Locale, UnknownLocaleError
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from jinja2.bccache import Bucket
from markupsafe import Markup

from generator.cache import TEMPLATES, Store, entry_key
from generator.site.load.theme import ThemeFiles
from generator.site.model.problems import Problems
from generator.site.model.urls import LINK_SCHEMES, is_safe_link, web_link
from generator.site.render import jinja_compiled_messages
from generator.site.render.wording import elides_de, long_date, town

# Tags a person may use in criteria and pages; everything else (scripts, styles, iframes,
# event handlers) is removed.
ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "dl", "dt", "em", "h2", "h3", "h4",
    "hr", "i", "img", "li", "ol", "p", "pre", "strong", "sub", "sup", "table", "tbody", "td",
    "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "abbr": {"title"}}


@lru_cache(maxsize=4096)
def render_markdown(text: str) -> Markup:
    """Markdown to sanitised HTML (headings start at h2: the page title is the h1)."""
    html = markdown.markdown(text, extensions=["tables", "sane_lists"], output_format="html")
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    return Markup(
        nh3.clean(
            html,
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            link_rel="noopener",
            url_schemes=set(LINK_SCHEMES),
            attribute_filter=_safe_links,
        )
    )


def _safe_links(tag: str, attribute: str, value: str) -> str | None:
    """The sanitiser's last word on links: the site's one rule (urls.is_safe_link), which
    also reads a scheme split by tabs or newlines as a browser does (the sanitiser keeps
    'java\tscript:')."""
    if attribute in ("href", "src") and not is_safe_link(value):
        return None
    return value


def _gettext(translated: Callable[[str], str]) -> Callable[..., str]:
    """Jinja's "newstyle" gettext (the message escaped as markup, then % variables), with
    translated(message) looking each message up."""

    @jinja2.pass_context
    def newstyle_gettext(context: jinja2.runtime.Context, message: str, **variables: Any) -> str:
        text = translated(message)
        if context.eval_ctx.autoescape:
            return Markup(text) % variables
        return text % variables

    return newstyle_gettext


class _SourceLanguage(gettext.NullTranslations):
    """The language the templates are written in: messages stay as written, and a plural
    follows the language's own rule (CLDR's, from Babel: in French 0 and 1 are singular,
    "0 titulaire"; gettext's default would say "0 titulaires")."""

    def __init__(self, language: str) -> None:
        super().__init__()
        try:
            self._locale: Locale | None = Locale.parse(language)
        except (ValueError, UnknownLocaleError):
            self._locale = None  # a language CLDR does not know: gettext's rule

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        if self._locale is None:
            return super().ngettext(msgid1, msgid2, n)
        return msgid1 if self._locale.plural_form(n) == "one" else msgid2


# By the catalogue's bytes: a process that builds again (serve, the tests) does not parse and
# compile the same catalogue again (GNUTranslations is not changed once made).
@lru_cache(maxsize=16)
def _translations(language: str, catalogue: bytes | None) -> gettext.NullTranslations:
    """The compiled form of a messages.po (none: messages stay as written)."""
    if catalogue is None:
        return _SourceLanguage(language)
    buffer = io.BytesIO()
    write_mo(buffer, read_po(io.BytesIO(catalogue), locale=language))
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


class _StoredTemplates(jinja2.BytecodeCache):
    """Jinja's bytecode cache for one language's templates, kept in the cache store.

    The compiled code depends on the template's source (Jinja's bucket key, its name and
    file, and checksum), on Jinja and on the options of Theme.environment (in every key of
    the store: they are code) and, translations being compiled in, on the language's
    catalogue.
    """

    def __init__(self, store: Store, language: str, catalogue: bytes | None) -> None:
        self._store = store
        self._language = language
        self._catalogue = catalogue or b""

    def _key(self, bucket: Bucket) -> str:
        return entry_key(TEMPLATES, self._language, self._catalogue, bucket.key, bucket.checksum)

    # The code this process read from such bytes, by the bytes and the template's checksum:
    # a template loaded again (every build of serve or of the tests) is not unmarshalled
    # again (Jinja runs the same code object in each environment; it is never changed).
    _loaded: ClassVar[dict[tuple[str, bytes], CodeType]] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        """Fill the bucket with the code compiled by an earlier build, if any."""
        key = self._key(bucket)
        # From the store, or from this process's memory when it compiled them (another store,
        # or none: generator/process_memory.py).
        data = self._store.get(TEMPLATES, key)
        if data is None:
            return
        if (code := self._loaded.get((bucket.checksum, data))) is not None:
            bucket.code = code
            return
        try:
            bucket.bytecode_from_string(data)  # Jinja checks its own magic and the checksum
        except (EOFError, ValueError, TypeError, pickle.UnpicklingError):
            bucket.reset()  # unreadable: compiled again
        if bucket.code is not None:
            self._loaded[(bucket.checksum, data)] = bucket.code

    def dump_bytecode(self, bucket: Bucket) -> None:
        """Keep the code just compiled for later builds."""
        self._store.put(TEMPLATES, self._key(bucket), bucket.bytecode_to_string())


# Environments by what they are made from (Theme._environment_key), a few at most: serve
# after a template is edited makes a new one.
_ENVIRONMENTS: dict[str, jinja_compiled_messages.CompiledMessagesEnvironment] = {}
_KEPT_ENVIRONMENTS = 8


def forget_environments() -> None:
    """Keep no environment, nor any code loaded from the store (as a new process)."""
    _ENVIRONMENTS.clear()
    _StoredTemplates._loaded.clear()


@dataclass(frozen=True)
class Theme:
    """The theme's templates compiled for each language, with its gettext catalogues, from
    the files the load stage read (load/theme.py): nothing is read from disk here.

    With a cache store, compiled templates are kept there (Jinja's bytecode cache, checked
    against each template's source), so a build does not compile the theme again.
    """

    files: ThemeFiles
    store: Store | None = None

    @property
    def folder(self) -> Path:
        """The theme's folder (where the privacy guard looks for what it holds)."""
        return self.files.folder

    @cached_property
    def _environments(self) -> dict[str, jinja_compiled_messages.CompiledMessagesEnvironment]:
        return {}

    def environment(self, language: str) -> jinja_compiled_messages.CompiledMessagesEnvironment:
        """A Jinja2 environment whose gettext speaks the given language (cached).

        A process that builds again (serve, the tests) with the same templates and catalogue
        takes the environment of its earlier build, its templates already compiled and
        loaded: only its bytecode cache changes, to this build's store."""
        if language not in self._environments:
            catalogue = self._catalogue_bytes(language)
            key = self._environment_key(language, catalogue)
            env = _ENVIRONMENTS.pop(key, None) or self._new_environment(language, catalogue)
            env.bytecode_cache = self._bytecode_cache(language, catalogue)
            _ENVIRONMENTS[key] = env  # the most recently used last
            while len(_ENVIRONMENTS) > _KEPT_ENVIRONMENTS:
                _ENVIRONMENTS.pop(next(iter(_ENVIRONMENTS)))
            self._environments[language] = env
        return self._environments[language]

    def _environment_key(self, language: str, catalogue: bytes | None) -> str:
        """What an environment is made from: the language, its catalogue, every template."""
        digest = hashlib.sha256(f"{language}\0".encode())
        digest.update(b"%d\0" % len(catalogue or b"") + (catalogue or b""))
        for name, template in sorted(self.files.templates.items()):
            for part in (name, template.location.path, template.source):
                data = part.encode()
                digest.update(b"%d\0" % len(data) + data)
        return digest.hexdigest()

    def _new_environment(
        self, language: str, catalogue: bytes | None
    ) -> jinja_compiled_messages.CompiledMessagesEnvironment:
        """A new environment for a language: its templates are compiled (or read from the
        store) as they are asked for."""
        env = jinja_compiled_messages.CompiledMessagesEnvironment(
            loader=jinja2.FunctionLoader(self._template_source),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            extensions=["jinja2.ext.i18n"],
            trim_blocks=True,
            lstrip_blocks=True,
            # A theme is read once per build: its templates never change during one.
            auto_reload=False,
            bytecode_cache=self._bytecode_cache(language, catalogue),
        )
        translations = _translations(language, catalogue)
        env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
        # Each message looked up once: when a template is compiled, or by the same
        # gettext, for the messages the template leaves to it.
        env.translate = lru_cache(maxsize=None)(translations.gettext)
        newstyle_gettext = _gettext(env.translate)
        env.globals.update(gettext=newstyle_gettext, _=newstyle_gettext)
        env.filters["markdown"] = render_markdown
        env.filters["web_link"] = web_link
        env.filters["town"] = town
        env.filters["long_date"] = lambda value, lang=language: long_date(value, lang)
        env.tests["elides_de"] = elides_de
        return env

    def translated(self, language: str, message: str) -> str:
        """A message of the theme in a language, as its catalogue translates it (the word a
        share image stamps on a revoked award's card is the theme's, as on its certificate; the
        404 page says its message in each language of the site)."""
        translate = self.environment(language).translate
        return translate(message) if translate is not None else message

    def _template_source(self, name: str) -> tuple[str, str, Callable[[], bool]] | None:
        """A template's source for Jinja: its text, its file (as problems name it), and
        'up to date' (always: the theme was read once, for this build)."""
        template = self.files.templates.get(name)
        if template is None:
            return None
        return _unindented(template.source), template.location.path, lambda: True

    def _bytecode_cache(self, language: str, catalogue: bytes | None) -> jinja2.BytecodeCache:
        """Where the templates compiled for a language are kept: the cache store, and this
        process's memory (without a store too: `--no-cache` verifies signatures again, and
        compiling the same templates again would give the same code)."""
        return _StoredTemplates(self.store or Store(None), language, catalogue)

    def _catalogue_bytes(self, language: str) -> bytes | None:
        """A language's messages.po; None for the source language (fr), which needs none."""
        catalogue = self.files.catalogues.get(language)
        return catalogue[0] if catalogue is not None else None

    def compile_all(self, languages: tuple[str, ...], problems: Problems) -> None:
        """Compile every template for every language, here in the build's process, so that
        they reach the cache store (worker processes that compile one keep it to themselves);
        report what the compiler refuses beyond syntax (a filter or test the theme does not
        have), once, at the template's line (syntax is checked earlier, check/theme.py)."""
        for index, language in enumerate(languages):
            for name, template in sorted(self.files.templates.items()):
                try:
                    self.environment(language).get_template(name)
                except jinja2.TemplateSyntaxError as error:
                    if index == 0:
                        problems.error(
                            template.location.at(error.lineno), f"template error: {error.message}"
                        )


_INDENT = re.compile(r"^[ \t]+", re.MULTILINE)
_KEEPS_SPACES = re.compile(r"<(pre|textarea)\b", re.IGNORECASE)


def _unindented(source: str) -> str:
    """A template without the indentation of its lines, which every page would carry (0.4 KB
    of an award page): lines and their numbers are kept, for the messages that name them; a
    template holding a <pre> or a <textarea>, where spaces show, is left as it is."""
    if _KEEPS_SPACES.search(source):
        return source
    return _INDENT.sub("", source)

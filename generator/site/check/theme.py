"""Check stage, the theme: a catalogue for every language of the site, each readable by the
tool that compiles it, with the line of what is not. (Templates are checked by compiling
them, in the same run: render/theme.py's Theme.compile_all, from the cache store when their
source compiled before.)"""

from __future__ import annotations

import io
from functools import lru_cache

from babel.messages.pofile import PoFileError, read_po

from generator.site.load.theme import ThemeFiles
from generator.site.model.problems import Location, Problems


def check_theme(
    theme: ThemeFiles, languages: tuple[str, ...], default_language: str, problems: Problems
) -> None:
    """Report missing or unreadable catalogues, with their line."""
    for language in languages:
        catalogue = theme.catalogues.get(language)
        if catalogue is None:
            if language != default_language:
                problems.error(
                    Location(f"theme/locale/{language}/LC_MESSAGES/messages.po"),
                    f"no catalogue for language '{language}'; add it or remove '{language}' "
                    "from languages",
                )
            continue
        data, location = catalogue
        if data is None:
            continue  # the reader said why
        if (refused := _refusal(language, data)) is not None:
            line, message = refused
            problems.error(location.at(line), message)


# By the catalogue's bytes: a process that checks again (serve, the tests) does not parse the
# same catalogue again.
@lru_cache(maxsize=16)
def _refusal(language: str, data: bytes) -> tuple[int | None, str] | None:
    """Where the tool that compiles catalogues refuses this one, and why; None if it reads it."""
    try:
        read_po(io.BytesIO(data), locale=language, abort_invalid=True)
    except PoFileError as error:
        return error.lineno, f"catalogue error: {error}; fix the entry"
    except UnicodeDecodeError as error:
        return data.count(b"\n", 0, error.start) + 1, "not valid UTF-8; save the catalogue as UTF-8"
    return None

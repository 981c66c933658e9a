"""Check stage, the theme: a catalogue for every language of the site, each readable by the
tool that compiles it, with the line of what is not. (Templates are checked by compiling
them, in the same run: render/theme.py's Theme.compile_all, from the cache store when their
source compiled before.)"""

from __future__ import annotations

import io

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
        try:
            read_po(io.BytesIO(data), locale=language, abort_invalid=True)
        except PoFileError as error:
            problems.error(location.at(error.lineno), f"catalogue error: {error}; fix the entry")
        except UnicodeDecodeError as error:
            line = data.count(b"\n", 0, error.start) + 1
            problems.error(location.at(line), "not valid UTF-8; save the catalogue as UTF-8")

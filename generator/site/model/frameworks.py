"""The skill frameworks a badge may align with, and what the site knows of each.

A badge's `alignment:` entry names a framework and a code in it. Four frameworks are known,
their codes checked by form (never looked up: the build is offline) and their pages found
from the code: ESCO (the European classification of skills and occupations), ROME 4.0 (France
Travail's directory of occupations), and France Compétences' two registers of certifications,
RNCP and RS. Any other framework is named freely and gives the address of its entry.
Sources: https://esco.ec.europa.eu/ , https://www.francetravail.org/opendata/ ,
https://www.francecompetences.fr/ (and /work/shared/reference/FRAMEWORKS.md).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from generator.site.model import urls

_UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


@dataclass(frozen=True)
class Framework:
    """A known framework: how its codes are written and where their pages are."""

    key: str
    """How a badge names it (`framework: esco`), in any letter case."""
    name: str
    """Its name in Open Badges documents (targetFramework)."""
    pattern: re.Pattern[str]
    form: str
    """The expected form of a code, said in an error."""

    def parts(self, code: str) -> tuple[str, str]:
        """(kind, identifier) of a well-formed code: ('skill', uuid) for ESCO, ('', number)
        for the registers, ('', code) for ROME."""
        match = self.pattern.match(code)
        if match is None:
            raise ValueError(f"{code!r} is not a {self.name} code")
        return match.group("kind") or "", match.group("id")

    def target_url(self, code: str) -> str:
        """The official page of a code's entry."""
        kind, identifier = self.parts(code)
        return urls.framework_entry(self.key, kind, identifier)

    def target_type(self, code: str) -> str:
        """The Open Badges 3.0 targetType of a code's entry."""
        kind, _ = self.parts(code)
        if self.key == "esco":
            return "ceasn:Competency" if kind == "skill" else "ext:Occupation"
        return "ext:Occupation" if self.key == "rome" else "ceterms:Credential"

    def page_code(self, code: str) -> str:
        """The code as a path segment of the site's page for it (lower case, no slash)."""
        kind, identifier = self.parts(code)
        return f"{kind}-{identifier}" if kind else identifier.lower()


FRAMEWORKS = {
    framework.key: framework
    for framework in (
        Framework(
            "esco",
            "ESCO",
            re.compile(
                rf"^http://data\.europa\.eu/esco/(?P<kind>skill|occupation)/(?P<id>{_UUID})$"
            ),
            "the concept's URI, http://data.europa.eu/esco/skill/<uuid> or "
            "http://data.europa.eu/esco/occupation/<uuid>, its UUID in lower case",
        ),
        Framework(
            "rome",
            "ROME 4.0",
            re.compile(r"^(?P<kind>)(?P<id>[A-Z][0-9]{4})$"),
            "one capital letter and four digits, such as G1202",
        ),
        Framework(
            "rncp",
            "RNCP",
            re.compile(r"^RNCP(?P<kind>)(?P<id>[1-9][0-9]*)$"),
            "RNCP followed by the certification's number, RNCP<number>",
        ),
        Framework(
            "rs",
            "RS",
            re.compile(r"^RS(?P<kind>)(?P<id>[1-9][0-9]*)$"),
            "RS followed by the certification's number, RS<number>",
        ),
    )
}


def known_framework(name: str | None) -> Framework | None:
    """The known framework a badge names (esco, rome, rncp, rs, in any case), if it is one."""
    return FRAMEWORKS.get(name.strip().casefold()) if name else None


_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slug_of(text: str) -> str:
    """A text as a path segment: lower-case ASCII letters and digits, single '-' between
    (accents dropped: 'Référentiel' is 'referentiel'); empty when none of them is left."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _NOT_SLUG.sub("-", ascii_text.casefold()).strip("-")


def page_segments(framework: str | None, code: str | None) -> tuple[str, str] | None:
    """(framework, code) of the skills map's page of an entry (urls.aligned_page): a known
    framework's key and its code's segment, or another framework's name and code as slugs;
    None when the entry has no page (no code, or nothing left of a name or a code)."""
    known = known_framework(framework)
    if known is not None and code is not None:
        return known.key, known.page_code(code)
    if framework and code:
        name, identifier = slug_of(framework), slug_of(code)
        return (name, identifier) if name and identifier else None
    return None

"""Content repositories that carry the XSS corpus (tests/xss_corpus.py) in every field a
contributor controls, and their builds (tests/xss_credentials.py adds the credentials).

A *case* is one payload in one field. Each payload has its entity in each family (page i,
badge i, structure i, person i, a site of its own for the site's settings and skills;
credential i and revocation i), which carries payload i in every field of the family; there the payload calls
xss(N) with N = 100 * payload number + field index, so that any call names its case.

The build refuses a case with an error on the entity's file, at the field's line (YAML and
Markdown) or naming the field (credentials). The field is then put back to a harmless value
and the site built again, until it builds; the test opens whatever the build took in
Chromium.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from pathlib import Path

from .agreement import problems_of
from .conftest import SITES
from .credential_fixtures import run
from .xss_corpus import Payload, markdown_text


@dataclass(frozen=True)
class Field:
    """A field of a content file or a credential that the corpus is put in."""

    index: int  # the last two digits of the marker
    family: str
    name: str
    kind: str  # text, markdown, url, email, symbol: how a payload is put and what is harmless


def _fields(family: str, first: int, *named: tuple[str, str]) -> dict[str, Field]:
    return {name: Field(first + i, family, name, kind) for i, (name, kind) in enumerate(named)}


SITE_FIELDS = _fields(
    "site", 1,
    ("site.name", "text"), ("site.description", "text"), ("site.contact.email", "email"),
    ("site.contact.url", "url"), ("site.graphics_licence", "text"), ("site.base_url", "url"),
)  # fmt: skip
SKILLS_FIELDS = _fields(
    "skills", 80,
    ("level.name", "text"), ("level.description", "text"), ("domain.name", "text"),
    ("domain.description", "text"), ("domain.symbol", "symbol"),
)  # fmt: skip
PAGE_FIELDS = _fields("page", 10, ("page.title", "text"), ("page.body", "markdown"))
BADGE_FIELDS = _fields(
    "badge", 15,
    ("badge.name", "text"), ("badge.description", "text"), ("badge.criteria", "markdown"),
    ("badge.tags", "text"), ("badge.alignment.name", "text"), ("badge.alignment.url", "url"),
    ("badge.alignment.description", "text"), ("badge.alignment.framework", "text"),
    ("badge.alignment.code", "text"),
)  # fmt: skip
ISSUER_FIELDS = _fields(
    "issuer", 30,
    ("issuer.name", "text"), ("issuer.url", "url"), ("issuer.email", "email"),
    ("issuer.description", "text"), ("issuer.address", "text"), ("issuer.opening", "text"),
    ("issuer.opening_url", "url"), ("machine.name", "text"), ("machine.model", "text"),
    ("machine.booking_url", "url"),
)  # fmt: skip
PERSON_FIELDS = _fields("person", 45, ("person.name", "text"), ("person.contact", "url"))
HARMLESS = {
    "text": "Sans danger",
    "markdown": "Sans danger.",
    "url": "https://example.org/sans-danger",
    "email": "contact@example.org",
    "symbol": "laser",  # one of the pictograms
}


def marker(payload: Payload, field: Field) -> int:
    """The number the payload calls xss() with in this field."""
    return payload.number * 100 + field.index


def placed(payload: Payload, field: Field) -> str:
    """The payload as the field holds it."""
    number = marker(payload, field)
    return markdown_text(payload, number) if field.kind == "markdown" else payload.text(number)


@dataclass
class Case:
    """One payload in one field, and what the build said of it."""

    payload: Payload
    field: Field
    refusals: list[str] = dataclass_field(default_factory=list)

    @property
    def marker(self) -> int:
        """The number the payload calls xss() with here."""
        return marker(self.payload, self.field)


# YAML: one field a line (JSON strings are YAML double-quoted strings), so that an error's
# line names the field.
def _q(text: str) -> str:
    return json.dumps(text)


def _both(text: str) -> str:
    return f"{{fr: {_q(text)}, en: {_q(text)}}}"


Files = dict[str, tuple[str | bytes, dict[int, str]]]


class Entity:
    """A content file (or a few) holding one payload in each field of its family."""

    fields: dict[str, Field]

    def __init__(self, payload: Payload) -> None:
        self.payload = payload
        self.cases = {name: Case(payload, f) for name, f in self.fields.items()}
        self.values = {name: placed(payload, f) for name, f in self.fields.items()}
        self._files: Files | None = None
        self._written = False

    @property
    def slug(self) -> str:
        """The entity's file name."""
        return f"xss-{self.payload.number:03d}"

    def render(self) -> Files:
        """path -> (content, {line: field name}) of each file of the entity."""
        raise NotImplementedError

    def files(self) -> Files:
        """The entity's files with the current values (rendered once per change)."""
        if self._files is None:
            self._files = self.render()
        return self._files

    def write(self, site: Path) -> None:
        """Write the entity's files if a field changed since the last write."""
        if self._written:
            return
        for path, (content, _) in self.files().items():
            target = site / path
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:  # a lone surrogate is written as the bytes a careless editor would write
                target.write_bytes(content.encode("utf-8", "surrogatepass"))
        self._written = True

    def fields_at(self, path: str, line: int | None, message: str) -> list[str]:
        """The fields an error on one of the entity's files is about."""
        lines = self.files().get(path, ("", {}))[1]
        return [lines[line]] if line is not None and line in lines else []

    def refuse(self, name: str, error: str) -> None:
        """Record the build's refusal of a field, and put a harmless value in its place."""
        self.cases[name].refusals.append(error)
        self.values[name] = HARMLESS[self.fields[name].kind]
        self._files = None
        self._written = False


class Lines:
    """Lines of a file, with the field each one holds."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.fields: dict[int, str] = {}

    def add(self, line: str, name: str | None = None) -> None:
        """Add a line; the field it holds, if any."""
        self.lines.append(line)
        if name is not None:
            self.fields[len(self.lines)] = name

    def done(self) -> tuple[str, dict[int, str]]:
        """The text and its field lines."""
        return "\n".join(self.lines) + "\n", self.fields


class SiteSettings(Entity):
    """content/site.yaml, in a site of its own (a network has one)."""

    fields = SITE_FIELDS

    def render(self) -> Files:
        v, text = self.values, Lines()
        text.add(f"name: {_q(v['site.name'])}", "site.name")
        text.add(f"description: {_both(v['site.description'])}", "site.description")
        base_url = v["site.base_url"]  # with the '/' the build asks for at the end
        text.add(f"base_url: {_q(base_url if base_url.endswith('/') else base_url + '/')}",
                 "site.base_url")  # fmt: skip
        text.add("language: fr")
        text.add("languages: [fr, en]")
        text.add("network: reseau")
        text.add("contact:")
        text.add(f"  email: {_q(v['site.contact.email'])}", "site.contact.email")
        text.add(f"  url: {_q(v['site.contact.url'])}", "site.contact.url")
        text.add('colours: {primary: "#204060", accent: "#d35400"}')
        text.add(f"graphics_licence: {_q(v['site.graphics_licence'])}", "site.graphics_licence")
        return {"content/site.yaml": text.done()}


class Skills(Entity):
    """content/skills.yaml, in the site of the settings: its first level and domain."""

    fields = SKILLS_FIELDS

    def render(self) -> Files:
        v, text = self.values, Lines()
        text.add("levels:")
        text.add("  debutant:")
        text.add(f"    name: {_both(v['level.name'])}", "level.name")
        text.add(f"    description: {_both(v['level.description'])}", "level.description")
        text.add("  expert:")
        text.add("    name: {fr: Expert, en: Expert}")
        text.add("    description: {fr: Maîtrise complète., en: Full mastery.}")
        text.add("domains:")
        text.add("  laser:")
        text.add(f"    name: {_both(v['domain.name'])}", "domain.name")
        text.add(f"    description: {_both(v['domain.description'])}", "domain.description")
        text.add('    colour: "#b03a2e"')
        text.add(f"    symbol: {_q(v['domain.symbol'])}", "domain.symbol")
        text.add("  couture:")
        text.add("    name: {fr: Couture, en: Sewing}")
        text.add("    description: Coudre à la machine.")
        text.add('    colour: "#2e7d32"')
        text.add("    symbol: sewing")
        return {"content/skills.yaml": text.done()}

    def fields_at(self, path: str, line: int | None, message: str) -> list[str]:
        # An unknown symbol is reported at its domain's line.
        if path == "content/skills.yaml" and message.startswith("symbol '"):
            return ["domain.symbol"]
        return super().fields_at(path, line, message)


class Page(Entity):
    """content/pages/xss-NNN.md and its English translation, in the menu."""

    fields = PAGE_FIELDS

    def render(self) -> Files:
        found: Files = {}
        for suffix in (".md", ".en.md"):
            text = Lines()
            text.add("---")
            text.add(f"title: {_q(self.values['page.title'])}", "page.title")
            text.add(f"menu: {100 + self.payload.number}")
            text.add("---")
            for line in self.values["page.body"].split("\n"):
                text.add(line, "page.body")
            found[f"content/pages/{self.slug}{suffix}"] = text.done()
        return found


BADGE_IMAGE = (SITES / "minimal" / "badges" / "laser-expert.png").read_bytes()


class Badge(Entity):
    """badges/xss-NNN.yaml, a network badge, with its criteria in .md and .en.md (criteria
    written in the YAML go through the same Markdown renderer)."""

    fields = BADGE_FIELDS

    def render(self) -> Files:
        v, text = self.values, Lines()
        text.add(f"name: {_both(v['badge.name'])}", "badge.name")
        text.add(f"description: {_both(v['badge.description'])}", "badge.description")
        text.add(f"tags: [{_q(v['badge.tags'])}]", "badge.tags")
        text.add("alignment:")
        text.add(f"  - name: {_q(v['badge.alignment.name'])}", "badge.alignment.name")
        text.add(f"    url: {_q(v['badge.alignment.url'])}", "badge.alignment.url")
        text.add(f"    description: {_q(v['badge.alignment.description'])}",
                 "badge.alignment.description")  # fmt: skip
        text.add(f"    framework: {_q(v['badge.alignment.framework'])}",
                 "badge.alignment.framework")  # fmt: skip
        text.add(f"    code: {_q(v['badge.alignment.code'])}", "badge.alignment.code")
        text.add("scope: network")
        text.add("status: approved")
        # distinct dates: the feed lists the newest 50
        day = self.payload.number
        text.add(f"approved_on: 2025-{1 + day // 28:02d}-{1 + day % 28:02d}")
        files: Files = {
            f"badges/{self.slug}.yaml": text.done(),
            f"badges/{self.slug}.md": (v["badge.criteria"] + "\n", {}),
            f"badges/{self.slug}.en.md": (v["badge.criteria"] + "\n", {}),
        }
        # An image of its own: drawing the default one, with the name, takes a quarter of a
        # second. Only the payloads of odd characters have it drawn, for the lettering.
        if self.payload.kind != "encoding":
            files[f"badges/{self.slug}.png"] = (BADGE_IMAGE, {})
        return files

    def fields_at(self, path: str, line: int | None, message: str) -> list[str]:
        if path.endswith(".md") and path in self.files():
            return ["badge.criteria"]
        return super().fields_at(path, line, message)


class Structure(Entity):
    """content/issuers/xss-NNN.yaml: a structure on the map, with one machine."""

    fields = ISSUER_FIELDS

    def render(self) -> Files:
        v, text = self.values, Lines()
        text.add(f"name: {_q(v['issuer.name'])}", "issuer.name")
        text.add(f"url: {_q(v['issuer.url'])}", "issuer.url")
        text.add(f"email: {_q(v['issuer.email'])}", "issuer.email")
        text.add(f"description: {_both(v['issuer.description'])}", "issuer.description")
        text.add(f"address: {_q(v['issuer.address'])}", "issuer.address")
        number = self.payload.number
        text.add(f"coordinates: {{lat: {48 + number / 1000}, lon: {-4.5 + number / 1000}}}")
        text.add(f"opening: {_both(v['issuer.opening'])}", "issuer.opening")
        text.add(f"opening_url: {_q(v['issuer.opening_url'])}", "issuer.opening_url")
        text.add("awards: []")
        text.add("machines:")
        text.add("  machine:")
        text.add(f"    name: {_q(v['machine.name'])}", "machine.name")
        text.add("    domain: laser")
        text.add(f"    model: {_q(v['machine.model'])}", "machine.model")
        text.add("    level: debutant")
        text.add(f"    booking_url: {_q(v['machine.booking_url'])}", "machine.booking_url")
        return {f"content/issuers/{self.slug}.yaml": text.done()}


class Person(Entity):
    """content/people/xss-NNN.yaml: the holder of credential i, consenting to everything."""

    fields = PERSON_FIELDS

    def __init__(self, payload: Payload, award: str) -> None:
        self.award = award
        super().__init__(payload)

    def render(self) -> Files:
        v, text = self.values, Lines()
        text.add(f"name: {_q(v['person.name'])}", "person.name")
        text.add("consent: {name: true, map: true, resource: true, portfolio: true}")
        text.add(f"contact: {_q(v['person.contact'])}", "person.contact")
        text.add(f"awards: [{self.award}]")
        return {f"content/people/{self.slug}.yaml": text.done()}


ERROR = re.compile(r"^(?P<path>[^:\n]+?)(?::(?P<line>\d+))?(?::\d+)?: error: (?P<message>.*)$")


@dataclass
class Build:
    """A site built with the corpus: what was refused on the way, and anything unexpected."""

    site: Path
    out: Path
    rounds: int = 0
    unexpected: list[str] = dataclass_field(default_factory=list)


def build_with_corpus(site: Path, out: Path, entities: list[Entity], rounds: int = 8) -> Build:
    """Write the entities into the site and build it; put back every field the build refuses
    (a located error naming an entity's file and field), and build again until it builds. An
    error that names no field is a consequence when its file had a field refused at the same
    time (a refused revocation record leaves its credential revoked without a record);
    otherwise it, a traceback or a crash is `unexpected`."""
    by_path = {path: entity for entity in entities for path in entity.files()}
    build = Build(site, out)
    for _ in range(rounds):
        build.rounds += 1
        for entity in entities:
            entity.write(site)
        try:
            result = run("build", "--source", site, "--out", out)
            # check refuses what build refuses: once, with every payload in place.
            checked = run("check", "--source", site) if build.rounds == 1 else result
        except Exception as error:  # a crash is a finding to report, not to hide
            build.unexpected.append(f"build crashed: {error!r}")
            return build
        if (checked.code, problems_of(checked)) != (result.code, problems_of(result)):
            build.unexpected.append(f"check says:\n{checked.err}\nbuild says:\n{result.err}")
        if result.code == 0:
            return build
        if result.code != 1 or "Traceback" in result.err:
            build.unexpected.append(f"exit {result.code}:\n{result.err}")
            return build
        refused: set[Entity] = set()
        unnamed: list[tuple[Entity | None, str]] = []
        for line in result.err.splitlines():
            if (found := ERROR.match(line)) is None:
                continue
            owner = by_path.get(found["path"])
            number = int(found["line"]) if found["line"] else None
            names = owner.fields_at(found["path"], number, found["message"]) if owner else []
            if owner is None or not names:
                unnamed.append((owner, line))
                continue
            for name in names:
                owner.refuse(name, line)
            refused.add(owner)
        build.unexpected += [
            f"an error that names no field of the corpus: {line}"
            for entity, line in unnamed
            if entity not in refused
        ]
        if not refused:
            build.unexpected.append(f"the build failed without a located error:\n{result.err}")
            return build
    build.unexpected.append(f"still refused after {rounds} builds")
    return build


def cases(entities: Iterable[Entity]) -> Iterator[Case]:
    """Every case of these entities."""
    for entity in entities:
        yield from entity.cases.values()

"""Load stage: read every content file into the typed model, reporting what cannot be read."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

from generator.site.load import schema
from generator.site.load.parsing import Document, read_json, read_markdown, read_yaml
from generator.site.model import (
    Alignment,
    Asset,
    Badge,
    Colours,
    Coordinates,
    Domain,
    Duration,
    Issuer,
    Level,
    Machine,
    Network,
    Page,
    Person,
    PublicKey,
    SignedFile,
    Site,
    Skills,
    Text,
)
from generator.site.problems import BuildFailed, Location, Problems

CONTENT = "content"
BADGES = "badges"
ASSERTIONS = "assertions"
THEME = "theme"
_TRANSLATION = re.compile(r"^(?P<slug>.+)\.(?P<lang>[a-z]{2})$")


class Source:
    """The content repository being read: paths in, Locations out."""

    def __init__(self, root: Path, problems: Problems) -> None:
        self.root = root
        self.problems = problems

    def location(self, path: Path, line: int | None = None) -> Location:
        """The Location of a file under the root, as printed in diagnostics."""
        return Location(path.relative_to(self.root).as_posix(), line)

    def read_text(self, path: Path) -> str | None:
        """A file's text, or None (reported) when it is not valid UTF-8."""
        try:
            # utf-8-sig: editors on Windows often start files with a byte-order mark.
            return path.read_text("utf-8-sig")
        except UnicodeDecodeError as error:
            self.problems.error(
                self.location(path), f"not valid UTF-8 ({error.reason}); save it as UTF-8"
            )
            return None

    def yaml(self, path: Path, kind: str) -> Document | None:
        """A YAML file parsed and checked against its schema, or None when unusable."""
        text = self.read_text(path)
        if text is None:
            return None
        before = len(self.problems.items)
        document = read_yaml(text, self.location(path), self.problems)
        if document.value is None and len(self.problems.items) == before:
            self.problems.error(
                document.location, f"the file is empty; see generator/schemas/{kind}.schema.json"
            )
        if document.value is None or not schema.check(document, kind, self.problems):
            return None
        return document

    def asset(
        self, folder: Path, name: str, document: Document, field: tuple[str, ...]
    ) -> Asset | None:
        """A file named in a YAML field, relative to that YAML file's folder."""
        path = (folder / name).resolve()
        location = document.at(field)
        if not path.is_relative_to(self.root.resolve()):
            self.problems.error(
                location, f"'{name}' points outside the repository; keep files inside it"
            )
            return None
        if not path.is_file():
            self.problems.error(
                location,
                f"file '{name}' not found next to {document.location.path}; add it or fix the name",
            )
            return None
        return Asset(path.relative_to(self.root.resolve()).as_posix(), path.read_bytes(), location)


def load_network(root: Path, problems: Problems) -> Network:
    """Read the whole content repository into a Network; problems collect what is wrong."""
    source = Source(root, problems)
    site = _load_site(source)
    if site is None:
        raise BuildFailed(problems.sorted())
    unreadable: set[str] = set()
    skills = _load_skills(source, site.language)
    if not skills.levels:
        unreadable.add("skills")
    issuers = {}
    for path in _files(root / CONTENT / "issuers", ".yaml", source, unreadable, "issuer"):
        issuer = _load_issuer(source, path, site.language)
        if issuer is None:
            unreadable.add(f"issuer:{path.stem}")
        else:
            issuers[path.stem] = issuer
    badges = {}
    for path in _files(root / BADGES, ".yaml", source, unreadable, "badge"):
        badge = _load_badge(source, path, site.language)
        if badge is None:
            unreadable.add(f"badge:{path.stem}")
        else:
            badges[path.stem] = badge
    pages = _load_pages(source, root / CONTENT / "pages", site.language, unreadable)
    credentials, status_lists, revocations = _load_assertions(source, root / ASSERTIONS)
    people = {}
    for path in _files(root / CONTENT / "people", ".yaml", source, unreadable, "person"):
        person = _load_person(source, path)
        if person is None:
            unreadable.add(f"person:{path.stem}")
        else:
            people[path.stem] = person
    return Network(
        site=site,
        skills=skills,
        issuers=issuers,
        badges=badges,
        pages=pages,
        credentials=credentials,
        status_lists=status_lists,
        revocations=revocations,
        people=people,
        unreadable=frozenset(unreadable),
    )


def _files(
    folder: Path, suffix: str, source: Source, unreadable: set[str], kind: str
) -> list[Path]:
    """The files of a folder with a suffix, sorted; a .yml file is reported (and unreadable)."""
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or path.is_dir():
            continue
        if path.suffix == ".yml" and suffix == ".yaml":
            source.problems.error(
                source.location(path), "use the .yaml extension, not .yml; rename the file"
            )
            unreadable.add(f"{kind}:{path.stem}")
        elif path.suffix == suffix:
            found.append(path)
    return found


def _load_site(source: Source) -> Site | None:
    path = source.root / CONTENT / "site.yaml"
    if not path.is_file():
        source.problems.error(
            Location(f"{CONTENT}/site.yaml"),
            "the network's settings file is missing; is --source the content repository?",
        )
        return None
    document = source.yaml(path, "site")
    if document is None:
        return None
    value = document.value
    language = value["language"]
    colours = value["colours"]
    contact = value.get("contact", {})
    logo = value.get("logo")
    return Site(
        name=value["name"],
        description=Text.of(value["description"], language),
        base_url=value["base_url"],
        language=language,
        languages=tuple(value.get("languages", [language])),
        network=value["network"],
        contact_email=contact.get("email"),
        contact_url=contact.get("url"),
        logo=source.asset(path.parent, logo, document, ("logo",)) if logo else None,
        colours=Colours(primary=colours["primary"], accent=colours["accent"]),
        graphics_licence=value["graphics_licence"],
        source=document.location,
        lines=document.lines,
    )


def _load_skills(source: Source, language: str) -> Skills:
    path = source.root / CONTENT / "skills.yaml"
    location = Location(f"{CONTENT}/skills.yaml")
    if not path.is_file():
        source.problems.error(location, "the skill taxonomy is missing; add content/skills.yaml")
        return Skills((), (), location)
    document = source.yaml(path, "skills")
    if document is None:
        return Skills((), (), location)
    levels = tuple(
        Level(
            slug=slug,
            rank=rank,
            name=Text.of(level["name"], language),
            description=Text.of(level["description"], language),
            source=document.at(("levels", slug)),
            resource=bool(level.get("resource", False)),
        )
        for rank, (slug, level) in enumerate(document.value["levels"].items(), start=1)
    )
    domains = tuple(
        Domain(
            slug=slug,
            name=Text.of(domain["name"], language),
            description=Text.of(domain["description"], language),
            colour=domain["colour"],
            symbol=domain["symbol"],
            source=document.at(("domains", slug)),
        )
        for slug, domain in document.value["domains"].items()
    )
    return Skills(levels, domains, document.location)


def _load_issuer(source: Source, path: Path, language: str) -> Issuer | None:
    document = source.yaml(path, "issuer")
    if document is None:
        return None
    value = document.value
    coordinates = value.get("coordinates")
    logo = value.get("logo")
    return Issuer(
        slug=path.stem,
        name=value["name"],
        url=value["url"],
        email=value["email"],
        description=Text.of(value["description"], language),
        address=value.get("address"),
        coordinates=Coordinates(float(coordinates["lat"]), float(coordinates["lon"]))
        if coordinates
        else None,
        opening=Text.of(value["opening"], language) if "opening" in value else None,
        opening_url=value.get("opening_url"),
        logo=source.asset(path.parent, logo, document, ("logo",)) if logo else None,
        awards=tuple(value.get("awards", [])),
        machines=tuple(
            Machine(
                slug=slug,
                name=machine["name"],
                domain=machine["domain"],
                model=machine.get("model"),
                level=machine["level"],
                booking_url=machine.get("booking_url"),
                source=document.at(("machines", slug)),
            )
            for slug, machine in value.get("machines", {}).items()
        ),
        keys=tuple(
            _public_key(key, document, index, source.problems)
            for index, key in enumerate(value.get("keys", []))
        ),
        source=document.location,
        lines=document.lines,
    )


def _public_key(
    key: dict[str, Any], document: Document, index: int, problems: Problems
) -> PublicKey:
    where = ("keys", index)
    return PublicKey(
        id=key["id"],
        public_key_multibase=key["public_key_multibase"],
        valid_from=parse_datetime(key["valid_from"], document, (*where, "valid_from"), problems),
        valid_until=(
            parse_datetime(key["valid_until"], document, (*where, "valid_until"), problems)
            if "valid_until" in key
            else None
        ),
        compromised_at=(
            parse_datetime(key["compromised_at"], document, (*where, "compromised_at"), problems)
            if "compromised_at" in key
            else None
        ),
        source=document.at(where),
    )


def parse_datetime(
    text: str, document: Document, field: tuple[str | int, ...], problems: Problems
) -> datetime:
    """A timezone-aware datetime from an ISO 8601 string checked by the schema."""
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        problems.error(
            document.at(field),
            f"'{text}' is not a valid date and time; write e.g. 2026-01-31T10:00:00Z",
        )
        return datetime.min


def _parse_date(document: Document, field: str, problems: Problems) -> date | None:
    text = document.value.get(field)
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        problems.error(
            document.at((field,)), f"'{text}' is not a valid date; write it as YYYY-MM-DD"
        )
        return None


def _load_badge(source: Source, path: Path, language: str) -> Badge | None:
    document = source.yaml(path, "badge")
    if document is None:
        return None
    value = document.value
    criteria = _criteria(source, path, document, language)
    image_name = value.get("image")
    if image_name:
        image = source.asset(path.parent, image_name, document, ("image",))
    else:
        sibling = next(
            (p for p in (path.with_suffix(".png"), path.with_suffix(".svg")) if p.is_file()), None
        )
        image = (
            Asset(source.location(sibling).path, sibling.read_bytes(), source.location(sibling))
            if sibling
            else None
        )
    valid_for = value.get("valid_for")
    return Badge(
        slug=path.stem,
        name=Text.of(value["name"], language),
        description=Text.of(value["description"], language),
        criteria=criteria,
        domain=value.get("domain"),
        level=value.get("level"),
        tags=tuple(value.get("tags", [])),
        image=image,
        alignments=tuple(
            Alignment(
                name=item["name"],
                url=item["url"],
                description=item.get("description"),
                framework=item.get("framework"),
                code=item.get("code"),
            )
            for item in value.get("alignment", [])
        ),
        valid_for=Duration(**valid_for) if valid_for else None,
        scope=value["scope"],
        status=value["status"],
        approved_on=_parse_date(document, "approved_on", source.problems),
        retired_on=_parse_date(document, "retired_on", source.problems),
        source=document.location,
        lines=document.lines,
    )


def _criteria(source: Source, path: Path, document: Document, language: str) -> Text:
    """The criteria, written in the YAML or in sibling <slug>.md / <slug>.<lang>.md files."""
    files = sorted(path.parent.glob(f"{path.stem}.md")) + sorted(
        path.parent.glob(f"{path.stem}.??.md")
    )
    inline = document.value.get("criteria")
    if inline is not None and files:
        source.problems.error(
            document.at(("criteria",)),
            f"criteria are written both here and in {source.location(files[0])}; keep only one",
        )
    if inline is not None:
        return Text.of(inline, language)
    texts: dict[str, str] = {}
    for file in files:
        text = source.read_text(file)
        match = _TRANSLATION.match(file.stem)
        texts[match["lang"] if match else language] = text or ""
    if not texts:
        source.problems.error(
            document.location,
            f"the badge has no criteria; add a 'criteria' field or a {path.stem}.md file",
        )
    return Text(tuple(sorted(texts.items(), key=lambda item: item[0] != language)))


def _load_pages(
    source: Source, folder: Path, language: str, unreadable: set[str]
) -> dict[str, Page]:
    """Editorial pages: <slug>.md in the default language and <slug>.<lang>.md translations."""
    titles: dict[str, dict[str, str]] = {}
    bodies: dict[str, dict[str, str]] = {}
    menus: dict[str, int | None] = {}
    locations: dict[str, Location] = {}
    for path in _files(folder, ".md", source, unreadable, "page"):
        match = _TRANSLATION.match(path.stem)
        slug, lang = (match["slug"], match["lang"]) if match else (path.stem, language)
        text = source.read_text(path)
        if text is None:
            unreadable.add(f"page:{slug}")
            continue
        front, body = read_markdown(text, source.location(path), source.problems)
        if not schema.check(front, "page", source.problems):
            unreadable.add(f"page:{slug}")
            continue
        titles.setdefault(slug, {})[lang] = front.value["title"]
        bodies.setdefault(slug, {})[lang] = body
        if lang == language:
            menus[slug] = front.value.get("menu")
            locations[slug] = front.location
    pages = {}
    for slug in sorted(titles):
        if slug not in locations and f"page:{slug}" not in unreadable:
            other = next(iter(titles[slug]))
            source.problems.error(
                Location(f"{CONTENT}/pages/{slug}.{other}.md"),
                f"translation without an original; add content/pages/{slug}.md in '{language}'",
            )
            continue
        if slug not in locations:
            continue
        order = sorted(titles[slug], key=lambda lang: lang != language)
        pages[slug] = Page(
            slug=slug,
            title=Text(tuple((lang, titles[slug][lang]) for lang in order)),
            body=Text(tuple((lang, bodies[slug][lang]) for lang in order)),
            menu=menus[slug],
            source=locations[slug],
        )
    return pages


STATUS_LIST_FILE = "status-list.json"
REVOCATIONS = "revocations"
AWARD_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

Assertions = tuple[
    dict[tuple[str, str], SignedFile], dict[str, SignedFile], dict[tuple[str, str], SignedFile]
]


def _load_assertions(source: Source, folder: Path) -> Assertions:
    """assertions/<issuer>/<award>.json, <issuer>/status-list.json, <issuer>/revocations/*.json."""
    credentials: dict[tuple[str, str], SignedFile] = {}
    status_lists: dict[str, SignedFile] = {}
    revocations: dict[tuple[str, str], SignedFile] = {}
    if not folder.is_dir():
        return credentials, status_lists, revocations
    for issuer_dir in sorted(
        p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")
    ):
        issuer = issuer_dir.name
        for path in sorted(issuer_dir.iterdir()):
            if path.name.startswith("."):
                continue
            if path.is_dir() and path.name == REVOCATIONS:
                for record in sorted(path.glob("*.json")):
                    if signed := signed_file(source, record, issuer):
                        revocations[(issuer, record.stem)] = signed
            elif path.name == STATUS_LIST_FILE:
                if signed := signed_file(source, path, issuer):
                    status_lists[issuer] = signed
            elif path.suffix == ".json" and AWARD_SLUG.match(path.stem):
                if signed := signed_file(source, path, issuer):
                    credentials[(issuer, path.stem)] = signed
            else:
                source.problems.error(
                    source.location(path),
                    "unexpected file in assertions/; only <award-id>.json credentials written by "
                    "'build.py issue' (lower-case letters, digits, '-'), status-list.json and "
                    "revocations/ belong here",
                )
    return credentials, status_lists, revocations


def signed_file(source: Source, path: Path, issuer: str) -> SignedFile | None:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        source.problems.error(
            source.location(path), "not valid UTF-8; restore the file as it was signed"
        )
        return None
    document = read_json(text, source.location(path), source.problems)
    if document.value is None:
        return None
    if not isinstance(document.value, dict):
        source.problems.error(
            document.location, "expected a JSON object; restore the file as it was signed"
        )
        return None
    return SignedFile(issuer, path.stem, document.value, data, document.location)


def _load_person(source: Source, path: Path) -> Person | None:
    """A person file; it must never hold an email address (only pseudonymous links)."""
    document = source.yaml(path, "person")
    if document is None:
        return None
    value = document.value
    for key_path, line in sorted(document.lines.items(), key=lambda item: item[1]):
        text = _value_at(value, key_path)
        if isinstance(text, str) and _EMAIL_IN_TEXT.search(text):
            source.problems.error(
                document.location.at(line),
                "a person file must not hold an email address (privacy); remove it, and give "
                "an https contact link of the person's choosing if they want one",
            )
    return Person(
        slug=path.stem,
        name=value.get("name"),
        consent=frozenset(scope for scope, given in value.get("consent", {}).items() if given),
        contact=value.get("contact"),
        awards=tuple(_award_ref(ref) for ref in value["awards"]),
        source=document.location,
        lines=document.lines,
    )


def _award_ref(ref: str) -> tuple[str, str]:
    issuer, award = ref.split("/", 1)
    return issuer, award


_EMAIL_IN_TEXT = re.compile(r"[^@\s:/]+@[^@\s/]+\.[A-Za-z]{2,}")


def _value_at(value: Any, path: tuple[str | int, ...]) -> Any:
    for part in path:
        try:
            value = value[part]
        except (KeyError, IndexError, TypeError):
            return None
    return value

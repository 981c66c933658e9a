"""Load stage: read every content file into the typed model, reporting what cannot be read."""

from __future__ import annotations

from pathlib import Path

from generator.site.load.assertions import load_assertions, load_endorsements
from generator.site.load.badges import load_badge
from generator.site.load.earlier import load_earlier
from generator.site.load.endorsers import load_endorsers
from generator.site.load.issuers import load_issuer
from generator.site.load.key_logs import load_authority
from generator.site.load.pages import load_pages
from generator.site.load.people import load_person
from generator.site.load.repository import ASSERTIONS, BADGES, CONTENT, Repository, listed_files
from generator.site.model.network import (
    Badge,
    Colours,
    Domain,
    Issuer,
    Level,
    Network,
    Site,
    Skills,
    Text,
)
from generator.site.model.problems import BuildFailed, Location, Problems


def load_network(root: Path, problems: Problems) -> Network:
    """Read the whole content repository into a Network; problems collect what is wrong."""
    source = Repository(root, problems)
    site = _load_site(source)
    if site is None:
        raise BuildFailed(problems.sorted())
    unreadable: set[str] = set()
    skills = _load_skills(source, site.language)
    if not skills.levels:
        unreadable.add("skills")
    issuers = {}
    read_in_part: list[Issuer | Badge] = []
    for path in listed_files(root / CONTENT / "issuers", ".yaml", source, unreadable, "issuer"):
        issuer = load_issuer(source, path, site.language)
        if issuer is None or issuer.broken:
            unreadable.add(f"issuer:{path.stem}")
            read_in_part.extend([issuer] if issuer else [])
        else:
            issuers[path.stem] = issuer
    badges = {}
    for path in listed_files(root / BADGES, ".yaml", source, unreadable, "badge"):
        badge = load_badge(source, path, site.language)
        if badge is None or badge.broken:
            unreadable.add(f"badge:{path.stem}")
            read_in_part.extend([badge] if badge else [])
        else:
            badges[path.stem] = badge
    pages = load_pages(source, root / CONTENT / "pages", site.language, unreadable)
    credentials, status_lists, revocations = load_assertions(source, root / ASSERTIONS)
    earlier = load_earlier(source, root / ASSERTIONS, unreadable)
    people = {}
    for path in listed_files(root / CONTENT / "people", ".yaml", source, unreadable, "person"):
        person = load_person(source, path)
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
        earlier=earlier,
        endorsers=load_endorsers(source, site.language, unreadable),
        endorsements=load_endorsements(source, root / ASSERTIONS),
        authority=load_authority(source),
        unreadable=frozenset(unreadable),
        read_in_part=tuple(read_in_part),
    )


_EVERY_FILE_NEEDS = frozenset({"base_url", "language", "languages", "network"})
"""The settings every other file is read and checked with: while one of them is broken, it
is reported alone. (Other broken settings are reported with every other file's problems.)"""


def _load_site(source: Repository) -> Site | None:
    path = source.root / CONTENT / "site.yaml"
    if not path.is_file():
        source.problems.error(
            Location(f"{CONTENT}/site.yaml"),
            "the network's settings file is missing; is --source the content repository?",
        )
        return None
    document = source.yaml(path, "site", partial=True)
    if document is None or document.broken & _EVERY_FILE_NEEDS:
        return None
    value = document.value
    language = value["language"]
    colours = value.get("colours", {"primary": "#000000", "accent": "#000000"})
    contact = value.get("contact", {})
    logo = value.get("logo")
    return Site(
        name=value.get("name", ""),
        description=Text.of(value.get("description", ""), language),
        base_url=value["base_url"],
        language=language,
        languages=tuple(value.get("languages", [language])),
        network=value["network"],
        contact_email=contact.get("email"),
        contact_url=contact.get("url"),
        logo=source.asset(path.parent, logo, document, ("logo",)) if logo else None,
        colours=Colours(primary=colours["primary"], accent=colours["accent"]),
        graphics_licence=value.get("graphics_licence", ""),
        source=document.location,
        lines=document.lines,
    )


def _load_skills(source: Repository, language: str) -> Skills:
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

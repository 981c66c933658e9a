"""The network's skills map: who holds what, where, and which machines a badge opens.

One place computes every count, so that the pages and the open-data exports agree.
Counting rules: only awards valid at build time count (not revoked, not expired); a
person is named only with `map` consent, and listed as a resource person only with
`resource` consent, for a level marked `resource` in content/skills.yaml.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from generator.site.model.awards import Award
from generator.site.model.network import Badge, Domain, Issuer, Level, Machine, Network, Person
from generator.site.render.aligned_skills import AlignedSkill, aligned_skills


@dataclass(frozen=True)
class PlacedMachine:
    """A machine, where it is, and the level of its domain's badge needed to use it alone."""

    issuer: Issuer
    machine: Machine
    level: Level
    badge: Badge | None


@dataclass(frozen=True)
class ResourcePerson:
    """A consenting holder of a trainer or maintainer level."""

    name: str
    contact: str | None
    issuer: Issuer
    domain: Domain
    level: Level
    badge: Badge


@dataclass(frozen=True)
class Cell:
    """One domain at one level: its badge, its holders and where they earned it."""

    domain: Domain
    level: Level
    badge: Badge | None
    holders: int
    by_issuer: tuple[tuple[Issuer, int], ...]
    named: tuple[str, ...]
    awarders: tuple[Issuer, ...]


@dataclass(frozen=True)
class SkillsMap:
    """Every count of the skills map, computed once."""

    cells: Mapping[tuple[str, str], Cell]
    machines: tuple[PlacedMachine, ...]
    resource_persons: tuple[ResourcePerson, ...]
    holders_by_badge: Mapping[tuple[str, str], int]
    """Valid awards by (issuer slug, badge slug)."""
    aligned: tuple[AlignedSkill, ...] = ()
    """The skill frameworks' entries the badges align with, each with a page."""

    def holders_of(self, badge: Badge) -> int:
        """A badge's valid awards, at every structure."""
        return sum(n for (_, slug), n in self.holders_by_badge.items() if slug == badge.slug)

    def cell(self, domain: str, level: str) -> Cell:
        """The cell of a domain and a level."""
        return self.cells[(domain, level)]

    def machines_of(
        self, domain: str | None = None, issuer: str | None = None
    ) -> list[PlacedMachine]:
        """Machines, optionally of one domain and/or one structure."""
        return [
            m
            for m in self.machines
            if (domain is None or m.machine.domain == domain)
            and (issuer is None or m.issuer.slug == issuer)
        ]

    def resources_of(
        self, domain: str | None = None, issuer: str | None = None
    ) -> list[ResourcePerson]:
        """Resource persons, optionally of one domain and/or one structure."""
        return [
            r
            for r in self.resource_persons
            if (domain is None or r.domain.slug == domain)
            and (issuer is None or r.issuer.slug == issuer)
        ]

    def awarders_of(self, domain: str) -> list[Issuer]:
        """The structures that award at least one badge of a domain, by slug."""
        found = {
            i.slug: i for c in self.cells.values() if c.domain.slug == domain for i in c.awarders
        }
        return [found[slug] for slug in sorted(found)]

    def opened_by(self, badge: Badge) -> list[PlacedMachine]:
        """The machines a badge lets its holder use alone: its domain, at its level or below."""
        if badge.domain is None or badge.level is None:
            return []
        rank = next((c.level.rank for c in self.cells.values() if c.level.slug == badge.level), 0)
        return [m for m in self.machines_of(badge.domain) if m.level.rank <= rank]


def build_skills_map(
    network: Network, awards: Mapping[tuple[str, str], Award], now: datetime
) -> SkillsMap:
    """Count valid awards per domain and level, name only consenting people."""
    valid = [award for _, award in sorted(awards.items()) if award.status(now) == "valid"]
    people = {key: person for person in network.people.values() for key in person.awards}
    cells = {}
    for domain in network.skills.domains:
        for level in network.skills.levels:
            badge = _network_badge(network, domain, level)
            held = [a for a in valid if badge is not None and a.badge.slug == badge.slug]
            where = Counter(a.issuer.slug for a in held)
            cells[(domain.slug, level.slug)] = Cell(
                domain=domain,
                level=level,
                badge=badge,
                holders=len(held),
                by_issuer=tuple(
                    (network.issuers[slug], count) for slug, count in sorted(where.items())
                ),
                named=tuple(sorted(_names(held, people, "map"))),
                awarders=network.awarders(badge) if badge else (),
            )
    return SkillsMap(
        cells=cells,
        machines=_machines(network),
        resource_persons=_resource_persons(network, valid, people),
        holders_by_badge=dict(Counter((a.issuer.slug, a.badge.slug) for a in valid)),
        aligned=aligned_skills(network),
    )


def _network_badge(network: Network, domain: Domain, level: Level) -> Badge | None:
    return next(
        (
            badge
            for _, badge in sorted(network.badges.items())
            if badge.is_network_badge
            and badge.domain == domain.slug
            and badge.level == level.slug
            and badge.status != "retired"
        ),
        None,
    )


def _names(held: list[Award], people: Mapping[tuple[str, str], Person], scope: str) -> set[str]:
    names = set()
    for award in held:
        person = people.get((award.issuer.slug, award.slug))
        if person is not None and person.name and person.allows(scope):
            names.add(person.name)
    return names


def _machines(network: Network) -> tuple[PlacedMachine, ...]:
    placed = []
    for _, issuer in sorted(network.issuers.items()):
        for machine in issuer.machines:
            level = network.skills.level(machine.level)
            domain = network.skills.domain(machine.domain)
            if level is None or domain is None:
                continue
            placed.append(
                PlacedMachine(issuer, machine, level, _network_badge(network, domain, level))
            )
    return tuple(placed)


def _resource_persons(
    network: Network, valid: list[Award], people: Mapping[tuple[str, str], Person]
) -> tuple[ResourcePerson, ...]:
    found: dict[tuple[str, str, str], ResourcePerson] = {}
    for award in valid:
        person = people.get((award.issuer.slug, award.slug))
        level = network.skills.level(award.badge.level) if award.badge.level else None
        domain = network.skills.domain(award.badge.domain) if award.badge.domain else None
        if person is None or not person.name or not person.allows("resource"):
            continue
        if level is None or domain is None or not level.resource:
            continue
        key = (domain.slug, person.slug, award.issuer.slug)
        # A person listed once per domain and structure, at their highest level there.
        if key not in found or found[key].level.rank < level.rank:
            found[key] = ResourcePerson(
                person.name, person.contact, award.issuer, domain, level, award.badge
            )
    return tuple(
        sorted(found.values(), key=lambda r: (r.domain.slug, -r.level.rank, r.name, r.issuer.slug))
    )


@dataclass(frozen=True)
class IssuerBadges:
    """What a structure has awarded and what it may award, each in the taxonomy's order."""

    awarded: tuple[tuple[Badge, int], ...]
    """The badges it awarded that are valid now, each with its count of valid awards."""
    may_award: tuple[Badge, ...]
    """The other badges it may award (none valid yet)."""

    @property
    def valid_awards(self) -> int:
        """How many of its awards are valid now."""
        return sum(count for _, count in self.awarded)


def issuer_badges(network: Network, skills_map: SkillsMap, issuer: Issuer) -> IssuerBadges:
    """A structure's badges: those with holders first, then those it may award, each ordered
    by domain (as content/skills.yaml lists them) and level rank, then by name."""
    domains = {domain.slug: i for i, domain in enumerate(network.skills.domains)}
    ranks = {level.slug: level.rank for level in network.skills.levels}

    def order(badge: Badge) -> tuple[int, int, str]:
        return (
            domains.get(badge.domain or "", len(domains)),
            ranks.get(badge.level or "", len(ranks) + 1),
            badge.name.get(network.site.language),
        )

    badges = sorted(network.awarded_by(issuer), key=order)
    counts = {
        badge.slug: skills_map.holders_by_badge.get((issuer.slug, badge.slug), 0)
        for badge in badges
    }
    return IssuerBadges(
        awarded=tuple((badge, counts[badge.slug]) for badge in badges if counts[badge.slug]),
        may_award=tuple(badge for badge in badges if not counts[badge.slug]),
    )

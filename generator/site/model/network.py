"""The network as a typed, immutable model: what the loader builds and every later stage reads."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Literal

from generator.site.model.authority import Authority, PublicKey
from generator.site.model.imported import EarlierAward, Original
from generator.site.model.problems import Location
from generator.site.model.signed import SignedEndorsements, SignedFile

BadgeStatus = Literal["proposed", "approved", "retired"]
NETWORK_SCOPE = "network"
FieldPath = tuple[str | int, ...]


class Located:
    """A model object read from a file: its Location, and the line of each of its fields."""

    source: Location
    lines: Mapping[FieldPath, int]

    def at(self, *path: str | int) -> Location:
        """The location of a field (e.g. at("awards", 2)), or of its nearest parent; at() is
        the file's first line, where a problem of the whole file is reported."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(path[:end])
            if line is not None:
                return self.source.at(line)
        return self.source


@dataclass(frozen=True)
class Text:
    """A text a person wrote: one string, or one string per language."""

    values: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, value: str | Mapping[str, str], default_language: str) -> Text:
        """A Text from a YAML value (a string is in the default language)."""
        if isinstance(value, str):
            return cls(((default_language, value),))
        return cls(tuple(value.items()))

    def get(self, language: str) -> str:
        """The text in a language, else in the first language given."""
        for lang, text in self.values:
            if lang == language:
                return text
        return self.values[0][1] if self.values else ""

    def language_of(self, language: str) -> str:
        """The language actually used by get(language)."""
        for lang, _ in self.values:
            if lang == language:
                return lang
        return self.values[0][0] if self.values else language

    def __bool__(self) -> bool:
        return any(text.strip() for _, text in self.values)


@dataclass(frozen=True)
class Asset:
    """A file of the content repository copied to the site (logo, badge image)."""

    path: str
    data: bytes
    source: Location

    @property
    def extension(self) -> str:
        """The lower-case file extension without its dot."""
        return self.path.rsplit(".", 1)[-1].lower()


@dataclass(frozen=True)
class Colours:
    """The site's colours, as #rrggbb."""

    primary: str
    accent: str


@dataclass(frozen=True)
class Site(Located):
    """The network's site settings, from content/site.yaml."""

    name: str
    description: Text
    base_url: str
    language: str
    languages: tuple[str, ...]
    network: str
    contact_email: str | None
    contact_url: str | None
    logo: Asset | None
    colours: Colours
    graphics_licence: str
    source: Location
    lines: Mapping[FieldPath, int] = field(default_factory=dict, repr=False)


@dataclass(frozen=True)
class Level:
    """A step of every domain's pathway, ordered from 1 (first steps)."""

    slug: str
    rank: int
    name: Text
    description: Text
    source: Location
    resource: bool = False
    """Whether consenting holders are listed as resource persons (trainers, maintainers)."""


@dataclass(frozen=True)
class Domain:
    """A skill domain such as laser cutting."""

    slug: str
    name: Text
    description: Text
    colour: str
    symbol: str
    source: Location


@dataclass(frozen=True)
class Skills:
    """The network's taxonomy, from content/skills.yaml."""

    levels: tuple[Level, ...]
    domains: tuple[Domain, ...]
    source: Location

    def level(self, slug: str) -> Level | None:
        """The level with this slug, if any."""
        return next((level for level in self.levels if level.slug == slug), None)

    def domain(self, slug: str) -> Domain | None:
        """The domain with this slug, if any."""
        return next((domain for domain in self.domains if domain.slug == slug), None)


@dataclass(frozen=True)
class Coordinates:
    """A WGS 84 position."""

    lat: float
    lon: float


@dataclass(frozen=True)
class Machine:
    """A machine of a structure, and the badge level that grants its autonomous use."""

    slug: str
    name: str
    domain: str
    model: str | None
    level: str
    booking_url: str | None
    source: Location


@dataclass(frozen=True)
class Issuer(Located):
    """A structure of the network (or the network itself), from content/issuers/<slug>.yaml."""

    slug: str
    name: str
    url: str
    email: str
    description: Text
    address: str | None
    coordinates: Coordinates | None
    opening: Text | None
    opening_url: str | None
    logo: Asset | None
    awards: tuple[str, ...]
    machines: tuple[Machine, ...]
    keys: tuple[PublicKey, ...]
    """Its proven keys: those its key history proves (check/authority.py), none before."""
    source: Location
    lines: Mapping[FieldPath, int] = field(default_factory=dict, repr=False)
    broken: frozenset[str] = frozenset()
    """Fields its schema refused (a file read in part, only to be checked: never published)."""
    maintainers: tuple[str, ...] = ()
    """Its accounts on the forge, which .github/CODEOWNERS asks to approve its changes."""
    unproven: Mapping[str, str] = field(default_factory=dict)
    """Keys its history names without proving them, by id: why (their credentials are refused)."""


@dataclass(frozen=True)
class Alignment:
    """An entry of a skill framework a badge aligns with, as its file writes it: a known
    framework (frameworks.py) and its code, or another framework and its entry's url."""

    name: Text
    url: str | None
    description: Text | None
    framework: str | None
    code: str | None
    target_type: str | None = None


@dataclass(frozen=True)
class Duration:
    """How long an award stays valid."""

    years: int = 0
    months: int = 0
    days: int = 0


@dataclass(frozen=True)
class Badge(Located):
    """A badge class, from badges/<slug>.yaml."""

    slug: str
    name: Text
    description: Text
    criteria: Text
    domain: str | None
    level: str | None
    tags: tuple[str, ...]
    image: Asset | None
    alignments: tuple[Alignment, ...]
    valid_for: Duration | None
    scope: str
    status: BadgeStatus
    approved_on: date | None
    retired_on: date | None
    source: Location
    lines: Mapping[FieldPath, int] = field(default_factory=dict, repr=False)
    broken: frozenset[str] = frozenset()
    """Fields its schema refused (a file read in part, only to be checked: never published)."""
    original: Original | None = None
    # Open Badges 3.0 Achievement fields, carried when given (written, or imported).
    achievement_type: str | None = None
    human_code: str | None = None
    field_of_study: Text | None = None
    credits_available: float | None = None

    @property
    def is_network_badge(self) -> bool:
        """Whether any member structure may award it."""
        return self.scope == NETWORK_SCOPE


@dataclass(frozen=True)
class Page:
    """An editorial page, from content/pages/<slug>.md (and <slug>.<lang>.md translations)."""

    slug: str
    title: Text
    body: Text
    menu: int | None
    source: Location
    searchable: bool = True
    """Whether the site's search index holds it (front matter `search: false` says no)."""


CONSENT_SCOPES = ("name", "map", "resource", "portfolio")


@dataclass(frozen=True)
class Person(Located):
    """An earner, under a pseudonymous slug chosen by the issuer, and what they consent to.

    Kept outside the signed credentials, so that consent changes without re-signing.
    """

    slug: str
    name: str | None
    consent: frozenset[str]
    contact: str | None
    awards: tuple[tuple[str, str], ...]
    source: Location
    lines: Mapping[FieldPath, int] = field(default_factory=dict, repr=False)
    portfolio_withdrawn: bool = False
    """Portfolio consent withdrawn (`consent --withdraw portfolio`): its address says so."""

    def allows(self, scope: str) -> bool:
        """Whether the person consented to this scope (every scope defaults to no)."""
        return scope in self.consent

    @property
    def portfolio_gone(self) -> bool:
        """Whether the portfolio's address shows a 'no longer published' page."""
        return self.portfolio_withdrawn and not self.allows("portfolio")


@dataclass(frozen=True)
class Endorser(Located):
    """An outside organisation that endorses, from content/endorsers/<slug>.yaml (the network
    and its structures endorse as themselves)."""

    slug: str
    name: str
    url: str
    description: Text
    logo: Asset | None
    did: str | None
    """Its own domain's did:web, its DID document vendored beside its file; None when the
    site hosts its DID, with the keys its key history proves."""
    source: Location
    lines: Mapping[FieldPath, int] = field(default_factory=dict, repr=False)
    did_document: SignedFile | None = None
    """The DID document its own domain publishes, as vendored (content/endorsers/<slug>.did.json)."""
    keys: tuple[PublicKey, ...] = ()
    """Its proven keys: its key history's, or its vendored DID document's (check/endorsers.py)."""
    unproven: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Network:
    """Everything the build knows about the network, loaded and not yet verified."""

    site: Site
    skills: Skills
    issuers: Mapping[str, Issuer]
    badges: Mapping[str, Badge]
    pages: Mapping[str, Page]
    credentials: Mapping[tuple[str, str], SignedFile] = field(default_factory=dict)
    """Credentials by (issuer slug, award slug)."""
    status_lists: Mapping[str, SignedFile] = field(default_factory=dict)
    """Each issuer's signed BitstringStatusListCredential, by issuer slug."""
    revocations: Mapping[tuple[str, str], SignedFile] = field(default_factory=dict)
    """Signed revocation records by (issuer slug, award slug)."""
    people: Mapping[str, Person] = field(default_factory=dict)
    """Earners who agreed to be linked to their awards, by slug."""
    earlier: Mapping[tuple[str, str], EarlierAward] = field(default_factory=dict)
    """Awards another platform published before the import, by (issuer slug, record slug)."""
    unreadable: frozenset[str] = frozenset()
    """Files that exist but could not be loaded ('skills', 'issuer:<slug>', 'badge:<slug>',
    'page:<slug>'): verify treats them as present, so one broken file reports one error."""
    endorsers: Mapping[str, Endorser] = field(default_factory=dict)
    endorsements: SignedEndorsements = field(default_factory=SignedEndorsements)
    authority: Authority = field(default_factory=Authority)
    """Key histories, the coordinators' log and CODEOWNERS (generator/site/authority.py)."""
    read_in_part: tuple[Issuer | Badge, ...] = ()
    """Structures and badges whose file breaks its schema, read without the refused fields
    (their `broken`): not in `issuers` or `badges` (they are unreadable there), but the rules
    of their own file are checked in the same run."""

    @property
    def revoked_and_deleted(self) -> tuple[tuple[str, str], ...]:
        """Awards whose credential was deleted after it was revoked, sorted: only the signed
        revocation record is left, and it keeps the award's addresses answering (revoked)."""
        return tuple(sorted(key for key in self.revocations if key not in self.credentials))

    @property
    def network_issuer(self) -> Issuer:
        """The issuer profile of the network itself."""
        return self.issuers[self.site.network]

    def awarders(self, badge: Badge) -> tuple[Issuer, ...]:
        """The structures that award a badge (listed in their `awards`, or its owner), by slug."""
        return tuple(
            issuer
            for slug, issuer in sorted(self.issuers.items())
            if badge.slug in issuer.awards or slug == badge.scope
        )

    def person_of(self, issuer: str, award: str) -> Person | None:
        """The person an award is linked to, if any."""
        return self._people_by_award.get((issuer, award))

    @cached_property
    def _people_by_award(self) -> dict[tuple[str, str], Person]:
        # Built once: every award page asks, and a network has thousands of awards.
        return {
            award: person for _, person in sorted(self.people.items()) for award in person.awards
        }

    def awarded_by(self, issuer: Issuer) -> tuple[Badge, ...]:
        """The badges a structure awards, sorted by slug."""
        if self.issuers.get(issuer.slug) is issuer:
            return self._awarded_by[issuer.slug]
        return self._badges_awarded_by(issuer)

    @cached_property
    def _awarded_by(self) -> dict[str, tuple[Badge, ...]]:
        # Built once: the checks ask for every credential, the pages for every award.
        return {slug: self._badges_awarded_by(issuer) for slug, issuer in self.issuers.items()}

    def _badges_awarded_by(self, issuer: Issuer) -> tuple[Badge, ...]:
        return tuple(
            badge
            for slug, badge in sorted(self.badges.items())
            if slug in issuer.awards or badge.scope == issuer.slug
        )

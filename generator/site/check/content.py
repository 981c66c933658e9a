"""Check stage, content rules: the references and rules that no single file can check alone."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date
from typing import TypeVar
from urllib.parse import urlsplit

from generator.drawing.pictograms import SYMBOLS
from generator.site.check.alignments import check_alignments
from generator.site.check.earlier import check_earlier
from generator.site.check.images import BADGE_IMAGE, LOGO, check_image
from generator.site.check.translations import check_translations
from generator.site.model.network import NETWORK_SCOPE, Badge, Issuer, Network, Page
from generator.site.model.problems import Location, Problems, one_of, suggest

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def check_content(network: Network, problems: Problems, published: Network | None = None) -> None:
    """Check cross-file rules of a loaded network, adding every problem found; `published`
    is the network at the revision given with --since, if any."""
    _check_site(network, problems)
    _check_skills(network, problems)
    _check_slugs(network, problems)
    # Files read in part (their schema failed) are checked too: all of a file's problems in
    # one run, not a round of schema problems and then a round of the others.
    for issuer in [*network.issuers.values(), *_read_in_part(network, Issuer)]:
        _check_issuer(network, issuer, problems)
    for badge in [*network.badges.values(), *_read_in_part(network, Badge)]:
        _check_badge(network, badge, problems)
    _check_unique_pathway_steps(network, problems, published)
    _check_people(network, problems)
    check_earlier(network, problems)
    check_translations(network, problems)
    if "index" not in network.pages and "page:index" not in network.unreadable:
        problems.warning(
            Location("content/pages/index.md"),
            "no home page text; add content/pages/index.md",
        )


_Part = TypeVar("_Part", Issuer, Badge)


def _read_in_part(network: Network, kind: type[_Part]) -> list[_Part]:
    """The structures or badges whose file was read in part only (its schema failed)."""
    return [thing for thing in network.read_in_part if isinstance(thing, kind)]


def base_url_problem(base_url: str) -> str | None:
    """What is wrong with the site's base_url, or None. Every published address is made
    from it: while it is wrong, the checks that compare addresses are not run (their
    problems would all be this one)."""
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return (
            f"base_url '{base_url}' is not an absolute URL; write the full public address, "
            "e.g. https://org.github.io/repo/"
        )
    if not base_url.endswith("/"):
        return f"base_url '{base_url}' must end with '/'; write '{base_url}/'"
    if parts.query or parts.fragment:
        return f"base_url '{base_url}' must not have a query or fragment; remove it"
    return None


def _check_site(network: Network, problems: Problems) -> None:
    site = network.site
    if problem := base_url_problem(site.base_url):
        problems.error(site.at("base_url"), problem)
    if site.language not in site.languages:
        problems.error(
            site.at("languages"), f"language '{site.language}' is not in languages; add it"
        )
    for endorser in network.endorsers.values():  # outside endorsers' logos, as structures'
        if endorser.logo is not None:
            check_image(endorser.logo, LOGO, problems)
    if site.network not in network.issuers and f"issuer:{site.network}" not in network.unreadable:
        problems.error(
            site.at("network"),
            f"network '{site.network}' has no issuer file{suggest(site.network, network.issuers)}; "
            f"add content/issuers/{site.network}.yaml or {one_of(network.issuers)}",
        )
    if site.logo:
        check_image(site.logo, LOGO, problems)


def _check_skills(network: Network, problems: Problems) -> None:
    for domain in network.skills.domains:
        if domain.symbol not in SYMBOLS:
            problems.error(
                domain.source,
                f"symbol '{domain.symbol}' is unknown{suggest(domain.symbol, SYMBOLS)}; {one_of(SYMBOLS)}",
            )


def _check_slugs(network: Network, problems: Problems) -> None:
    """File names become permanent URLs: they must be slugs (unique, since they are file names)."""
    named: list[Issuer | Badge | Page] = [
        *network.issuers.values(),
        *network.badges.values(),
        *network.read_in_part,
        *network.pages.values(),
    ]
    for thing in named:
        if not SLUG.match(thing.slug):
            problems.error(
                thing.source.at(None),
                f"file name '{thing.slug}' is not a valid slug; rename it with lower-case letters, "
                "digits and single '-' (it becomes part of permanent URLs)",
            )


def _check_issuer(network: Network, issuer: Issuer, problems: Problems) -> None:
    skills = network.skills
    taxonomy_known = "skills" not in network.unreadable
    domains = [domain.slug for domain in skills.domains]
    levels = [level.slug for level in skills.levels]
    for machine in issuer.machines:
        if taxonomy_known and skills.domain(machine.domain) is None:
            problems.error(
                issuer.at("machines", machine.slug, "domain"),
                f"machine '{machine.slug}': domain '{machine.domain}' is unknown"
                f"{suggest(machine.domain, domains)}; {one_of(domains)}",
            )
        if taxonomy_known and skills.level(machine.level) is None:
            problems.error(
                issuer.at("machines", machine.slug, "level"),
                f"machine '{machine.slug}': level '{machine.level}' is unknown"
                f"{suggest(machine.level, levels)}; {one_of(levels)}",
            )
    for index, slug in enumerate(issuer.awards):
        badge = network.badges.get(slug)
        if badge is None and f"badge:{slug}" in network.unreadable:
            continue
        if badge is None:
            problems.error(
                issuer.at("awards", index),
                f"awards: badge '{slug}' does not exist{suggest(slug, network.badges)}; "
                "fix the name or add the badge in badges/",
            )
        elif badge.scope != NETWORK_SCOPE and badge.scope != issuer.slug:
            problems.error(
                issuer.at("awards", index),
                f"awards: badge '{slug}' belongs to '{badge.scope}', outside this structure's scope; "
                "only network badges and the structure's own badges can be awarded",
            )
    if issuer.logo:
        check_image(issuer.logo, LOGO, problems)


def _check_badge(network: Network, badge: Badge, problems: Problems) -> None:
    skills = network.skills
    where = badge.at()
    taxonomy_known = "skills" not in network.unreadable
    if taxonomy_known and badge.domain is not None and skills.domain(badge.domain) is None:
        domains = [domain.slug for domain in skills.domains]
        problems.error(
            badge.at("domain"),
            f"domain '{badge.domain}' is unknown{suggest(badge.domain, domains)}; {one_of(domains)}",
        )
    if taxonomy_known and badge.level is not None and skills.level(badge.level) is None:
        levels = [level.slug for level in skills.levels]
        problems.error(
            badge.at("level"),
            f"level '{badge.level}' is unknown{suggest(badge.level, levels)}; {one_of(levels)}",
        )
    broken = badge.broken
    if (badge.domain is None) != (badge.level is None) and not {"domain", "level"} & broken:
        problems.error(
            where, "a badge of the taxonomy needs both 'domain' and 'level'; add the missing one"
        )
    if badge.domain is None and not badge.tags and not {"domain", "tags"} & broken:
        problems.error(
            where, "a badge outside the taxonomy needs 'tags'; add tags, or a domain and a level"
        )
    if (
        "scope" not in broken
        and badge.scope != NETWORK_SCOPE
        and badge.scope not in network.issuers
        and f"issuer:{badge.scope}" not in network.unreadable
    ):
        problems.error(
            badge.at("scope"),
            f"scope '{badge.scope}' is neither 'network' nor a structure{suggest(badge.scope, network.issuers)}; "
            f"use 'network' or one of: {', '.join(sorted(network.issuers))}",
        )
    if "status" not in broken:
        _check_badge_dates(badge, problems)
    check_alignments(badge, problems)
    if badge.image is not None:
        check_image(badge.image, BADGE_IMAGE, problems)


def _check_badge_dates(badge: Badge, problems: Problems) -> None:
    """A badge's status and the dates it was approved and retired must agree."""
    if badge.status in ("approved", "retired") and badge.approved_on is None:
        problems.error(
            badge.at("status"),
            f"a badge with status '{badge.status}' needs 'approved_on' (YYYY-MM-DD); add it",
        )
    if badge.status == "retired" and badge.retired_on is None:
        problems.error(
            badge.at("status"), "a retired badge needs 'retired_on' (YYYY-MM-DD); add it"
        )
    if badge.status != "retired" and badge.retired_on is not None:
        problems.error(
            badge.at("retired_on"),
            f"'retired_on' is set but status is '{badge.status}'; set status: retired or remove it",
        )
    if badge.approved_on and badge.retired_on and badge.retired_on < badge.approved_on:
        problems.error(
            badge.at("retired_on"), "'retired_on' is before 'approved_on'; fix the dates"
        )


def _check_unique_pathway_steps(
    network: Network, problems: Problems, published: Network | None
) -> None:
    """Two network badges for the same domain and level would make the pathway ambiguous.

    The problem lands on the badge that is not established: one changed since the published
    revision (with --since) rather than one that was not, a proposal rather than an approved
    badge, the later approved rather than the earlier; so that a pull request is told about
    its own file, never told to retire a badge it did not touch.
    """
    steps: dict[tuple[str, str], list[Badge]] = defaultdict(list)
    for badge in network.badges.values():
        if badge.is_network_badge and badge.domain and badge.level and badge.status != "retired":
            steps[(badge.domain, badge.level)].append(badge)

    def newcomer_last(badge: Badge) -> tuple[bool, bool, date, str]:
        changed = published is not None and published.badges.get(badge.slug) != badge
        approved = badge.status == "approved"
        return (changed, not approved, badge.approved_on or date.max, badge.slug)

    for (domain, level), badges in steps.items():
        established, *others = sorted(badges, key=newcomer_last)
        for badge in others:
            problems.error(
                badge.at("level"),
                f"network badge for {domain} / {level} already defined by "
                f"{established.source.path} ({established.status}); change this badge's domain "
                "or level, or retire one of them",
            )


def _check_people(network: Network, problems: Problems) -> None:
    """Each award a person file names exists, and belongs to one person only."""
    owners: dict[tuple[str, str], str] = {}
    for slug, person in sorted(network.people.items()):
        if not SLUG.match(slug):
            problems.error(
                person.source.at(None), f"file name '{slug}' is not a valid slug; rename it"
            )
        for index, award in enumerate(person.awards):
            where = person.at("awards", index)
            if award not in network.credentials:
                problems.error(
                    where,
                    f"award '{'/'.join(award)}' does not exist in assertions/; fix or remove it",
                )
            elif award in owners:
                problems.error(
                    where,
                    f"award '{'/'.join(award)}' is already linked to content/people/{owners[award]}.yaml; "
                    "an award belongs to one person",
                )
            owners.setdefault(award, slug)

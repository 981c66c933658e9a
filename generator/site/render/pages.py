"""The HTML pages of the site, in every language, rendered from the theme's templates."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Any

import jinja2

from generator.site.draw.share_images import ShareImage, ShareKey
from generator.site.model.awards import Award
from generator.site.model.endorsements import EndorsedKind, Endorsement
from generator.site.model.network import Badge, Domain, Level, Network, Person, Text
from generator.site.model.output import Output
from generator.site.model.urls import Urls
from generator.site.render.aligned_skills import alignment_views
from generator.site.render.earlier_list import earlier_of_issuer
from generator.site.render.endorsements import ShownEndorsement, shown_endorsements
from generator.site.render.fragments import Fragments
from generator.site.render.sharing import QrCodes
from generator.site.render.skills_map import PlacedMachine, SkillsMap, issuer_badges
from generator.site.render.theme import Theme
from generator.site.render.wording import in_language


@dataclass(frozen=True)
class Step:
    """One level of a domain's pathway and the network badge for it, if any."""

    level: Level
    badge: Badge | None


@dataclass(frozen=True)
class Pathway:
    """A domain's levels in order, each with its badge."""

    domain: Domain
    steps: tuple[Step, ...]


def pathways(network: Network) -> tuple[Pathway, ...]:
    """For every domain, its levels in order with the network badge of each (not retired)."""
    result = []
    for domain in network.skills.domains:
        steps = []
        for level in network.skills.levels:
            badge = next(
                (
                    b
                    for _, b in sorted(network.badges.items())
                    if b.is_network_badge
                    and b.domain == domain.slug
                    and b.level == level.slug
                    and b.status != "retired"
                ),
                None,
            )
            steps.append(Step(level, badge))
        result.append(Pathway(domain, tuple(steps)))
    return tuple(result)


PathFor = Callable[[str], str]


@dataclass
class PageRenderer:
    """Renders one template to one page per language, with the context every page shares."""

    network: Network
    theme: Theme
    urls: Urls
    images: Mapping[str, str]
    now: datetime
    skills_map: SkillsMap
    qr_codes: QrCodes
    pathways: tuple[Pathway, ...]
    fragments: Fragments = field(default_factory=Fragments)
    share_images: Mapping[ShareKey, ShareImage] = field(default_factory=dict)
    endorsements: Mapping[str, Endorsement] = field(default_factory=dict)
    _shared: dict[str, dict[str, Any]] = field(default_factory=dict, init=False, repr=False)
    _templates: dict[tuple[str, str], jinja2.Template] = field(
        default_factory=dict, init=False, repr=False
    )

    def render(self, template: str, path_for: PathFor, **context: Any) -> Iterator[Output]:
        """The page in every language of the site."""
        return self.render_each(template, path_for, lambda _: context)

    def render_each(
        self, template: str, path_for: PathFor, context_for: Callable[[str], dict[str, Any]]
    ) -> Iterator[Output]:
        """The page in every language, with a context that depends on the language."""
        site = self.network.site
        alternates = [(lang, path_for(lang)) for lang in site.languages]
        for lang in site.languages:
            html = self._template(lang, template).render(
                **self.common(lang, path_for(lang), alternates), **context_for(lang)
            )
            yield Output(Urls.html(path_for(lang)), html.encode("utf-8"))

    def _template(self, lang: str, name: str) -> jinja2.Template:
        template = self._templates.get((lang, name))
        if template is None:
            template = self._templates[lang, name] = self.theme.environment(lang).get_template(name)
        return template

    def common(self, lang: str, path: str, alternates: list[tuple[str, str]]) -> dict[str, Any]:
        """The context every template receives."""
        return {
            **self.shared(lang),
            "path": path,
            "canonical": self.urls.absolute(path),
            "alternates": alternates,
        }

    def shared(self, lang: str) -> dict[str, Any]:
        """The part of the context that is the same on every page of a language (made once)."""
        if lang in self._shared:
            return self._shared[lang]
        network = self.network
        urls = self.urls

        def t(text: Text | None) -> str:
            return text.get(lang) if text else ""

        menu = sorted(
            (
                page
                for page in network.pages.values()
                if page.menu is not None and page.slug != "index"
            ),
            key=lambda page: (page.menu or 0, page.slug),
        )
        nav_paths = {
            urls.catalogue(lang),
            urls.issuers_page(lang),
            urls.skills_map(lang),
            *(urls.page(page.slug, lang) for page in menu),
        }
        shared = self._shared[lang] = {
            "lang": lang,
            "site": network.site,
            "network": network,
            "urls": urls,
            "t": t,
            "text_lang": lambda text: text.language_of(lang) if text else lang,
            # a text shown in an element, in a span with its language if not the page's
            "text": lambda text: in_language(text, lang, network.site.language),
            "link": urls.link,
            "absolute": urls.absolute,
            "image_of": lambda badge: self.images[badge.slug],
            "alignments_of": alignment_views,
            "level_of": lambda badge: network.skills.level(badge.level) if badge.level else None,
            "domain_of": lambda badge: (
                network.skills.domain(badge.domain) if badge.domain else None
            ),
            "menu": menu,
            "nav_paths": nav_paths,
            "levels_count": len(network.skills.levels),
            "skills_map": self.skills_map,
            "cached": self.fragments.for_language(lang),
            "qr_code": self.qr_codes.image,
            # The share image of a badge's pages, or (badge None) of the site's, or of an award
            # in a state (revoked, expired: share_images.py); None if none.
            "share_image": lambda badge, state="valid": self.share_images.get(
                (badge.slug, lang, state) if badge else (None, lang, "valid")
            ),
        }
        return shared


def render_pages(
    renderer: PageRenderer,
    awards: Mapping[tuple[str, str], Award],
    only_people: set[str] | None = None,
) -> Iterator[Output]:
    """Every HTML page of the site but the awards' own, and the 404 page.

    A portfolio shows only its person's awards: with only_people, the portfolios of the
    others are left out (serve, after some credentials changed).
    """
    network, urls, theme = renderer.network, renderer.urls, renderer.theme
    skills_map, all_pathways = renderer.skills_map, renderer.pathways
    yield from render_map_pages(renderer, network, skills_map, all_pathways)
    for person in sorted(network.people.values(), key=lambda p: p.slug):
        if only_people is not None and person.slug not in only_people:
            continue
        if person.allows("portfolio"):
            yield from renderer.render_each(
                "portfolio.html",
                partial(urls.portfolio, person.slug),
                partial(portfolio_context, renderer, awards, person),
            )
    badges = [badge for _, badge in sorted(network.badges.items())]
    yield from renderer.render(
        "home.html",
        urls.home,
        page=network.pages.get("index"),
        pathways=all_pathways,
        badges=badges,
    )
    yield from renderer.render(
        "catalogue.html",
        urls.catalogue,
        pathways=all_pathways,
        others=[b for b in badges if not b.is_network_badge and b.status != "retired"],
        retired=[b for b in badges if b.status == "retired"],
    )
    for badge in badges:
        pathway = next((p for p in all_pathways if p.domain.slug == badge.domain), None)
        yield from renderer.render(
            "badge.html",
            partial(urls.badge_page, badge.slug),
            badge=badge,
            pathway=pathway,
            awarders=network.awarders(badge),
            endorsements=partial(shown, renderer, ("badge", badge.slug)),
        )
    issuers = [issuer for _, issuer in sorted(network.issuers.items())]
    yield from renderer.render("issuers.html", urls.issuers_page, issuers=issuers)
    for issuer in issuers:
        yield from renderer.render(
            "issuer.html",
            partial(urls.issuer_page, issuer.slug),
            issuer=issuer,
            badges=issuer_badges(network, skills_map, issuer),
            is_network=issuer.slug == network.site.network,
            earlier=earlier_of_issuer(network, issuer.slug, renderer.now),
            history=network.authority.proven.get(issuer.slug, ()),
            endorsements=partial(shown, renderer, ("issuer", issuer.slug)),
        )
    for slug, page in sorted(network.pages.items()):
        if slug != "index":
            yield from renderer.render("page.html", partial(urls.page, slug), page=page)
    not_found = renderer.common(network.site.language, "404.html", [])
    not_found["translated"] = theme.translated
    html = theme.environment(network.site.language).get_template("404.html").render(**not_found)
    yield Output("404.html", html.encode("utf-8"))


def shown(
    renderer: PageRenderer, endorsed: tuple[EndorsedKind, str], lang: str
) -> list[ShownEndorsement]:
    """The endorsements a badge's or a structure's page shows, in one language."""
    return shown_endorsements(
        renderer.network, renderer.endorsements, endorsed, renderer.urls, renderer.now, lang
    )


def portfolio_context(
    renderer: PageRenderer,
    awards: Mapping[tuple[str, str], Award],
    person: Person,
    lang: str,
) -> dict[str, Any]:
    """A person's valid awards, the latest first, and the next step of each pathway they
    started (the first level above the highest they hold that has a badge one may earn)."""
    urls, now, all_pathways = renderer.urls, renderer.now, renderer.pathways
    valid = [
        awards[key] for key in person.awards if key in awards and awards[key].status(now) == "valid"
    ]
    held = {award.badge.slug for award in valid}
    page_url = urls.absolute(urls.portfolio(person.slug, lang))
    title = person.name if person.name and person.allows("name") else person.slug
    return {
        "person": person,
        "title": title,
        "page_url": page_url,
        "qr": renderer.qr_codes.image(page_url, title),
        "held_awards": sorted(
            valid, key=lambda a: (a.valid_from, a.issuer.slug, a.slug), reverse=True
        ),
        "next_steps": [
            (pathway, step) for pathway in all_pathways if (step := next_step(pathway, held))
        ],
    }


def next_step(pathway: Pathway, held: set[str]) -> Step | None:
    """The step after the highest one whose badge is held, if it has an approved badge not
    held yet; None when no badge of the pathway is held."""
    ranks = [i for i, step in enumerate(pathway.steps) if step.badge and step.badge.slug in held]
    if not ranks:
        return None
    for step in pathway.steps[max(ranks) + 1 :]:
        if step.badge and step.badge.status == "approved" and step.badge.slug not in held:
            return step
    return None


def render_map_pages(
    renderer: PageRenderer,
    network: Network,
    skills_map: SkillsMap,
    all_pathways: tuple[Pathway, ...],
) -> Iterator[Output]:
    """The skills map: overview, one page per domain, one page (and poster) per machine."""
    urls = renderer.urls
    located = [issuer for _, issuer in sorted(network.issuers.items()) if issuer.coordinates]
    badges_of = {issuer.slug: issuer_badges(network, skills_map, issuer) for issuer in located}
    # What each structure's pin shows, by language and structure; map.html adds the counts'
    # wording (translated, pluralised) as the list of structures below the map says them.
    markers = {
        lang: {
            issuer.slug: {
                "name": issuer.name,
                "url": urls.link(urls.issuer_page(issuer.slug, lang)),
                "lat": issuer.coordinates.lat,
                "lon": issuer.coordinates.lon,
                "machines": [m.machine.name for m in skills_map.machines_of(None, issuer.slug)],
                "awarded": [
                    {"name": badge.name.get(lang), "count": count}
                    for badge, count in badges_of[issuer.slug].awarded
                ],
            }
            for issuer in located
            if issuer.coordinates
        }
        for lang in network.site.languages
    }
    yield from renderer.render(
        "map.html",
        urls.skills_map,
        pathways=all_pathways,
        located=located,
        markers=markers,
        badges_of=badges_of,
    )
    for pathway in all_pathways:
        yield from renderer.render(
            "domain.html", partial(urls.domain_page, pathway.domain.slug), pathway=pathway
        )
    for placed in skills_map.machines:
        yield from renderer.render_each(
            "machine.html",
            partial(urls.machine_page, placed.issuer.slug, placed.machine.slug),
            partial(_machine_context, renderer, placed),
        )


def _machine_context(renderer: PageRenderer, placed: PlacedMachine, lang: str) -> dict[str, Any]:
    urls, skills_map = renderer.urls, renderer.skills_map
    page_url = urls.absolute(urls.machine_page(placed.issuer.slug, placed.machine.slug, lang))
    trainers = [
        r
        for r in skills_map.resources_of(placed.machine.domain, placed.issuer.slug)
        if r.level.rank >= placed.level.rank
    ]
    qr = renderer.qr_codes.image(page_url, placed.machine.name)
    return {"placed": placed, "trainers": trainers, "qr": qr, "page_url": page_url}

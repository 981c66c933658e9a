"""Render stage: the checked model to outputs (path, bytes). Pure: no disk, no processes."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence, Set
from datetime import datetime
from functools import partial
from typing import Any

from generator.site.draw.badge_images import BadgeImage
from generator.site.draw.share_images import ShareImage, ShareKey
from generator.site.load.schema import KINDS, LOG_KINDS, schema_of
from generator.site.model.awards import Award
from generator.site.model.endorsements import EndorsedKind, Endorsement
from generator.site.model.network import Network
from generator.site.model.output import Output, json_bytes
from generator.site.model.urls import Urls
from generator.site.render import documents, feeds
from generator.site.render.award_files import AwardKey, render_award_files, render_trust_files
from generator.site.render.award_page import render_award_page
from generator.site.render.earlier import render_earlier
from generator.site.render.endorsements import endorsement_documents, render_endorsement_files
from generator.site.render.fragments import Fragments
from generator.site.render.open_data import (
    alignments_csv,
    alignments_json,
    skills_map_csv,
    skills_map_json,
)
from generator.site.render.pages import PageRenderer, pathways, render_pages
from generator.site.render.sharing import QrCodes
from generator.site.render.skills_map import build_skills_map
from generator.site.render.theme import Theme
from generator.site.render.withdrawn import render_withdrawn


class Rendering:
    """A checked network ready to render: the context shared by every page, made once.

    Pure: it returns outputs and never writes. The awards' own files and pages (most of a
    large site) come apart from the rest, a chunk of awards at a time, so that whoever
    writes the site may render them in several processes (see write.Fanout).
    """

    def __init__(
        self,
        network: Network,
        awards: Mapping[AwardKey, Award],
        images: Mapping[str, BadgeImage],
        theme: Theme,
        now: datetime,
        qr_codes: QrCodes | None = None,
        fragments: Fragments | None = None,
        share_images: Mapping[ShareKey, ShareImage] | None = None,
        endorsements: Mapping[str, Endorsement] | None = None,
    ) -> None:
        self.network = network
        self.awards = awards
        self.endorsements = endorsements or {}
        self.now = now
        self.images = images
        self.urls = Urls(network.site.base_url, network.site.language)
        self.skills_map = build_skills_map(network, awards, now)
        self.pages = PageRenderer(
            network,
            theme,
            self.urls,
            {slug: image.path for slug, image in images.items()},
            now,
            self.skills_map,
            qr_codes if qr_codes is not None else QrCodes(),
            pathways(network),
            fragments or Fragments(),
            share_images or {},
            self.endorsements,
        )
        self._baking = {slug: image.baking for slug, image in images.items()}

    def shared_outputs(self, only_awards: Set[AwardKey] | None = None) -> Iterator[Output]:
        """Every output but the awards' own files and pages, made as they are consumed, and
        last the sitemap of the pages among them.

        With only_awards (serve, after some credentials changed), the portfolios are those
        of these awards' people only; everything that gathers all awards (map, catalogue,
        structures, exports) is rendered whole. Every page left out is noindex, so the
        sitemap is whole either way.
        """
        sitemap = feeds.Sitemap(self.urls)
        for output in self._shared_outputs(only_awards):
            sitemap.see(output)
            yield output
        yield sitemap.output()

    def _shared_outputs(self, only_awards: Set[AwardKey] | None) -> Iterator[Output]:
        network, urls = self.network, self.urls
        yield from render_documents(network, urls, self.images, self.endorsements, self.now)
        yield from render_trust_files(network, self.awards, urls)
        yield from render_endorsement_files(network, self.endorsements, urls)
        people = None
        if only_awards is not None:
            people = {
                person.slug
                for key in only_awards
                if (person := network.person_of(*key)) is not None
            }
        yield from render_pages(self.pages, self.awards, only_people=people)
        yield from render_withdrawn(self.pages)
        yield from render_earlier(self.pages)
        yield Output(
            urls.skills_map_export("json"),
            json_bytes(skills_map_json(network, self.skills_map, urls)),
        )
        yield Output(urls.skills_map_export("csv"), skills_map_csv(network, self.skills_map))
        yield from render_aligned(self.pages)
        yield Output(
            urls.alignments_export("json"),
            json_bytes(alignments_json(network, self.skills_map, urls)),
        )
        yield Output(urls.alignments_export("csv"), alignments_csv(network, self.skills_map, urls))
        yield from feeds.render_feeds(network, urls)
        yield from _static_files(network, self.pages.theme, urls)
        yield from (Output(image.path, image.data) for image in self.images.values())
        yield from (Output(share.path, share.data) for share in self.pages.share_images.values())

    def outputs(self) -> Iterator[Output]:
        """Every output of the site, in this process (the build fans the awards out instead)."""
        yield from self.shared_outputs()
        yield from self.award_outputs(self.award_keys())

    def award_keys(self, only_awards: Set[AwardKey] | None = None) -> list[AwardKey]:
        """The awards whose own files and pages to render, sorted."""
        if only_awards is None:
            return sorted(self.awards)
        return sorted(key for key in only_awards if key in self.awards)

    def award_outputs(self, keys: Sequence[AwardKey]) -> list[Output]:
        """The files (credential, OB 2.0 assertion, baked images) and pages of some awards."""
        chunk = {key: self.awards[key] for key in keys}
        outputs = list(render_award_files(chunk, self.urls, self._baking, self.pages.images))
        for award in chunk.values():
            outputs.extend(render_award_page(self.pages, award))
        return outputs


def render_aligned(renderer: PageRenderer) -> Iterator[Output]:
    """The skills map's page of each entry of a skill framework the badges align with."""
    for skill in renderer.skills_map.aligned:
        yield from renderer.render(
            "aligned.html", partial(renderer.urls.aligned_page, *skill.segments), skill=skill
        )


def render_documents(
    network: Network,
    urls: Urls,
    images: Mapping[str, BadgeImage],
    endorsements: Mapping[str, Endorsement] | None = None,
    now: datetime | None = None,
) -> Iterator[Output]:
    """The machine-readable documents: Open Badges JSON (an Achievement's and a Profile's
    with their valid endorsements), the catalogue export, the schemas."""

    def endorsed(document: dict[str, Any], kind: EndorsedKind, slug: str) -> dict[str, Any]:
        listed = endorsement_documents(endorsements or {}, (kind, slug), now) if now else []
        return {**document, "endorsement": listed} if listed else document

    for slug, badge in sorted(network.badges.items()):
        achievement = documents.achievement(network, badge, urls, images[slug].path)
        yield Output(urls.achievement(slug), json_bytes(endorsed(achievement, "badge", slug)))
        for issuer in network.awarders(badge):
            document = documents.badge_class(network, issuer, badge, urls, images[slug].path)
            yield Output(urls.badge_class(issuer.slug, slug), json_bytes(document))
    for slug, issuer in sorted(network.issuers.items()):
        yield Output(
            urls.issuer_profile_ob2(slug),
            json_bytes(documents.issuer_profile_ob2(network, issuer, urls)),
        )
        profile = documents.issuer_profile_ob3(network, issuer, urls)
        yield Output(urls.issuer_profile_ob3(slug), json_bytes(endorsed(profile, "issuer", slug)))
        if issuer.logo:
            yield Output(urls.issuer_logo(slug, issuer.logo.extension), issuer.logo.data)
    yield Output(urls.catalogue_export(), json_bytes(catalogue_export(network, urls, images)))
    for kind in (*KINDS, *LOG_KINDS):
        schema = {"$id": urls.absolute(urls.schema(kind)), **schema_of(kind)}
        yield Output(urls.schema(kind), json_bytes(schema))


def catalogue_export(
    network: Network, urls: Urls, images: Mapping[str, BadgeImage]
) -> dict[str, Any]:
    """data/badges.json: every badge with its status, place in the taxonomy and URLs."""
    language = network.site.language
    return {
        "id": urls.absolute(urls.catalogue_export()),
        "network": network.site.name,
        "base_url": network.site.base_url,
        "language": network.site.language,  # the default: its pages have no language prefix
        "languages": list(network.site.languages),
        "badges": [
            {
                "slug": slug,
                "name": dict(badge.name.values),
                "description": dict(badge.description.values),
                "status": badge.status,
                "scope": badge.scope,
                "domain": badge.domain,
                "level": badge.level,
                "tags": list(badge.tags),
                "approved_on": badge.approved_on.isoformat() if badge.approved_on else None,
                "retired_on": badge.retired_on.isoformat() if badge.retired_on else None,
                "valid_for": (
                    {
                        "years": badge.valid_for.years,
                        "months": badge.valid_for.months,
                        "days": badge.valid_for.days,
                    }
                    if badge.valid_for
                    else None
                ),
                "page": urls.absolute(urls.badge_page(slug, language)),
                "image": urls.absolute(images[slug].path),
                "achievement": urls.absolute(urls.achievement(slug)),
                "awarded_by": [
                    {
                        "issuer": issuer.slug,
                        "badge_class": urls.absolute(urls.badge_class(issuer.slug, slug)),
                    }
                    for issuer in network.awarders(badge)
                ],
            }
            for slug, badge in sorted(network.badges.items())
        ],
    }


def _static_files(network: Network, theme: Theme, urls: Urls) -> Iterator[Output]:
    """The theme's static folder as it is (with Leaflet, for the skills map), the network's
    logo, and the GitHub Pages marker."""
    for path, data in sorted(theme.files.static.items()):
        yield Output(urls.static(path), data)
    if network.site.logo:
        yield Output(urls.site_logo(network.site.logo.extension), network.site.logo.data)
    # GitHub Pages runs Jekyll unless told not to; Jekyll drops dot-folders such as .well-known.
    yield Output(".nojekyll", b"")

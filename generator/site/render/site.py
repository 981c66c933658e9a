"""Render stage: the verified model to a list of outputs (path, bytes). No disk writes here."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import xstatic.pkg.leaflet as xstatic_leaflet

from generator.cache import Store
from generator.openbadges import ob2, ob3
from generator.site.badge_images import BadgeImage
from generator.site.check.privacy import addresses_in
from generator.site.load.schema import KINDS, schema_of
from generator.site.model import Award, Network
from generator.site.outputs import Output, Written, json_bytes
from generator.site.parallel import map_ordered
from generator.site.render import feeds
from generator.site.render.awards import AwardKey, render_award_files, render_trust_files
from generator.site.render.open_data import skills_map_csv, skills_map_json
from generator.site.render.pages import PageRenderer, pathways, render_award_page, render_pages
from generator.site.render.sharing import QrCodes
from generator.site.render.skills_map import build_skills_map
from generator.site.render.theme import Fragments, Theme
from generator.site.urls import Urls
from generator.site.write import SiteFolder


def render_site(
    network: Network,
    awards: Mapping[AwardKey, Award],
    images: Mapping[str, BadgeImage],
    theme: Theme,
    now: datetime,
    qr_codes: QrCodes | None = None,
    only_awards: set[AwardKey] | None = None,
    fragments: Fragments | None = None,
    folder: SiteFolder | None = None,
) -> Iterator[Output | Written]:
    """Every output of the site, made as they are consumed (a site can be larger than memory).

    The awards' files and pages, most of a large site, are rendered across the cores; QR
    codes drawn on the way are added to qr_codes so the build can keep them. With
    only_awards (serve, after an edit), the awards' own files and their people's portfolios
    are rendered for those awards only: everything else, which gathers all awards (map,
    catalogue, structures, exports), is rendered whole. Parts of pages shared by many pages
    are rendered once (fragments; Fragments(enabled=False) renders every page whole, for
    the tests that compare). With the folder of the site being written, the awards' files
    are written there by the processes that render them (Written markers come back).
    """
    urls = Urls(network.site.base_url, network.site.language)
    image_paths = {slug: image.path for slug, image in images.items()}
    skills_map = build_skills_map(network, awards, now)
    renderer = PageRenderer(
        network,
        theme,
        urls,
        image_paths,
        now,
        skills_map,
        qr_codes or QrCodes(),
        pathways(network),
        fragments or Fragments(),
    )
    yield from render_documents(network, urls, images)
    yield from render_trust_files(network, awards, urls)
    if only_awards is None:
        yield from render_pages(renderer, awards)
    else:
        people = {
            person.slug for key in only_awards if (person := network.person_of(*key)) is not None
        }
        yield from render_pages(renderer, awards, only_people=people)
    yield Output(
        urls.skills_map_export("json"), json_bytes(skills_map_json(network, skills_map, urls))
    )
    yield Output(urls.skills_map_export("csv"), skills_map_csv(network, skills_map))
    yield from feeds.render_feeds(network, urls)
    yield from _static_files(network, theme, urls)
    yield from (Output(image.path, image.data) for image in images.values())
    if only_awards is None:
        yield from render_awards(renderer, awards, images, folder)
    else:
        chosen = {key: awards[key] for key in sorted(only_awards) if key in awards}
        yield from render_awards(renderer, chosen, images, folder)


@dataclass(frozen=True)
class _AwardsJob:
    """What workers need to render awards; forked workers inherit it."""

    renderer: PageRenderer
    awards: Mapping[AwardKey, Award]
    images: Mapping[str, BadgeImage]
    folder: SiteFolder | None


_JOB: _AwardsJob | None = None


def render_awards(
    renderer: PageRenderer,
    awards: Mapping[AwardKey, Award],
    images: Mapping[str, BadgeImage],
    folder: SiteFolder | None = None,
) -> Iterator[Output | Written]:
    """Each award's files (credential, OB 2.0 assertion, baked images) and its pages; with a
    folder, written there as they are rendered (by the worker processes, when there are)."""
    global _JOB
    _JOB = _AwardsJob(renderer, awards, images, folder)
    try:
        for outputs, drawn in map_ordered(_render_awards_of, sorted(awards), chunk_size=100):
            renderer.qr_codes.add(drawn)
            yield from outputs
    finally:
        _JOB = None


def _render_awards_of(
    keys: Sequence[AwardKey],
) -> tuple[list[Output] | list[Written], dict[str, bytes]]:
    """The outputs of some awards, or the files written for them, and the QR codes drawn for
    them (in a worker, or not)."""
    assert _JOB is not None, "render_awards sets the job before rendering"
    renderer, images = _JOB.renderer, _JOB.images
    chunk = {key: _JOB.awards[key] for key in keys}
    outputs = list(
        render_award_files(
            chunk,
            renderer.urls,
            {slug: image.data for slug, image in images.items()},
            renderer.images,
        )
    )
    for award in chunk.values():
        outputs.extend(render_award_page(renderer, award))
    drawn = renderer.qr_codes.take_new()
    folder = _JOB.folder
    if folder is None:
        return outputs, drawn
    # The bytes stay here: the writing process only learns the paths, and what the email
    # guard must know of them.
    written = []
    for output in outputs:
        folder.write(output)
        written.append(Written(output.path, addresses_in(output)))
    return written, drawn


def render_documents(
    network: Network, urls: Urls, images: Mapping[str, BadgeImage]
) -> Iterator[Output]:
    """The machine-readable documents: Open Badges JSON, the catalogue export, the schemas."""
    for slug, badge in sorted(network.badges.items()):
        yield Output(
            urls.achievement(slug),
            json_bytes(ob3.achievement(network, badge, urls, images[slug].path)),
        )
        for issuer in network.awarders(badge):
            document = ob2.badge_class(network, issuer, badge, urls, images[slug].path)
            yield Output(urls.badge_class(issuer.slug, slug), json_bytes(document))
    for slug, issuer in sorted(network.issuers.items()):
        yield Output(
            urls.issuer_profile_ob2(slug), json_bytes(ob2.issuer_profile(network, issuer, urls))
        )
        yield Output(urls.issuer_profile_ob3(slug), json_bytes(ob3.profile(network, issuer, urls)))
        if issuer.logo:
            yield Output(urls.issuer_logo(slug, issuer.logo.extension), issuer.logo.data)
    yield Output(urls.catalogue_export(), json_bytes(catalogue_export(network, urls, images)))
    for kind in KINDS:
        schema = {"$id": urls.absolute(urls.schema(kind)), **schema_of(kind)}
        yield Output(urls.schema(kind), json_bytes(schema))


def catalogue_export(
    network: Network, urls: Urls, images: Mapping[str, BadgeImage]
) -> dict[str, Any]:
    """data/badges.json: every badge with its status, place in the taxonomy and URLs."""
    language = network.site.language
    return {
        "network": network.site.name,
        "base_url": network.site.base_url,
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
    """The theme's static folder as it is, the network's logo, and the GitHub Pages marker."""
    for path in sorted(p for p in theme.static_dir.rglob("*") if p.is_file()):
        yield Output(urls.static(path.relative_to(theme.static_dir).as_posix()), path.read_bytes())
    if network.site.logo:
        yield Output(urls.site_logo(network.site.logo.extension), network.site.logo.data)
    # Leaflet for the skills map, from the xstatic-leaflet package (no CDN, no copy in the repo).
    leaflet = Path(xstatic_leaflet.BASE_DIR)
    for name in (
        "leaflet.js",
        "leaflet.css",
        *(f"images/{p.name}" for p in sorted((leaflet / "images").glob("*.png"))),
    ):
        yield Output(urls.static(f"leaflet/{name}"), (leaflet / name).read_bytes())
    # GitHub Pages runs Jekyll unless told not to; Jekyll drops dot-folders such as .well-known.
    yield Output(".nojekyll", b"")


def theme_for(source: Path, store: Store | None = None) -> Theme:
    """The content repository's theme/, or the theme shipped next to the generator (its
    compiled templates kept in the cache store, if given)."""
    own = source / "theme"
    return Theme(own if own.is_dir() else Path(__file__).resolve().parents[3] / "theme", store)

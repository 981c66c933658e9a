"""Share images: the 1200 x 630 cards a link to the site shows on social networks (og:image).

One per badge and language (the badge's image on its domain's colour, with its name in that
language), and one per language for the pages about no badge (the network's name and
description). Like the default badge images (badge_images.py), each is drawn once and kept in
the cache store under what it is drawn from (the store's keys hold the drawing code), drawn on
all the cores when several are missing; rendering receives them and stays pure.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from generator.cache import SHARE_IMAGES, Store, entry_key
from generator.drawing.share_card import HEIGHT, WIDTH, share_card_png
from generator.parallel import map_ordered
from generator.site.draw.badge_images import BadgeImage
from generator.site.model.network import Badge, Network
from generator.site.model.urls import Urls

# The cache store's namespace of share images.
# Drawing two cards is already worth a second process (each takes ~0.2 s).
MIN_PARALLEL_DRAWINGS = 2
# Pictures Pillow reads as they are (an SVG badge or logo leaves the card without a picture).
RASTER = ("png", "jpg", "jpeg", "webp")


@dataclass(frozen=True)
class ShareImage:
    """A share image: where it is published, its bytes, its size and its text alternative."""

    path: str
    data: bytes
    alt: str
    width: int = WIDTH
    height: int = HEIGHT


@dataclass(frozen=True)
class _Card:
    """What one card is drawn from."""

    picture: bytes | None
    title: str
    subtitle: str
    colour: str

    def key(self) -> str:
        picture = hashlib.sha256(self.picture).hexdigest() if self.picture is not None else ""
        return entry_key(SHARE_IMAGES, picture, self.title, self.subtitle, self.colour)


ShareKey = tuple[str | None, str]  # (badge slug, or None for the site; language)


def draw_share_images(
    network: Network, images: Mapping[str, BadgeImage], store: Store
) -> dict[ShareKey, ShareImage]:
    """Every share image, by (badge slug or None, language): from the store, or drawn and
    put in it."""
    cards: dict[ShareKey, tuple[_Card, str, str]] = {}  # -> card, path, alt
    site = network.site
    for language in site.languages:
        for slug, badge in sorted(network.badges.items()):
            cards[slug, language] = _badge_card(network, badge, images[slug], language)
        logo = site.logo if site.logo and site.logo.extension in RASTER else None
        description = site.description.get(language) if site.description else ""
        card = _Card(logo.data if logo else None, site.name, description, site.colours.primary)
        alt = f"{site.name} — {description}" if description else site.name
        cards[None, language] = (card, Urls.site_share_image(language), alt)
    keys = {share_key: card.key() for share_key, (card, _, _) in cards.items()}
    drawn = {key: store.get(SHARE_IMAGES, key) for key in keys.values()}
    missing = sorted(
        {keys[k]: card for k, (card, _, _) in cards.items() if drawn[keys[k]] is None}.items()
    )
    for chunk in map_ordered(_draw, missing, chunk_size=1, min_items=MIN_PARALLEL_DRAWINGS):
        for key, png in chunk:
            drawn[key] = png
            store.put(SHARE_IMAGES, key, png)
    shares = {}
    for share_key, (_, path, alt) in cards.items():
        data = drawn[keys[share_key]]
        assert data is not None, f"share image {path} was neither cached nor drawn"
        shares[share_key] = ShareImage(path, data, alt)
    return shares


def _badge_card(
    network: Network, badge: Badge, image: BadgeImage, language: str
) -> tuple[_Card, str, str]:
    domain = network.skills.domain(badge.domain) if badge.domain else None
    colour = domain.colour if domain else network.site.colours.primary
    picture = image.data if image.path.rsplit(".", 1)[-1] in RASTER else None
    name = badge.name.get(language)
    card = _Card(picture, name, f"{network.site.name} · Open Badge", colour)
    return card, Urls.badge_share_image(badge.slug, language), name


def _draw(missing: Sequence[tuple[str, _Card]]) -> list[tuple[str, bytes]]:
    """Cards drawn (in a worker process, or not)."""
    return [
        (
            key,
            share_card_png(picture=c.picture, title=c.title, subtitle=c.subtitle, colour=c.colour),
        )
        for key, c in missing
    ]

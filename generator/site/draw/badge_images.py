"""Badge images: the badge's own file, or a default PNG drawn once and kept in the cache store.

Drawing a default badge takes ~0.3 s; the result only depends on its inputs and on the
drawing code, so it is kept in the cache store under its inputs (the store's keys hold the
code), and badges to draw are drawn on all the cores. Rendering then receives the images and
stays pure.

A default badge is drawn at two sizes from one drawing: 600 px for the pages (shown at 300
CSS px, sharp on a screen of double density) and 256 px for the baked copy each award
publishes (wallets and profiles show it smaller still), optimised losslessly since every
award carries a copy: ~6 KB, against 20 KB at 600 px and 11.6 KB at 400 px. A badge's own
image is baked as it is.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from generator.cache import BADGE_IMAGES, Store, entry_key
from generator.drawing.badge import default_badge_pngs, optimised_png
from generator.parallel import map_ordered
from generator.site.model.network import Badge, Network
from generator.site.model.urls import Urls


@dataclass(frozen=True)
class BadgeImage:
    """A badge's published image: its output path and bytes, and the bytes its awards' baked
    images are made from."""

    path: str
    data: bytes
    baking: bytes


# The sides of a default badge: on the pages, and baked into each award's image.
PAGE_SIDE = 600
BAKED_SIDE = 256


def image_path(badge: Badge) -> str:
    """Where a badge's image is published (its own format, or a generated PNG)."""
    return Urls.badge_image(badge.slug, badge.image.extension if badge.image else "png")


def draw_badge_images(network: Network, store: Store) -> dict[str, BadgeImage]:
    """Every badge's image, by slug; default images are read from the store, or drawn (on
    all the cores when there are several to draw: each takes ~0.3 s) and put in it."""
    drawings = {
        slug: _drawing(network, badge)
        for slug, badge in sorted(network.badges.items())
        if badge.image is None
    }
    drawn = {slug: _stored(store, arguments) for slug, arguments in drawings.items()}
    missing = [(slug, arguments) for slug, arguments in drawings.items() if drawn[slug] is None]
    for chunk in map_ordered(_draw, missing, chunk_size=1, min_items=MIN_PARALLEL_DRAWINGS):
        for slug, pngs in chunk:
            # here, not in the workers: oxipng's threads do not survive a fork (optimised_png)
            pngs[BAKED_SIDE] = optimised_png(pngs[BAKED_SIDE])
            drawn[slug] = pngs
            for side, png in pngs.items():
                store.put(BADGE_IMAGES, _key(drawings[slug], side), png)
    images = {}
    for slug, badge in sorted(network.badges.items()):
        if badge.image is not None:
            images[slug] = BadgeImage(image_path(badge), badge.image.data, badge.image.data)
            continue
        sized = drawn[slug]
        assert sized is not None, f"badge {slug} was neither cached nor drawn"
        images[slug] = BadgeImage(image_path(badge), sized[PAGE_SIDE], sized[BAKED_SIDE])
    return images


def _stored(store: Store, arguments: dict[str, Any]) -> dict[int, bytes] | None:
    """Both sizes of a default badge from the store, or None when one is missing."""
    pngs = {side: store.get(BADGE_IMAGES, _key(arguments, side)) for side in SIDES}
    if any(png is None for png in pngs.values()):
        return None
    return {side: png for side, png in pngs.items() if png is not None}


SIDES = (PAGE_SIDE, BAKED_SIDE)


# Drawing two badges is already worth a second process.
MIN_PARALLEL_DRAWINGS = 2


def _draw(
    missing: Sequence[tuple[str, dict[str, Any]]],
) -> list[tuple[str, dict[int, bytes]]]:
    """Default images drawn, both sizes (in a worker process, or not)."""
    return [(slug, default_badge_pngs(**arguments, sizes=SIDES)) for slug, arguments in missing]


def _drawing(network: Network, badge: Badge) -> dict[str, Any]:
    language = network.site.language
    domain = network.skills.domain(badge.domain) if badge.domain else None
    level = network.skills.level(badge.level) if badge.level else None
    return {
        "title": domain.name.get(language) if domain else badge.name.get(language),
        "subtitle": level.name.get(language) if level else ", ".join(badge.tags[:2]),
        "colour": domain.colour if domain else network.site.colours.primary,
        "symbol": domain.symbol if domain else "generic",
        "level": level.rank if level else None,
        "levels": len(network.skills.levels),
    }


def _key(arguments: dict[str, Any], side: int) -> str:
    """The cache key of a default image: what it is drawn from, and its side."""
    return entry_key(BADGE_IMAGES, json.dumps({**arguments, "side": side}, sort_keys=True))

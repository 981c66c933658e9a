"""Badge images: the badge's own file, or a default PNG drawn once and kept in .cache/.

Drawing a default badge takes ~0.3 s; the result only depends on its inputs and on the
drawing code, so it is cached under SOURCE/.cache/images/ by a hash of both, and badges to
draw are drawn on all the cores. Rendering then receives the images and stays pure.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from importlib.metadata import version
from pathlib import Path
from typing import Any

from generator.drawing.badge import default_badge_png
from generator.site.model import Badge, Network
from generator.site.parallel import map_ordered
from generator.site.urls import Urls


@dataclass(frozen=True)
class BadgeImage:
    """A badge's published image: its output path and bytes."""

    path: str
    data: bytes


def image_path(badge: Badge) -> str:
    """Where a badge's image is published (its own format, or a generated PNG)."""
    return Urls.badge_image(badge.slug, badge.image.extension if badge.image else "png")


def draw_badge_images(network: Network, cache_dir: Path | None) -> dict[str, BadgeImage]:
    """Every badge's image, by slug; default images are read from cache_dir, or drawn (on
    all the cores when there are several to draw: each takes ~0.3 s)."""
    drawings = {
        slug: _drawing(network, badge)
        for slug, badge in sorted(network.badges.items())
        if badge.image is None
    }
    drawn = {slug: _cached(arguments, cache_dir) for slug, arguments in drawings.items()}
    missing = [(slug, arguments) for slug, arguments in drawings.items() if drawn[slug] is None]
    for chunk in map_ordered(_draw, missing, chunk_size=1, min_items=MIN_PARALLEL_DRAWINGS):
        for slug, png in chunk:
            drawn[slug] = png
            _store(drawings[slug], png, cache_dir)
    images = {}
    for slug, badge in sorted(network.badges.items()):
        data: bytes | None = badge.image.data if badge.image is not None else drawn[slug]
        assert data is not None, f"badge {slug} was neither cached nor drawn"
        images[slug] = BadgeImage(image_path(badge), data)
    return images


# Drawing two badges is already worth a second process.
MIN_PARALLEL_DRAWINGS = 2


def _draw(missing: Sequence[tuple[str, dict[str, Any]]]) -> list[tuple[str, bytes]]:
    """Default images drawn (in a worker process, or not)."""
    return [(slug, default_badge_png(**arguments)) for slug, arguments in missing]


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


def _cache_path(arguments: dict[str, Any], cache_dir: Path) -> Path:
    key = hashlib.sha256((_drawing_version() + json.dumps(arguments, sort_keys=True)).encode())
    return cache_dir / "images" / f"{key.hexdigest()}.png"


def _cached(arguments: dict[str, Any], cache_dir: Path | None) -> bytes | None:
    """A default image drawn by an earlier build, if any."""
    if cache_dir is None:
        return None
    path = _cache_path(arguments, cache_dir)
    return path.read_bytes() if path.is_file() else None


def _store(arguments: dict[str, Any], data: bytes, cache_dir: Path | None) -> None:
    if cache_dir is None:
        return
    path = _cache_path(arguments, cache_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_bytes(data)
    temporary.replace(path)  # atomic: a concurrent build never reads half an image


@cache
def _drawing_version() -> str:
    """A fingerprint of the drawing code and of Pillow (its font and encoder)."""
    digest = hashlib.sha256(f"pillow {version('pillow')}".encode())
    package = resources.files("generator.drawing")
    for name in ("badge.py", "pictograms.py", "lettering.py"):
        digest.update(package.joinpath(name).read_bytes())
    return digest.hexdigest()

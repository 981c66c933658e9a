"""Badge images: the badge's own file, or a default PNG drawn once and kept in .cache/.

Drawing a default badge takes ~0.15 s; the result only depends on its inputs and on the
drawing code, so it is cached under SOURCE/.cache/images/ by a hash of both. Rendering then
receives the images and stays pure.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from importlib.metadata import version
from pathlib import Path
from typing import Any

from .images import default_badge_png
from .model import Badge, Network
from .urls import Urls


@dataclass(frozen=True)
class BadgeImage:
    """A badge's published image: its output path and bytes."""

    path: str
    data: bytes


def image_path(badge: Badge) -> str:
    """Where a badge's image is published (its own format, or a generated PNG)."""
    return Urls.badge_image(badge.slug, badge.image.extension if badge.image else "png")


def draw_badge_images(network: Network, cache_dir: Path | None) -> dict[str, BadgeImage]:
    """Every badge's image, by slug; default images are drawn, or read from cache_dir."""
    images = {}
    for slug, badge in sorted(network.badges.items()):
        if badge.image is not None:
            images[slug] = BadgeImage(image_path(badge), badge.image.data)
        else:
            images[slug] = BadgeImage(
                image_path(badge), _default(_drawing(network, badge), cache_dir)
            )
    return images


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


def _default(arguments: dict[str, Any], cache_dir: Path | None) -> bytes:
    if cache_dir is None:
        return default_badge_png(**arguments)
    key = hashlib.sha256((_drawing_version() + json.dumps(arguments, sort_keys=True)).encode())
    path = cache_dir / "images" / f"{key.hexdigest()}.png"
    if path.is_file():
        return path.read_bytes()
    data = default_badge_png(**arguments)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_bytes(data)
    temporary.replace(path)  # atomic: a concurrent build never reads half an image
    return data


@cache
def _drawing_version() -> str:
    """A fingerprint of the drawing code and of Pillow (its font and encoder)."""
    digest = hashlib.sha256(f"pillow {version('pillow')}".encode())
    package = resources.files("generator")
    for name in ("images.py", "pictograms.py", "lettering.py"):
        digest.update(package.joinpath(name).read_bytes())
    return digest.hexdigest()

"""Default badge images are drawn once and reused from the cache store, never stale."""

from __future__ import annotations

import io
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from generator.cache import BADGE_IMAGES, Store
from generator.site.draw import badge_images
from generator.site.load.network import load_network
from generator.site.model.problems import Problems

from ..conftest import SITES


def stored_images(path: Path) -> int:
    """How many default images the store at path holds."""
    with sqlite3.connect(path) as db:
        (count,) = db.execute(
            "SELECT count(*) FROM entries WHERE namespace = ?", (BADGE_IMAGES.name,)
        ).fetchone()
    db.close()
    return int(count)


def test_cached_images_are_reused_and_identical(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    network = load_network(SITES / "minimal", Problems())
    network = replace(
        network, badges={k: replace(b, image=None) for k, b in network.badges.items()}
    )
    path = tmp_path / "cache.sqlite3"
    with Store(path) as store:
        first = badge_images.draw_badge_images(network, store)
    assert stored_images(path) == 2 * len(network.badges)  # the page size and the baked size

    def no_drawing(**_: object) -> dict[int, bytes]:
        raise AssertionError("drawn again instead of read from the cache")

    monkeypatch.setattr(badge_images, "default_badge_pngs", no_drawing)
    assert badge_images.draw_badge_images(network, Store(path)) == first  # the next build


def test_changed_inputs_are_drawn_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    network = load_network(SITES / "minimal", Problems())
    badge = replace(network.badges["laser-debutant"], image=None)
    network = replace(network, badges={"laser-debutant": badge})
    path = tmp_path / "cache.sqlite3"
    with Store(path) as store:
        before = badge_images.draw_badge_images(network, store)["laser-debutant"].data
    domain = network.skills.domains[0]
    recoloured = replace(
        network.skills, domains=(replace(domain, colour="#123456"), *network.skills.domains[1:])
    )
    with Store(path) as store:
        after = badge_images.draw_badge_images(replace(network, skills=recoloured), store)
    assert after["laser-debutant"].data != before
    assert stored_images(path) == 4  # two drawings, each at two sizes


def test_provided_images_are_used_as_they_are() -> None:
    network = load_network(SITES / "minimal", Problems())
    images = badge_images.draw_badge_images(network, Store(None))
    assert images["atelier-accueil"].path == "badges/atelier-accueil/image.svg"
    assert (
        images["atelier-accueil"].data
        == (SITES / "minimal/badges/atelier-accueil.svg").read_bytes()
    )
    assert images["atelier-accueil"].baking == images["atelier-accueil"].data  # baked as it is


def test_awards_are_baked_from_a_smaller_drawing_of_the_same_badge() -> None:
    """The page shows the badge at 600 px; each award's baked copy is 256 px, drawn at the
    same time from the same drawing and optimised losslessly (a third the weight, on every
    award)."""
    network = load_network(SITES / "minimal", Problems())
    network = replace(
        network, badges={k: replace(b, image=None) for k, b in network.badges.items()}
    )
    image = badge_images.draw_badge_images(network, Store(None))["laser-debutant"]
    with Image.open(io.BytesIO(image.data)) as page, Image.open(io.BytesIO(image.baking)) as baked:
        assert page.size == (600, 600) and baked.size == (256, 256)
        shrunk = page.convert("RGBA").resize((256, 256), Image.Resampling.LANCZOS)
        difference = ImageChops.difference(shrunk, baked.convert("RGBA")).getbbox()
        assert difference is None or _mean_difference(shrunk, baked.convert("RGBA")) < 4
    assert len(image.baking) < 0.75 * len(image.data)


def _mean_difference(first: Image.Image, second: Image.Image) -> float:
    histogram = ImageChops.difference(first, second).convert("L").histogram()
    return sum(value * count for value, count in enumerate(histogram)) / sum(histogram)

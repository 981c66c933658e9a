"""Default badge images are drawn once and reused from the cache store, never stale."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

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
    assert stored_images(path) == len(network.badges)

    def no_drawing(**_: object) -> bytes:
        raise AssertionError("drawn again instead of read from the cache")

    monkeypatch.setattr(badge_images, "default_badge_png", no_drawing)
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
    assert stored_images(path) == 2


def test_provided_images_are_used_as_they_are() -> None:
    network = load_network(SITES / "minimal", Problems())
    images = badge_images.draw_badge_images(network, Store(None))
    assert images["atelier-accueil"].path == "badges/atelier-accueil/image.svg"
    assert (
        images["atelier-accueil"].data
        == (SITES / "minimal/badges/atelier-accueil.svg").read_bytes()
    )

"""Default badge images are drawn once and reused from .cache/, never stale."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from generator.site import badge_images
from generator.site.load.network import load_network
from generator.site.problems import Problems

from ..conftest import SITES


def test_cached_images_are_reused_and_identical(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    network = load_network(SITES / "minimal", Problems())
    network = replace(
        network, badges={k: replace(b, image=None) for k, b in network.badges.items()}
    )
    first = badge_images.draw_badge_images(network, tmp_path)
    assert len(list((tmp_path / "images").glob("*.png"))) == len(network.badges)

    def no_drawing(**_: object) -> bytes:
        raise AssertionError("drawn again instead of read from the cache")

    monkeypatch.setattr(badge_images, "default_badge_png", no_drawing)
    assert badge_images.draw_badge_images(network, tmp_path) == first


def test_changed_inputs_are_drawn_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    network = load_network(SITES / "minimal", Problems())
    badge = replace(network.badges["laser-debutant"], image=None)
    network = replace(network, badges={"laser-debutant": badge})
    before = badge_images.draw_badge_images(network, tmp_path)["laser-debutant"].data
    domain = network.skills.domains[0]
    recoloured = replace(
        network.skills, domains=(replace(domain, colour="#123456"), *network.skills.domains[1:])
    )
    after = badge_images.draw_badge_images(replace(network, skills=recoloured), tmp_path)
    assert after["laser-debutant"].data != before
    assert len(list((tmp_path / "images").glob("*.png"))) == 2


def test_provided_images_are_used_as_they_are() -> None:
    network = load_network(SITES / "minimal", Problems())
    images = badge_images.draw_badge_images(network, None)
    assert images["atelier-accueil"].path == "badges/atelier-accueil/image.svg"
    assert (
        images["atelier-accueil"].data
        == (SITES / "minimal/badges/atelier-accueil.svg").read_bytes()
    )

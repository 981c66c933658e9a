"""The render stage on the minimal site: pure, from the model to (path, bytes)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from generator.cache import Store, open_store
from generator.site.draw.badge_images import draw_badge_images
from generator.site.load.network import load_network
from generator.site.load.theme import load_theme
from generator.site.model.network import Network
from generator.site.model.output import Output
from generator.site.model.problems import Problems
from generator.site.render.outputs import Rendering
from generator.site.render.theme import Theme

from ..conftest import SITES

MINIMAL = SITES / "minimal"
BASE = "https://example.org/test-network/"
NOW = datetime(2026, 1, 1, tzinfo=UTC)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
OB_DOCUMENT = re.compile(
    r"^(badges/[^/]+/achievement\.json|issuers/[^/]+/(issuer|profile)\.json"
    r"|issuers/[^/]+/badges/[^/]+\.json)$"
)


def _render(root: Path) -> list[Output]:
    problems = Problems()
    network = load_network(root, problems)
    assert problems.items == []
    # The minimal site has no signed credentials: no awards to publish.
    return list(
        Rendering(
            network,
            {},
            draw_badge_images(network, Store(None)),
            Theme(load_theme(root, Problems())),
            NOW,
        ).outputs()
    )


@pytest.fixture(scope="module")
def outputs() -> list[Output]:
    return _render(MINIMAL)


@pytest.fixture(scope="module")
def site(outputs: list[Output]) -> dict[str, bytes]:
    return {output.path: output.data for output in outputs}


def _json(site: dict[str, bytes], path: str) -> Any:
    return json.loads(site[path])


def _html(site: dict[str, bytes], path: str) -> str:
    return site[path].decode("utf-8")


def test_paths_are_unique(outputs: list[Output]) -> None:
    paths = [output.path for output in outputs]
    assert len(paths) == len(set(paths))


def test_expected_files_are_rendered(site: dict[str, bytes]) -> None:
    for path in [
        "index.html",
        "en/index.html",
        "404.html",
        ".nojekyll",
        "badges/index.html",
        "badges/laser-debutant/index.html",
        "en/badges/laser-debutant/index.html",
        "issuers/index.html",
        "issuers/atelier/index.html",
        "pages/a-propos/index.html",
        "en/pages/a-propos/index.html",
        "feed.xml",
        "en/feed.xml",
        "sitemap.xml",
        "data/badges.json",
        "schemas/badge.schema.json",
        "static/style.css",
    ]:
        assert path in site, path
    # The home page text is the home page, not an editorial page of its own.
    assert "pages/index/index.html" not in site


def test_every_json_output_parses(site: dict[str, bytes]) -> None:
    documents = [path for path in site if path.endswith(".json")]
    assert len(documents) >= 15
    for path in documents:
        json.loads(site[path])


def test_open_badges_documents_rendered(site: dict[str, bytes]) -> None:
    documents = sorted(path for path in site if OB_DOCUMENT.match(path))
    assert documents == [
        "badges/atelier-accueil/achievement.json",
        "badges/couture-debutant/achievement.json",
        "badges/laser-debutant/achievement.json",
        "badges/laser-expert/achievement.json",
        "issuers/atelier/badges/atelier-accueil.json",
        "issuers/atelier/badges/laser-debutant.json",
        "issuers/atelier/issuer.json",
        "issuers/atelier/profile.json",
        "issuers/reseau/issuer.json",
        "issuers/reseau/profile.json",
    ]


def test_every_open_badges_id_is_the_url_it_is_served_at(site: dict[str, bytes]) -> None:
    for path in (path for path in site if OB_DOCUMENT.match(path)):
        assert _json(site, path)["id"] == BASE + path, path


def test_every_published_schema_id_is_its_url(site: dict[str, bytes]) -> None:
    for kind in ("site", "skills", "issuer", "badge", "page"):
        path = f"schemas/{kind}.schema.json"
        assert _json(site, path)["$id"] == BASE + path


def test_ob2_badge_class_points_to_its_issuer_and_the_shared_achievement(
    site: dict[str, bytes],
) -> None:
    badge_class = _json(site, "issuers/atelier/badges/laser-debutant.json")
    assert badge_class["type"] == "BadgeClass"
    assert badge_class["issuer"] == BASE + "issuers/atelier/issuer.json"
    assert badge_class["related"] == [{"id": BASE + "badges/laser-debutant/achievement.json"}]
    assert badge_class["image"] == BASE + "badges/laser-debutant/image.png"
    assert badge_class["criteria"]["id"] == BASE + "badges/laser-debutant/"
    assert badge_class["name"] == "Laser - Débutant"


def test_ob3_network_badge_is_created_by_the_network(site: dict[str, bytes]) -> None:
    achievement = _json(site, "badges/laser-debutant/achievement.json")
    assert achievement["creator"]["id"] == BASE + "issuers/reseau/profile.json"
    assert achievement["creator"]["name"] == "Réseau Test"
    assert achievement["creator"] == {
        key: value
        for key, value in _json(site, "issuers/reseau/profile.json").items()
        if key != "@context"
    }


def test_ob3_local_badge_is_created_by_its_structure(site: dict[str, bytes]) -> None:
    achievement = _json(site, "badges/atelier-accueil/achievement.json")
    assert achievement["creator"]["id"] == BASE + "issuers/atelier/profile.json"
    assert achievement["image"]["id"] == BASE + "badges/atelier-accueil/image.svg"


def test_only_awarders_get_a_badge_class(site: dict[str, bytes]) -> None:
    # The network defines badges but awards none; the proposed badge is awarded by nobody.
    assert not any(path.startswith("issuers/reseau/badges/") for path in site)
    assert not any(path.endswith("/badges/laser-expert.json") for path in site)


def test_issuer_profiles_allow_assertions_under_the_base_url(site: dict[str, bytes]) -> None:
    for slug in ("atelier", "reseau"):
        profile = _json(site, f"issuers/{slug}/issuer.json")
        assert profile["type"] == "Issuer"
        assert profile["verification"]["startsWith"] == [BASE]


def test_home_page_html_is_sanitised(site: dict[str, bytes]) -> None:
    home = _html(site, "index.html")
    assert "<strong>réseau test</strong> délivre des badges." in home
    # the theme's own script only, none from the content
    assert re.findall(r"<script[^>]*>", home) == [
        '<script src="/test-network/static/menu.js" defer>'
    ]
    assert "alert(" not in home


def test_english_pages_exist_for_every_french_page(site: dict[str, bytes]) -> None:
    french = [
        path
        for path in site
        if path.endswith("index.html") and not path.startswith("en/") and path != "404.html"
    ]
    # home, catalogue, 4 badges, issuers, 2 issuers, 1 page, the skills map, 2 domains, 1 machine,
    # 1 aligned code (laser-debutant's)
    assert len(french) == 15
    for path in french:
        english = "en/" + path
        assert english in site, english
        assert '<html lang="fr">' in _html(site, path)
        assert '<html lang="en">' in _html(site, english)


def test_english_pages_translate_ui_strings(site: dict[str, bytes]) -> None:
    catalogue = _html(site, "en/badges/index.html")
    assert "<h1>Badge catalogue</h1>" in catalogue
    assert "Catalogue des badges" not in catalogue
    assert "<h1>Catalogue des badges</h1>" in _html(site, "badges/index.html")


def test_english_pages_use_english_texts_and_links(site: dict[str, bytes]) -> None:
    page = _html(site, "en/badges/laser-debutant/index.html")
    assert "Laser - Beginner" in page
    assert 'href="/test-network/en/badges/"' in page
    about = _html(site, "en/pages/a-propos/index.html")
    assert "About" in about and "A page" in about


def test_proposed_badges_are_marked_in_the_catalogue(site: dict[str, bytes]) -> None:
    catalogue = _html(site, "badges/index.html")
    assert re.search(
        r'<a class="badge-card is-proposed" href="/test-network/badges/laser-expert/">', catalogue
    )
    assert 'class="badge-card" href="/test-network/badges/laser-debutant/"' in catalogue


def test_retired_badges_are_listed_apart(site: dict[str, bytes]) -> None:
    pathways, retired = _catalogue_sections(site)
    assert "badges/couture-debutant/" not in pathways
    assert 'class="badge-card is-retired" href="/test-network/badges/couture-debutant/"' in retired
    assert "badges/laser-debutant/" not in retired


def _catalogue_sections(site: dict[str, bytes]) -> tuple[str, str]:
    """The French catalogue: (everything before the retired badges, the retired badges)."""
    current, retired = _html(site, "badges/index.html").split("<h2>Badges retirés</h2>")
    return current, retired


def test_every_current_badge_is_in_the_catalogue(site: dict[str, bytes]) -> None:
    current, _ = _catalogue_sections(site)
    for slug in ("atelier-accueil", "laser-debutant", "laser-expert"):
        assert f'href="/test-network/badges/{slug}/"' in current, slug


def test_structure_badge_at_a_pathway_step_does_not_hide_the_network_badge(
    minimal_site: Callable[..., Path],
) -> None:
    local = (
        "name: Laser à l'atelier\ndescription: x\ncriteria: y\ndomain: laser\n"
        "level: debutant\nscope: atelier\nstatus: approved\napproved_on: 2024-02-01\n"
    )
    root = minimal_site({"badges/atelier-laser.yaml": local})
    site = {output.path: output.data for output in _render(root)}
    current, _ = _catalogue_sections(site)
    assert 'href="/test-network/badges/laser-debutant/"' in current
    assert 'href="/test-network/badges/atelier-laser/"' in current


def test_retired_badges_stay_published(site: dict[str, bytes]) -> None:
    assert "badges/couture-debutant/index.html" in site
    assert "badges/couture-debutant/achievement.json" in site
    assert "badges/couture-debutant/image.png" in site


def test_feed_lists_approved_badges_only(site: dict[str, bytes]) -> None:
    feed = site["feed.xml"].decode("utf-8")
    assert BASE + "badges/laser-debutant/" in feed
    assert BASE + "badges/atelier-accueil/" in feed
    assert "laser-expert" not in feed
    assert "couture-debutant" not in feed
    assert BASE + "en/badges/laser-debutant/" in site["en/feed.xml"].decode("utf-8")


def test_provided_images_are_copied_as_they_are(site: dict[str, bytes]) -> None:
    assert (
        site["badges/laser-debutant/image.png"]
        == (MINIMAL / "badges" / "laser-debutant.png").read_bytes()
    )
    assert (
        site["badges/atelier-accueil/image.svg"]
        == (MINIMAL / "badges" / "atelier-accueil.svg").read_bytes()
    )


def test_badge_without_image_gets_a_generated_png(minimal_site: Callable[..., Path]) -> None:
    root = minimal_site({"badges/laser-expert.png": None})
    site = {output.path: output.data for output in _render(root)}
    image = site["badges/laser-expert/image.png"]
    assert image.startswith(PNG_SIGNATURE)
    assert image != (MINIMAL / "badges" / "laser-expert.png").read_bytes()
    assert "badges/laser-expert/image.svg" not in site
    achievement = json.loads(site["badges/laser-expert/achievement.json"])
    assert achievement["image"]["id"] == BASE + "badges/laser-expert/image.png"


def test_catalogue_export_lists_every_badge_with_its_status(site: dict[str, bytes]) -> None:
    export = _json(site, "data/badges.json")
    assert export["base_url"] == BASE
    assert export["language"] == "fr"
    assert export["languages"] == ["fr", "en"]
    statuses = {badge["slug"]: badge["status"] for badge in export["badges"]}
    assert statuses == {
        "atelier-accueil": "approved",
        "couture-debutant": "retired",
        "laser-debutant": "approved",
        "laser-expert": "proposed",
    }
    laser = next(badge for badge in export["badges"] if badge["slug"] == "laser-debutant")
    assert laser["name"] == {"fr": "Laser - Débutant", "en": "Laser - Beginner"}
    assert laser["approved_on"] == "2024-01-15"
    assert laser["valid_for"] == {"years": 2, "months": 0, "days": 0}
    assert laser["achievement"] == BASE + "badges/laser-debutant/achievement.json"
    assert laser["awarded_by"] == [
        {"issuer": "atelier", "badge_class": BASE + "issuers/atelier/badges/laser-debutant.json"}
    ]
    retired = next(badge for badge in export["badges"] if badge["slug"] == "couture-debutant")
    assert retired["retired_on"] == "2023-06-30"


def test_render_is_deterministic() -> None:
    assert _render(MINIMAL) == _render(MINIMAL)


def test_render_does_not_touch_the_source(tmp_path: Path) -> None:
    # Rendering is pure: the network is already loaded, nothing is read from or written to disk
    # apart from the theme.
    problems = Problems()
    network: Network = load_network(MINIMAL, problems)
    before = sorted(p.relative_to(MINIMAL).as_posix() for p in MINIMAL.rglob("*"))
    images = draw_badge_images(network, Store(None))
    list(Rendering(network, {}, images, Theme(load_theme(MINIMAL, Problems())), NOW).outputs())
    assert sorted(p.relative_to(MINIMAL).as_posix() for p in MINIMAL.rglob("*")) == before


def test_rendering_reads_and_writes_nothing_and_starts_no_process(
    monkeypatch: pytest.MonkeyPatch, example_cache: Callable[[Path], Path]
) -> None:
    """Render is pure: every output of the example network (awards included) comes back as
    bytes, with every way of opening a file or starting a process forbidden meanwhile (the
    theme, Leaflet included, was read by the load stage). The network is checked, and its
    badge images drawn, with the cache store of the session's build of the example."""
    import builtins
    import io
    import multiprocessing
    import os
    import subprocess

    from generator.site.build import check

    from ..conftest import ROOT

    checked = check(example_cache(ROOT))
    with open_store(ROOT) as store:
        images = draw_badge_images(checked.network, store)

    def forbidden(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError(f"render touched the disk or started a process: {args!r}")

    monkeypatch.setattr(builtins, "open", forbidden)
    monkeypatch.setattr(io, "open", forbidden)
    for name in (
        "open",
        "scandir",
        "listdir",
        "fork",
        "mkdir",
        "makedirs",
        "link",
        "replace",
        "rename",
    ):
        monkeypatch.setattr(os, name, forbidden)
    monkeypatch.setattr(multiprocessing, "Pool", forbidden)
    monkeypatch.setattr(subprocess, "Popen", forbidden)
    rendering = Rendering(checked.network, checked.awards, images, checked.theme, checked.now)
    outputs = list(rendering.outputs())
    monkeypatch.undo()
    paths = [output.path for output in outputs]
    assert len(paths) == len(set(paths))
    assert sum(path.endswith("/credential.json") for path in paths) == len(checked.awards) > 0

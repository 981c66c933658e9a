"""Parts of pages rendered once and reused give the bytes of rendering every page whole.

Award pages share most of their HTML with the other awards of their badge (criteria,
pathway, heading) and every page shares its header and footer; the templates mark those
parts with `{% call cached(...) %}` and a build renders each once per key and language. A
key that forgot something a part depends on would show one award's text on another's page:
here whole sites are rendered both ways and compared page by page.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.cache import open_store
from generator.site.build import check
from generator.site.draw.badge_images import draw_badge_images
from generator.site.render.fragments import Fragments
from generator.site.render.outputs import Rendering
from generator.site.render.sharing import QrCodes

from .conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))

import synthetic_network  # benchmarks/ is not a package


def _assert_same_pages(source: Path) -> None:
    """The site of source rendered whole and with reused parts, from one checked network and
    one set of badge images, gives the same pages. The proofs verified and the images drawn
    by the check come from the test's cache store, and the images from there too: what is
    compared is the rendering."""
    checked = check(source)
    with open_store(source) as store:
        images = draw_badge_images(checked.network, store)

    def site(fragments: Fragments) -> dict[str, bytes]:
        outputs = Rendering(
            checked.network,
            checked.awards,
            images,
            checked.theme,
            checked.now,
            QrCodes(),
            fragments=fragments,
        ).outputs()
        return {output.path: output.data for output in outputs}

    cached = Fragments()
    whole = site(Fragments(enabled=False))
    reused = site(cached)
    assert cached.reused > 0, "no part of any page was reused: the test proves nothing"
    assert reused.keys() == whole.keys()
    for path, data in whole.items():
        assert reused[path] == data, f"{path}: a reused part differs from the page rendered whole"


def test_example_network_pages_are_the_same_with_reused_parts(
    example_cache: Callable[[Path], Path],
) -> None:
    """The example network: valid, expired and revoked awards, named and anonymous earners
    (with the cache store of the session's build of it)."""
    _assert_same_pages(example_cache(ROOT))


def test_generated_network_pages_are_the_same_with_reused_parts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Many awards of each badge by several structures, local badges, portfolios."""
    network = tmp_path / "network"
    synthetic_network.generate(network, 80, seed=11)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(synthetic_network.EPOCH))
    _assert_same_pages(network)

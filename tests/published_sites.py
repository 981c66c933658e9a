"""The sites whose every published document the standards' checks read: the example
network, built once per test session, and each golden site's expected output (which
tests/test_golden.py keeps equal to a fresh build of it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.site.build import build

ROOT = Path(__file__).resolve().parent.parent
SITES = Path(__file__).resolve().parent / "sites"
GOLDEN = ("minimal", "signed")


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example network of the repository, built (reproducibly, cache of its own)."""
    out = tmp_path_factory.mktemp("example") / "site"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # conftest.EPOCH, as every test build
        patch.setenv("FABABREST_CACHE_DIR", str(tmp_path_factory.mktemp("example-cache")))
        build(ROOT, out)
    return out


@pytest.fixture(scope="session")
def published_sites(example_site: Path) -> dict[str, Path]:
    """name -> built site: the example and every golden site."""
    return {"example": example_site, **{name: SITES / name / "expected" for name in GOLDEN}}

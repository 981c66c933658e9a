"""A structure's mark wherever the site names a structure (theme/templates/partials/issuer_mark.html):
its logo, one file served at its own address, on award, badge, structure and structures pages
and on the printed certificate; its initial in a disc only for a structure without a logo.
The example's logos (content/) are plain, small SVG that the build's checks accept."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from generator.openbadges.svg_document import parse_svg
from generator.site.check.svg_hazards import find_hazards

from .conftest import ROOT

PREFIX = "/open-badges/"
AWARD = "awards/fablab-exemple-port/20240420-6ebc5c6e/index.html"
# BIK'LAB is a real member: the example draws no logo for it (its mark is its own to give).
WITHOUT_LOGO = "biklab"
LOGO_BYTES = 1_500  # each of the example's logos, so that a page's structure costs a link
EXAMPLE_ISSUERS = sorted((ROOT / "content" / "issuers").glob("*.yaml"))
WITH_LOGO = [path for path in EXAMPLE_ISSUERS if path.stem != WITHOUT_LOGO]


def _logo(issuer: str, size: int | None = None) -> str:
    sized = f' width="{size}" height="{size}"' if size else ""
    return f'<img src="{PREFIX}issuers/{issuer}/logo.svg" alt=""{sized}'


@pytest.mark.parametrize("path", WITH_LOGO, ids=lambda path: path.stem)
def test_every_example_structure_has_a_small_plain_svg_logo(path: Path) -> None:
    declared = yaml.safe_load(path.read_text("utf-8"))["logo"]
    logo = path.parent / declared
    assert logo.suffix == ".svg" and logo.is_file(), declared
    data = logo.read_bytes()
    assert len(data) <= LOGO_BYTES, f"{logo.name}: {len(data)} bytes"
    assert find_hazards(parse_svg(data)) == []


def test_the_network_s_logo_is_the_site_s(example_site: Path) -> None:
    network = example_site / "issuers" / "fababrest" / "logo.svg"
    assert network.read_bytes() == (example_site / "static" / "logo.svg").read_bytes()


def test_an_award_page_shows_its_structure_s_logo_by_its_address(example_site: Path) -> None:
    page = (example_site / AWARD).read_text("utf-8")
    awarder = re.search(r'<p class="awarder">.*?</p>', page)
    assert awarder is not None and awarder[0].startswith(
        f'<p class="awarder">{_logo("fablab-exemple-port", 40)}>'
    )
    assert "monogram" not in page
    # the certificate (printed) too, sized by paper.css
    certificate = page[page.index('<section class="certificate') :]
    assert f"{_logo('fablab-exemple-port')}>" in certificate
    # the logo is linked, never inlined: its drawing is in its file, not in the page
    drawing = (example_site / "issuers" / "fablab-exemple-port" / "logo.svg").read_text("utf-8")
    shapes = re.findall(r' d="([^"]+)"', drawing)
    assert shapes and not any(shape in page for shape in shapes)


def test_the_badge_structure_and_structures_pages_show_the_logos(example_site: Path) -> None:
    badge = (example_site / "badges/decoupe-laser-premiers-pas/index.html").read_text("utf-8")
    assert f"<li>{_logo('fablab-exemple-port', 32)}><span><a href" in badge
    assert 'aria-hidden="true">B</span><span><a href' in badge  # BIK'LAB: its initial
    structure = (example_site / "issuers/fablab-exemple-port/index.html").read_text("utf-8")
    assert f'{_logo("fablab-exemple-port", 96)} data-pagefind-meta="image[src]">' in structure
    structures = (example_site / "issuers/index.html").read_text("utf-8")
    for path in WITH_LOGO:
        assert f"<h2>{_logo(path.stem, 48)}><a href" in structures, path.stem
    assert "monogram" not in structure


def test_a_structure_without_a_logo_keeps_its_initial_in_a_disc(
    published_sites: dict[str, Path],
) -> None:
    site = published_sites["minimal"]  # no structure of it has a logo
    disc = '<span class="issuer-mark monogram" aria-hidden="true">A</span>'
    assert disc in (site / "issuers/atelier/index.html").read_text("utf-8")
    assert disc in (site / "issuers/index.html").read_text("utf-8")
    assert "logo." not in (site / "issuers/atelier/index.html").read_text("utf-8")


def test_the_example_s_real_member_keeps_its_initial(example_site: Path) -> None:
    """No logo is drawn for a real structure: BIK'LAB's pages show its initial."""
    disc = '<span class="issuer-mark monogram" aria-hidden="true">B</span>'
    for page in ("issuers/biklab/index.html", "awards/biklab/20240312-ef961c53/index.html"):
        assert disc in (example_site / page).read_text("utf-8"), page
    assert not (example_site / "issuers" / WITHOUT_LOGO / "logo.svg").exists()

"""sitemap.xml lists exactly the pages written that crawlers may index: every HTML page
without a robots noindex, but the 404 page; robots.txt is written only where crawlers read
it, at the root of a host."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.site.build import build

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
NOINDEX = re.compile(r'<meta name="robots" content="[^"]*noindex', re.IGNORECASE)


def base_url(site: Path) -> str:
    match = re.search(r'"base_url": "([^"]+)"', (site / "data" / "badges.json").read_text())
    assert match
    return match.group(1)


def indexable_pages(site: Path) -> set[str]:
    """From the files written: the URL of every page without noindex, but the 404 page."""
    base = base_url(site)
    return {
        base + path.relative_to(site).as_posix().removesuffix("index.html")
        for path in site.rglob("*.html")
        if path.relative_to(site).as_posix() != "404.html"
        and not NOINDEX.search(path.read_text("utf-8").partition("</head>")[0])
    }


def sitemap(site: Path) -> dict[str, set[tuple[str, str]]]:
    """loc -> its (hreflang, href) alternates."""
    root = ET.parse(site / "sitemap.xml").getroot()
    return {
        str(entry.findtext("s:loc", namespaces=NS)): {
            (link.attrib["hreflang"], link.attrib["href"]) for link in entry.findall("x:link", NS)
        }
        for entry in root.findall("s:url", NS)
    }


@pytest.mark.parametrize("name", ["example", "minimal", "signed"])
def test_the_sitemap_lists_every_indexable_page_written(
    name: str, published_sites: dict[str, Path]
) -> None:
    site = published_sites[name]
    listed = sitemap(site)
    pages = indexable_pages(site)
    assert set(listed) == pages
    base = base_url(site)
    # the pages the sitemap used to leave out are there, in both languages
    assert {f"{base}map/", f"{base}en/map/"} <= pages
    assert any(url.startswith(f"{base}issuers/") and "/machines/" in url for url in pages)
    # and what a page says of itself (noindex) keeps it out
    assert not any("/awards/" in url or "/people/" in url for url in listed)
    for url, alternates in listed.items():
        assert {href for _, href in alternates} <= set(listed), url
        assert url in {href for _, href in alternates}, url


def test_robots_txt_only_at_the_root_of_a_host(
    minimal_site: Callable[..., Path], tmp_path: Path, published_sites: dict[str, Path]
) -> None:
    """A project site (https://org.github.io/repo/) is not at the root of its host: no
    robots.txt there, which crawlers would never read. A site at the root has one."""
    for site in published_sites.values():
        assert not (site / "robots.txt").exists()
        assert (site / "sitemap.xml").is_file()
    source = minimal_site()
    settings = source / "content" / "site.yaml"
    text = settings.read_text("utf-8")
    settings.write_text(
        text.replace("https://example.org/test-network/", "https://badges.example.org/"), "utf-8"
    )
    build(source, tmp_path / "out")
    robots = (tmp_path / "out" / "robots.txt").read_text("utf-8")
    assert robots == "User-agent: *\nAllow: /\nSitemap: https://badges.example.org/sitemap.xml\n"
    assert set(sitemap(tmp_path / "out")) == indexable_pages(tmp_path / "out")

"""Crawl the built sites: every internal link and asset of every page must exist, and every
link of every page has a scheme the site allows (urls.is_safe_link: no javascript:, data:...;
only the PNG images the build inlines itself, its QR codes, are data: URIs)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from generator.site.build import build
from generator.site.model.urls import is_safe_link, web_link
from generator.site.render.theme import render_markdown

from .conftest import copy_site

# Every attribute a browser follows or loads as a URL.
LINK_ATTRIBUTES = {
    "href", "src", "action", "formaction", "xlink:href", "poster", "data", "cite",
    "background", "longdesc", "manifest", "ping", "codebase", "archive", "icon",
}  # fmt: skip


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.unsafe: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is not None and name in LINK_ATTRIBUTES and not _safe(tag, name, value):
                self.unsafe.append(f"<{tag} {name}={value!r}>")
            if value and name in ("href", "src"):
                self.links.append(value)
            if value and name == "id":
                self.ids.add(value)


def _safe(tag: str, name: str, value: str) -> bool:
    """A link the site allows: urls.is_safe_link's schemes, and the PNG images the build
    inlines itself (QR codes): a raster image runs no script, unlike an SVG or HTML data URI."""
    inline_png = tag == "img" and name == "src" and value.startswith("data:image/png;base64,")
    return inline_png or is_safe_link(value)


def broken_links(out: Path, base_url: str) -> list[str]:
    """Internal links of every HTML page that point to no file (or to no anchor)."""
    base = urlsplit(base_url)
    broken = []
    pages = sorted(out.rglob("*.html"))
    parsed = {}
    for page in pages:
        parser = _Links()
        parser.feed(page.read_text("utf-8"))
        parsed[page] = parser
    for page, parser in parsed.items():
        broken.extend(f"{page.relative_to(out)}: unsafe link {link}" for link in parser.unsafe)
        page_url = base_url + page.relative_to(out).as_posix()
        for link in parser.links:
            target = urlsplit(urljoin(page_url, link))
            if target.scheme not in ("http", "https") or target.netloc != base.netloc:
                continue
            if not target.path.startswith(base.path):
                # An absolute URL elsewhere on the host is external; a root-relative link
                # that misses the base path is a bug (it breaks under a sub-path).
                if link.startswith("/"):
                    broken.append(f"{page.relative_to(out)}: {link} is outside the site")
                continue
            relative = target.path[len(base.path) :]
            file = out / relative
            if relative == "" or relative.endswith("/"):
                file = file / "index.html"
            if not file.is_file():
                broken.append(f"{page.relative_to(out)}: {link} -> missing {file.relative_to(out)}")
            elif (
                target.fragment
                and file.suffix == ".html"
                and target.fragment not in parsed[file].ids
            ):
                broken.append(f"{page.relative_to(out)}: {link} -> no #{target.fragment}")
    return broken


@pytest.mark.parametrize(
    ("site", "base_url"),
    [
        ("minimal", "https://example.org/test-network/"),
        ("minimal", "https://badges.example.org/"),
        # Credentials are signed for their base URL: the signed site is crawled at its own.
        ("signed", "https://example.org/test-network/"),
    ],
)
def test_test_sites_have_no_broken_link(tmp_path: Path, site: str, base_url: str) -> None:
    source = copy_site(site, tmp_path / "source")
    settings = source / "content" / "site.yaml"
    text = settings.read_text("utf-8")
    settings.write_text(re.sub(r"base_url: .*", f"base_url: {base_url}", text), "utf-8")
    build(source, tmp_path / "out")
    assert broken_links(tmp_path / "out", base_url) == []


def test_example_network_has_no_broken_link(example_site: Path) -> None:
    assert broken_links(example_site, "https://fababrest.github.io/open-badges/") == []


def test_crawler_detects_a_broken_link(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text(
        '<a href="/site/missing/">x</a><a href="#nowhere">y</a>', "utf-8"
    )
    assert len(broken_links(tmp_path, "https://example.org/site/")) == 2


UNSAFE = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "\x01javascript:alert(1)",
    "vbscript:msgbox(1)",
    "data:text/html,<script>alert(1)</script>",
    "data:image/svg+xml;base64,PHN2Zz4=",
    "about:srcdoc",
    "file:///etc/passwd",
    "blob:https://example.org/x",
]
SAFE = [
    "https://example.org/",
    "http://example.org/a?b#c",
    "mailto:a@example.org",
    "/x/",
    "x/y",
    "#top",
    "?q=1",
    "//example.org/x",
    "about:blank",
]


@pytest.mark.parametrize("href", UNSAFE)
def test_unsafe_links_are_found_and_never_written(tmp_path: Path, href: str) -> None:
    assert not is_safe_link(href)
    assert web_link(href) == "about:blank"
    (tmp_path / "index.html").write_text(f"<a href='{href}'>x</a>", "utf-8")
    assert broken_links(tmp_path, "https://example.org/") == [
        f"index.html: unsafe link <a href={href!r}>"
    ]
    # In Markdown (criteria, pages): the sanitiser drops the link, keeps the text.
    html = str(render_markdown(f"[cliquer]({href}) <a href='{href}'>ici</a>"))
    assert all(is_safe_link(link) for link in re.findall(r'href="([^"]*)"', html)), html
    assert "cliquer" in html


@pytest.mark.parametrize("href", SAFE)
def test_safe_links_pass(href: str) -> None:
    assert is_safe_link(href)

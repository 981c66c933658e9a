"""Files for crawlers and feed readers: sitemap.xml, robots.txt and the Atom feeds."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from xml.sax.saxutils import escape, quoteattr

from generator.site.model.network import Network
from generator.site.model.output import Output
from generator.site.model.urls import Urls

NOT_FOUND = "404.html"


def render_feeds(network: Network, urls: Urls) -> Iterator[Output]:
    """robots.txt (for a site at the root of its host), and one Atom feed of approved badges
    per language. The sitemap is made from the pages themselves (Sitemap)."""
    # Crawlers read robots.txt only at the root of a host (RFC 9309, section 2.3): a GitHub
    # Pages project site lives under /<repo>/, where a robots.txt is never read and the
    # host's root belongs to the organisation's own site. Written there, it would only
    # pretend to govern crawling; sitemap.xml is still published, to submit to search engines.
    if urls.base_path == "/":
        robots = f"User-agent: *\nAllow: /\nSitemap: {urls.absolute('sitemap.xml')}\n"
        yield Output("robots.txt", robots.encode("utf-8"))
    for language in network.site.languages:
        yield Output(urls.feed(language), atom_feed(network, urls, language).encode("utf-8"))


@dataclass(frozen=True)
class IndexedPage:
    """A page the sitemap lists: its URL and its versions in other languages."""

    url: str
    alternates: tuple[tuple[str, str], ...]


class _Head(HTMLParser):
    """What a page's <head> says to crawlers: noindex, its canonical URL, its alternates."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.noindex = False
        self.canonical: str | None = None
        self.alternates: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "meta" and values.get("name", "").lower() == "robots":
            self.noindex |= "noindex" in values.get("content", "").lower()
        elif tag == "link" and values.get("rel") == "canonical":
            self.canonical = values.get("href")
        elif tag == "link" and values.get("rel") == "alternate" and values.get("hreflang"):
            self.alternates.append((values["hreflang"], values.get("href", "")))


def indexed_page(output: Output, urls: Urls) -> IndexedPage | None:
    """The sitemap entry of an output: every HTML page without noindex, but the 404 page."""
    if not output.path.endswith(".html") or output.path == NOT_FOUND:
        return None
    head = _Head()
    html = output.data.decode("utf-8")
    head.feed(html.partition("</head>")[0])  # the head alone: the body says nothing to crawlers
    if head.noindex:
        return None
    path = output.path.removesuffix("index.html")
    return IndexedPage(head.canonical or urls.absolute(path), tuple(head.alternates))


@dataclass
class Sitemap:
    """sitemap.xml, made from the pages actually rendered: see() each output as it goes by,
    then output(). The awards' own pages, rendered apart (in worker processes), are all
    noindex; tests/test_sitemap.py compares the sitemap with every page written. No
    lastmod: no date we hold says when a page last changed (the build time would claim
    that every page changed at every build)."""

    urls: Urls
    pages: list[IndexedPage] = field(default_factory=list)

    def see(self, output: Output) -> None:
        """Note the output if it is a page the sitemap lists."""
        if (page := indexed_page(output, self.urls)) is not None:
            self.pages.append(page)

    def output(self) -> Output:
        """sitemap.xml, with hreflang alternates, sorted by URL."""
        entries = []
        for page in sorted(self.pages, key=lambda page: page.url):
            links = "".join(
                f'\n    <xhtml:link rel="alternate" hreflang={quoteattr(language)} '
                f"href={quoteattr(href)}/>"
                for language, href in page.alternates
            )
            entries.append(f"  <url>\n    <loc>{escape(page.url)}</loc>{links}\n  </url>\n")
        xml = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:xhtml="http://www.w3.org/1999/xhtml">\n' + "".join(entries) + "</urlset>\n"
        )
        return Output("sitemap.xml", xml.encode("utf-8"))


def atom_feed(network: Network, urls: Urls, language: str) -> str:
    """An Atom feed of the approved badges, newest approval first."""
    approved = sorted(
        (
            badge
            for badge in network.badges.values()
            if badge.status == "approved" and badge.approved_on
        ),
        key=lambda badge: (badge.approved_on, badge.slug),
        reverse=True,
    )
    updated = f"{approved[0].approved_on}T00:00:00Z" if approved else "1970-01-01T00:00:00Z"
    entries = []
    for badge in approved[:50]:
        page = urls.absolute(urls.badge_page(badge.slug, language))
        entries.append(
            "  <entry>\n"
            f"    <id>{escape(page)}</id>\n"
            f"    <title>{escape(badge.name.get(language))}</title>\n"
            f'    <link rel="alternate" type="text/html" href={quoteattr(page)}/>\n'
            f"    <updated>{badge.approved_on}T00:00:00Z</updated>\n"
            f"    <summary>{escape(badge.description.get(language))}</summary>\n"
            "  </entry>\n"
        )
    feed_url = urls.absolute(urls.feed(language))
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{language}">\n'
        f"  <id>{escape(feed_url)}</id>\n"
        f"  <title>{escape(network.site.name)}</title>\n"
        f'  <link rel="self" href={quoteattr(feed_url)}/>\n'
        f'  <link rel="alternate" type="text/html" href={quoteattr(urls.absolute(urls.home(language)))}/>\n'
        f"  <updated>{updated}</updated>\n"
        f"  <author><name>{escape(network.site.name)}</name></author>\n"
        + "".join(entries)
        + "</feed>\n"
    )

"""Files for crawlers and feed readers: sitemap.xml, robots.txt and the Atom feeds."""

from __future__ import annotations

from collections.abc import Iterator
from xml.sax.saxutils import escape, quoteattr

from generator.site.model import Network
from generator.site.outputs import Output
from generator.site.urls import Urls


def render_feeds(network: Network, urls: Urls) -> Iterator[Output]:
    """The sitemap, robots.txt and one Atom feed of approved badges per language."""
    yield Output("sitemap.xml", sitemap(network, urls).encode("utf-8"))
    robots = f"User-agent: *\nAllow: /\nSitemap: {urls.absolute('sitemap.xml')}\n"
    yield Output("robots.txt", robots.encode("utf-8"))
    for language in network.site.languages:
        yield Output(urls.feed(language), atom_feed(network, urls, language).encode("utf-8"))


def page_paths(network: Network, urls: Urls, language: str) -> list[str]:
    """The paths of the site's HTML pages in one language."""
    paths = [urls.home(language), urls.catalogue(language), urls.issuers_page(language)]
    paths += [urls.badge_page(slug, language) for slug in sorted(network.badges)]
    paths += [urls.issuer_page(slug, language) for slug in sorted(network.issuers)]
    paths += [urls.page(slug, language) for slug in sorted(network.pages) if slug != "index"]
    return paths


def sitemap(network: Network, urls: Urls) -> str:
    """A sitemap of every page, with hreflang alternates."""
    languages = network.site.languages
    per_language = {lang: page_paths(network, urls, lang) for lang in languages}
    entries = []
    for lang in languages:
        for index, path in enumerate(per_language[lang]):
            links = "".join(
                f'\n    <xhtml:link rel="alternate" hreflang="{other}" '
                f"href={quoteattr(urls.absolute(per_language[other][index]))}/>"
                for other in languages
            )
            entries.append(
                f"  <url>\n    <loc>{escape(urls.absolute(path))}</loc>{links}\n  </url>\n"
            )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:xhtml="http://www.w3.org/1999/xhtml">\n' + "".join(entries) + "</urlset>\n"
    )


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

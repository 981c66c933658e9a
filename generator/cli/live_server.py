"""What `serve` answers on localhost: the site at its base path (`/` redirects there), the
site's own 404 page for what it does not have, a page listing the problems while the site
does not build yet, and livereload's script and socket, which reload the browser."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

from livereload import Server
from livereload.handlers import LiveReloadHandler
from tornado import web

HOST = "127.0.0.1"


@dataclass
class ServedSite:
    """The site `serve` writes and serves; its rebuilds update it, its handlers read it."""

    folder: Path
    base_path: str
    built: bool = False
    """A build of this run succeeded: the folder holds the site (else what stops it)."""
    problems: list[str] = field(default_factory=list)
    """Why the site does not build yet, as printed in the terminal."""


class LiveServer(Server):  # type: ignore[misc]  # livereload has no type hints
    """livereload's server (its script in every HTML page, its socket at /livereload)
    answering with the site's own routes."""

    def __init__(self, site: ServedSite) -> None:
        super().__init__()
        self._site = site

    def listen(self, port: int) -> None:
        """Bind the port (OSError if the system refuses it); serve when the loop runs."""
        self.application(port, HOST)

    def get_web_handlers(self, script: bytes) -> list[tuple[str, type[web.RequestHandler], Any]]:
        """The routes of the site (livereload calls it; its script is added to every page)."""
        site = self._site
        base = site.base_path
        if base == "/":
            return [(r"/(.*)", SiteFiles, {"site": site})]
        to_base = {"url": base, "permanent": False}  # base_url may change: never cached
        return [
            (r"/", web.RedirectHandler, to_base),
            (re.escape(base.rstrip("/")), web.RedirectHandler, to_base),
            (re.escape(base) + r"(.*)", SiteFiles, {"site": site}),
            (r"/.*", OutsideSite, {"site": site}),
        ]


def reload_browsers() -> None:
    """Tell every open page to reload now (livereload's own watcher would wait up to 3 s
    after the last reload, and skip an edit made within them)."""
    LiveReloadHandler.reload_waiters("*")


class SiteFiles(web.StaticFileHandler):
    """The site's files, sent whole at each request (a rebuild may have changed them)."""

    site: ServedSite

    def initialize(self, site: ServedSite) -> None:  # type: ignore[override]
        super().initialize(str(site.folder), default_filename="index.html")
        self.site = site

    async def get(self, path: str, include_body: bool = True) -> None:
        if not self.site.built:
            unbuilt_page(self, self.site)
            return
        await super().get(path, include_body)

    def compute_etag(self) -> str | None:
        return None  # tornado remembers a file's first hash: it would never change

    def should_return_304(self) -> bool:
        return False

    def set_extra_headers(self, path: str) -> None:
        self.set_header("Cache-Control", "no-cache")  # a link followed asks again too

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        not_found_page(self, self.site, status_code, **kwargs)


class OutsideSite(web.RequestHandler):
    """What is not under the base path: the site's 404 page."""

    site: ServedSite

    def initialize(self, site: ServedSite) -> None:
        self.site = site

    def get(self) -> None:
        if not self.site.built:
            unbuilt_page(self, self.site)
            return
        raise web.HTTPError(404)

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        not_found_page(self, self.site, status_code, **kwargs)


def not_found_page(
    handler: web.RequestHandler, site: ServedSite, status_code: int, **kwargs: Any
) -> None:
    """The site's 404.html for a page it does not have, as its host would answer."""
    page = site.folder / "404.html"
    if status_code == 404 and site.built and page.is_file():
        handler.set_header("Content-Type", "text/html; charset=UTF-8")
        handler.finish(page.read_bytes())
    else:
        web.RequestHandler.write_error(handler, status_code, **kwargs)


def unbuilt_page(handler: web.RequestHandler, site: ServedSite) -> None:
    """While no build succeeded: what stops it; livereload's script shows the site as soon
    as it builds."""
    handler.set_status(503)
    handler.set_header("Content-Type", "text/html; charset=UTF-8")
    handler.set_header("Cache-Control", "no-store")
    problems = escape("\n".join(site.problems) or "The site is being built...")
    handler.finish(
        "<!doctype html>\n<html lang=en>\n<head>\n<meta charset=utf-8>\n"
        "<title>The site does not build yet</title>\n</head>\n<body>\n"
        "<h1>The site does not build yet</h1>\n"
        "<p>Fix these problems: this page shows the site as soon as it builds.</p>\n"
        f"<pre>{problems}</pre>\n</body>\n</html>\n"
    )

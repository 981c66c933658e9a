"""What `verify` is given, read: a credential file, a baked image, or a URL of a built site
(--site) mapped onto its files, as a person may type it (its page's address without the last
'/', with http:// for https://, with a query from a link shared somewhere). Nothing is
fetched. The documents found inside a badge are read strictly: their ids are what they are.

The verdict on the documents is verdict.py's.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from generator.openbadges.baking import BakingError
from generator.openbadges.png_baking import unbake_png
from generator.openbadges.svg_baking import unbake_svg
from generator.site.load.json_strict import JsonRefused, loads_strict
from generator.site.load.repository import MAX_FILE_BYTES
from generator.site.model.urls import Urls

WEB = ("https://", "http://")


class NothingToVerify(Exception):
    """The command was given nothing to judge (a URL without --site, a folder that is not a
    built site, no such file): a usage error, not a verdict on a badge."""


class Invalid(Exception):
    """What makes the badge invalid, said plainly."""


class Unchecked(Exception):
    """What the verdict could not check (no content repository, no built site...): never VALID."""


@dataclass(frozen=True)
class BuiltSite:
    """A built site (--site): its folder, and its URL scheme (base URL and default language)."""

    folder: Path
    urls: Urls


def built_site(folder: Path) -> BuiltSite:
    """The site the build wrote into folder, with the base URL and default language its
    catalogue export names."""
    if not folder.is_dir():
        state = "no such folder" if not folder.exists() else "not a folder"
        raise NothingToVerify(f"--site {folder}: {state}; give the folder the build wrote")
    catalogue = folder / Urls.catalogue_export()
    not_a_site = (
        f"{folder} is not a site built by this tool: {{}}; build it with `python build.py "
        "build` or give its folder"
    )
    if not catalogue.is_file():
        raise NothingToVerify(not_a_site.format(f"no {Urls.catalogue_export()}"))
    try:
        export = json.loads(catalogue.read_bytes())
    except ValueError:
        raise NothingToVerify(not_a_site.format(f"{catalogue} is not JSON")) from None
    base_url = export.get("base_url") if isinstance(export, dict) else None
    if not isinstance(base_url, str) or not base_url.endswith("/"):
        raise NothingToVerify(not_a_site.format(f"{catalogue} names no base_url"))
    language = export.get("language")
    # A site built before its export named its default language was built with Urls' default.
    urls = Urls(base_url, language) if isinstance(language, str) else Urls(base_url)
    return BuiltSite(folder, urls)


def read_target(target: str, site: BuiltSite | None) -> list[dict[str, Any]]:
    """The badge a target names: one document, or two baked in one image (then they must
    name the same award)."""
    if target.startswith(WEB):
        if site is None:
            raise NothingToVerify(
                f"{target} is a URL: give --site DIR, the folder of the site built by this "
                "tool that publishes it, to check it against (nothing is fetched)"
            )
        url = typed_url(target, site.urls)
        page = site.urls.path_of(url)
        if page is not None and not site.urls.award_of_page(page) and (site.folder / page).is_dir():
            raise NothingToVerify(
                f"{target} is a page of the site, not an award: give the address of an "
                "award's page (…/awards/STRUCTURE/AWARD/), of its credential.json or of its "
                "assertion.json"
            )
        file = site_file(url, site)
        return documents_in(read_file(file, str(file)), file.suffix, target, site)
    path = Path(target)
    if not path.exists():
        raise NothingToVerify(f"{target}: no such file")
    if not path.is_file():
        raise NothingToVerify(
            f"{target}: not a file; give a credential file, a baked PNG/SVG image or a URL"
        )
    return documents_in(read_file(path, target), path.suffix, target, site)


def typed_url(url: str, urls: Urls) -> str:
    """The URL the site publishes for one a person typed or pasted: its scheme as the base
    URL's (http:// for https://), without query nor fragment, and an award's page with its
    last '/' (or without 'index.html')."""
    parts = urlsplit(url)
    base = urlsplit(urls.base_url)
    if parts.netloc.lower() == base.netloc.lower():
        parts = parts._replace(scheme=base.scheme, netloc=base.netloc)
    url = urlunsplit(parts._replace(query="", fragment=""))
    path = urls.path_of(url)
    if path is not None and not path.endswith("/"):
        page = path.removesuffix("index.html") if path.endswith("/index.html") else path + "/"
        if urls.award_of_page(page) is not None:
            return urls.absolute(page)
    return url


def documents_in(data: bytes, suffix: str, target: str, site: BuiltSite | None) -> list[Any]:
    """The documents of a file: a JSON document, or those baked in a PNG or SVG image."""
    try:
        if suffix.lower() == ".png":
            baked = unbake_png(data)
        elif suffix.lower() == ".svg":
            baked = unbake_svg(data)
        else:
            return [loads(data, target)]
    except BakingError as error:
        raise Invalid(f"{target}: {error}") from None
    texts = [baked[name] for name in ("openbadgecredential", "openbadges") if baked.get(name)]
    if not texts:
        raise Invalid(f"{target}: the image carries no baked badge")
    documents = [
        json_file(site_file(text, site))
        if text.startswith(WEB)
        else loads(text.encode("utf-8"), target)
        for text in texts
    ]
    awards = {_award_folder(document) for document in documents}
    if len(awards) > 1:
        raise Invalid(
            f"{target}: the image carries two badges that disagree (an Open Badges 3.0 "
            f"credential of {sorted(awards)[0]} and a 2.0 assertion of {sorted(awards)[1]}); "
            "it was not baked by this site: ask the issuer for the badge again"
        )
    return documents


def _award_folder(document: dict[str, Any]) -> str:
    """The URL of the award a credential or assertion belongs to (its id's folder)."""
    return str(document.get("id", "")).rpartition("/")[0] or "(no id)"


def read_file(path: Path, where: str) -> bytes:
    """A regular file's bytes, if of a sensible size (the system's refusals are raised)."""
    if path.stat().st_size > MAX_FILE_BYTES:
        raise Invalid(f"{where}: more than {MAX_FILE_BYTES:,} bytes; not a badge")
    return path.read_bytes()


def json_file(path: Path) -> dict[str, Any]:
    """A JSON object of a built site."""
    return loads(read_file(path, str(path)), str(path))


def loads(data: bytes, where: str) -> dict[str, Any]:
    """A JSON object, read as strictly as the build reads signed files."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise Invalid(f"{where}: not UTF-8 text (byte {error.start})") from None
    try:
        value = loads_strict(text)
    except json.JSONDecodeError as error:
        raise Invalid(f"{where}: not JSON ({error.msg}, line {error.lineno})") from None
    except JsonRefused as refusal:
        raise Invalid(f"{where}: JSON refused ({refusal})") from None
    if not isinstance(value, dict):
        raise Invalid(f"{where}: not a JSON object")
    return value


def site_file(url: str, site: BuiltSite | None) -> Path:
    """The file of a built site that serves a URL; an award's page stands for its credential."""
    site = needed(site, url)
    path = site.urls.path_of(url)
    if path is None:
        raise Invalid(f"{url} is not under this site's base URL {site.urls.base_url}")
    award = site.urls.award_of_page(path)
    if award is not None:
        path = site.urls.credential(*award)
        if not (site.folder / path).is_file():
            # A revoked credential whose file was deleted: its page says so, and its hosted
            # assertion answers as revoked.
            path = site.urls.assertion(*award)
    file = site.folder / path
    if not file.resolve().is_relative_to(site.folder.resolve()):
        raise Invalid(f"{url} leads outside the site {site.folder}")
    if not file.is_file():
        raise Invalid(f"{url} is not published by this site (no {file})")
    return file


def needed(site: BuiltSite | None, url: str) -> BuiltSite:
    """The built site, which a URL named by a badge needs (a usage error without one: the
    badge may be fine, and nothing is fetched)."""
    if site is None:
        raise NothingToVerify(
            f"the badge names {url}, which only a built site answers: give --site DIR, the "
            "folder of the site built by this tool that publishes it (nothing is fetched)"
        )
    return site

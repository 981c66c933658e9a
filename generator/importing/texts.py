"""How imported records are written as text: slugs, YAML files with a header comment, and
the criteria as Markdown."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import yaml

from generator.importing.html_markdown import html_to_markdown, looks_like_html
from generator.importing.records import ImportedAward, ImportedBadge


def slugify(text: str) -> str:
    """A slug (lower-case ASCII letters, digits, '-') for a name."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60].strip("-") or "badge"


def free_slug(slug: str, taken: set[str]) -> str:
    """The slug, or the slug with the first free '-2', '-3'... suffix; now taken."""
    candidate, number = slug, 2
    while candidate in taken:
        candidate, number = f"{slug}-{number}", number + 1
    taken.add(candidate)
    return candidate


def site_of(url: str | None) -> str:
    """A web address as compared for 'same structure': host and path, without the scheme."""
    parts = urlsplit(url or "")
    return f"{(parts.hostname or '').lower()}{parts.path.rstrip('/')}"


def record_slug(award: ImportedAward, issued_on: str) -> str:
    """An earlier award's file name: its date and a digest of its original URL (stable)."""
    return f"{issued_on[:10].replace('-', '')}-{hashlib.sha256(award.id.encode()).hexdigest()[:8]}"


def criteria_markdown(badge: ImportedBadge) -> str:
    """The criteria as Markdown (HTML converted and sanitised), with the original's link."""
    text = badge.criteria or ""
    markdown = html_to_markdown(text) if looks_like_html(text) else text.strip() + "\n"
    if badge.criteria_url:
        link = f"[Critères d'origine]({badge.criteria_url})\n"
        markdown = f"{markdown}\n{link}" if markdown.strip() else link
    return markdown


def iso(moment: datetime) -> str:
    """A moment as the records keep it: UTC, to the second."""
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True  # the build refuses anchors and aliases


def yaml_file(header: str, fields: dict[str, Any]) -> bytes:
    """A YAML file the build reads back: a header comment, then the fields in their order."""
    comment = "".join(f"# {line}\n" for line in header.splitlines())
    body = yaml.dump(fields, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    return (comment + body).encode("utf-8")

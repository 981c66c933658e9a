"""Criteria and descriptions written in HTML by the original platform (Open Badge Factory's
`criteria_html`, a Badgr narrative pasted from a web page), turned into Markdown.

The HTML is first cleaned by nh3 (the sanitiser the site's own Markdown goes through) down to
the few elements criteria use; what is left is walked once and written as Markdown. Scripts,
styles, event handlers, frames and links that are not http(s) or mailto never reach the
Markdown; the site sanitises what it renders again anyway.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import nh3

_KEPT = {
    "p",
    "br",
    "ul",
    "ol",
    "li",
    "strong",
    "b",
    "em",
    "i",
    "a",
    "code",
    "pre",
    "blockquote",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "div",
    "span",
}
_BLOCKS = {"p", "div", "ul", "ol", "pre", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6"}
_LOOKS_LIKE_HTML = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>|&[a-zA-Z]+;|&#\d+;")
_SPECIAL = re.compile(r"([\\`*_\[\]<>])")
_LINE_START = re.compile(r"^(\s*)([#>+\-]|\d+[.)])", re.MULTILINE)


def looks_like_html(text: str) -> bool:
    """Whether a text holds HTML tags or entities (else it is taken as Markdown already)."""
    return bool(_LOOKS_LIKE_HTML.search(text))


def html_to_markdown(html: str) -> str:
    """Markdown for an HTML fragment, cleaned of anything that could run or load something."""
    cleaned = nh3.clean(
        html,
        tags=_KEPT,
        clean_content_tags={"script", "style"},
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
    )
    writer = _MarkdownWriter()
    writer.feed(cleaned)
    writer.close()
    return writer.markdown()


def html_to_text(html: str) -> str:
    """The text of an HTML fragment, on one paragraph per block (descriptions are plain text)."""
    text = html_to_markdown(html)
    text = re.sub(r"\\([\\`*_\[\]<>#+\-.)])", r"\1", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return text.replace("**", "").strip()


class _MarkdownWriter(HTMLParser):
    """Walks cleaned HTML and writes Markdown: paragraphs, lists, emphasis, links, headings."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._out: list[str] = []
        self._lists: list[list[int]] = []  # per open list: [kind (0 ul, 1 ol), next number]
        self._href: list[str | None] = []
        self._pre = 0

    def markdown(self) -> str:
        text = "".join(self._out)
        text = "\n".join(line.rstrip() for line in text.splitlines())
        return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"

    def _block(self) -> None:
        self._out.append("\n\n")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("ul", "ol"):
            if not self._lists:
                self._block()
            self._lists.append([int(tag == "ol"), 1])
        elif tag == "li":
            depth = max(len(self._lists) - 1, 0)
            marker = "-"
            if self._lists and self._lists[-1][0]:
                marker = f"{self._lists[-1][1]}."
                self._lists[-1][1] += 1
            self._out.append("\n" + "    " * depth + marker + " ")
        elif tag in _BLOCKS:
            self._block()
            if tag[0] == "h" and tag[1:].isdigit():
                self._out.append("#" * int(tag[1:]) + " ")
            elif tag == "blockquote":
                self._out.append("> ")
            elif tag == "pre":
                self._out.append("```\n")
                self._pre += 1
        elif tag == "br":
            self._out.append("  \n")
        elif tag in ("strong", "b"):
            self._out.append("**")
        elif tag in ("em", "i"):
            self._out.append("*")
        elif tag == "code" and not self._pre:
            self._out.append("`")
        elif tag == "a":
            href = dict(attrs).get("href")
            self._href.append(href)
            if href:
                self._out.append("[")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("ul", "ol"):
            if self._lists:
                self._lists.pop()
            if not self._lists:
                self._block()
        elif tag == "pre":
            self._pre = max(self._pre - 1, 0)
            self._out.append("\n```")
            self._block()
        elif tag in _BLOCKS:
            self._block()
        elif tag in ("strong", "b"):
            self._out.append("**")
        elif tag in ("em", "i"):
            self._out.append("*")
        elif tag == "code" and not self._pre:
            self._out.append("`")
        elif tag == "a" and self._href:
            href = self._href.pop()
            if href:
                self._out.append(f"]({href.replace(' ', '%20').replace(')', '%29')})")

    def handle_data(self, data: str) -> None:
        if self._pre:
            self._out.append(data.replace("```", "` ` `"))
            return
        text = re.sub(r"\s+", " ", data)
        text = _SPECIAL.sub(r"\\\1", text)
        if not self._out or self._out[-1].endswith(("\n", "\n\n", "> ")):
            text = text.lstrip()
            text = _LINE_START.sub(r"\1\\\2", text)
        self._out.append(text)

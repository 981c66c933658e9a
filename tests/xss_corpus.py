"""A corpus of XSS payloads, after OWASP's XSS Filter Evasion Cheat Sheet and the well-known
polyglots, written for this site: each payload, if it ever ran, would call `xss(N)`, where N
names the payload and the field it was put in, so that the browser test knows exactly what ran.

Payloads are grouped in classes (PAYLOAD_CLASSES), which the report counts separately. A
field that takes a URL gets the payload as it is; a field that takes Markdown gets a payload
of the URL classes three times: as text, as a Markdown link and as an HTML link.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote


@dataclass(frozen=True)
class Payload:
    """One payload: its number, its class and how it is written around a call to xss(N)."""

    number: int
    kind: str
    make: Callable[[str], str]

    def text(self, marker: int) -> str:
        """The payload, calling xss(marker)."""
        return self.make(f"xss({marker})")


def _entities(text: str, form: str = "&#{:d};") -> str:
    return "".join(form.format(ord(char)) for char in text)


def _base64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


# (class, payload around the call c). Written out one by one rather than generated, so that
# each reads as the trick it is.
_PAYLOADS: list[tuple[str, Callable[[str], str]]] = [
    # Script elements, as they are and disguised.
    ("script", lambda c: f"<script>{c}</script>"),
    ("script", lambda c: f"<script src=data:text/javascript,{c}></script>"),
    ("script", lambda c: f"<scr<script>ipt>{c}</scr</script>ipt>"),
    ("script", lambda c: f"<svg><script>{c}</script></svg>"),
    # Event handlers.
    ("handler", lambda c: f"<img src=x onerror={c}>"),
    ("handler", lambda c: f'<IMG SRC="x" ONERROR="{c}">'),
    ("handler", lambda c: f"<img src=x onerror={_entities(c, '&#x{:x};')}>"),
    ("handler", lambda c: f"<svg onload={c}>"),
    ("handler", lambda c: f"<svg/onload={c}//"),
    ("handler", lambda c: f"<details open ontoggle={c}><summary>x</summary></details>"),
    ("handler", lambda c: f"<input autofocus onfocus={c}>"),
    ("handler", lambda c: f"<svg><animate onbegin={c} attributeName=x dur=1s>"),
    # Breaking out of an attribute, a tag or an element the value may be written in.
    ("breakout", lambda c: f'"><script>{c}</script>'),
    ("breakout", lambda c: f"'><script>{c}</script>"),
    ("breakout", lambda c: f'" onmouseover="{c}'),
    ("breakout", lambda c: f"' onmouseover='{c}"),
    ("breakout", lambda c: f'" autofocus onfocus="{c}" x="'),
    ("breakout", lambda c: f"</title><script>{c}</script>"),
    ("breakout", lambda c: f"</textarea><script>{c}</script>"),
    ("breakout", lambda c: f"</style><script>{c}</script>"),
    ("breakout", lambda c: f"--><script>{c}</script><!--"),
    ("breakout", lambda c: f"]]><script>{c}</script>"),
    # Out of JSON written into a page (data-* attributes, <script> blocks).
    ("json", lambda c: f"</script><script>{c}</script>"),
    ("json", lambda c: f'"}}]</script><script>{c}</script>'),
    ("json", lambda c: f"\u2028\u2029</script><script>{c}</script>"),
    ("json", lambda c: f"\\u003cscript\\u003e{c}\\u003c/script\\u003e"),
    # URLs that run a script, as they are and disguised.
    ("url", lambda c: f"javascript:{c}"),
    ("url", lambda c: f"JaVaScRiPt:{c}"),
    ("url", lambda c: f" javascript:{c}"),
    ("url", lambda c: f"java\tscript:{c}"),
    ("url", lambda c: f"java\nscript:{c}"),
    ("url", lambda c: f"\x01javascript:{c}"),
    ("url", lambda c: f"javascript&colon;{c}"),
    ("url", lambda c: f"&#106;avascript:{c}"),
    ("url", lambda c: f"{_entities('javascript:', '&#{:07d}')}{c}"),
    ("url", lambda c: f"jav&#x09;ascript:{c}"),
    ("url", lambda c: f"javascript://%0A{quote(c)}"),
    ("url", lambda c: f"vbscript:{c}"),
    ("url", lambda c: f"data:text/html;base64,{_base64(f'<script>{c}</script>')}"),
    ("url", lambda c: f"DATA:image/svg+xml,<svg onload={c}>"),
    # Web addresses (they pass a check of the scheme) that carry markup.
    ("web-url", lambda c: f'https://example.org/"><script>{c}</script>'),
    ("web-url", lambda c: f"https://example.org/'onmouseover='{c}'"),
    ("web-url", lambda c: f'https://example.org/"onmouseover="{c}"'),
    ("web-url", lambda c: f'https://example.org/#"><svg/onload={c}>'),
    ("web-url", lambda c: f"http://example.org/?q=</script><script>{c}</script>"),
    ("web-url", lambda c: f"https://javascript:{c}@example.org/"),
    # Markdown's own ways to a link or an image.
    ("markdown", lambda c: f"[lien](<javascript:{c}>)"),
    ("markdown", lambda c: f"[lien][ref]\n\n[ref]: javascript:{c}"),
    ("markdown", lambda c: f"<javascript:{c}>"),
    ("markdown", lambda c: f'![image](x" onerror="{c})'),
    ("markdown", lambda c: f"![image](javascript:{c})"),
    # Elements that run or load something, and mutation XSS (markup that a sanitiser
    # reads one way and the browser, parsing its output again, another).
    ("element", lambda c: f'<iframe srcdoc="&lt;script&gt;parent.{c}&lt;/script&gt;"></iframe>'),
    ("element", lambda c: f'<object data="javascript:{c}"></object>'),
    ("element", lambda c: f'<embed src="javascript:{c}">'),
    ("element", lambda c: f'<base href="javascript:{c}//">'),
    ("element", lambda c: f'<meta http-equiv="refresh" content="0;url=javascript:{c}">'),
    ("element", lambda c: f'<form action="javascript:{c}"><button>ok</button></form>'),
    ("element", lambda c: f'<svg><a xlink:href="javascript:{c}"><text y="20">x</text></a></svg>'),
    ("mutation", lambda c: f"<math><mtext><table><mglyph><style><img src=x onerror={c}>"),
    ("mutation", lambda c: f'<noscript><p title="</noscript><img src=x onerror={c}>">'),
    ("mutation", lambda c: f'<svg></p><style><a id="</style><img src=1 onerror={c}>">'),
    (
        "mutation",
        lambda c: f"<form><math><mtext></form><form><mglyph><style></math><img src onerror={c}>",
    ),
    ("mutation", lambda c: f'<!--<img src="--><img src=x onerror={c}//">'),
    # CSS.
    ("css", lambda c: f'<div style="width:expression({c})">x</div>'),
    ("css", lambda c: f'<div style="background:url(javascript:{c})">x</div>'),
    ("css", lambda c: f"<style>@import 'javascript:{c}';</style>"),
    # Template injection: what a server-side (Jinja) or client-side template would evaluate.
    ("template", lambda c: "{{7*7}}${7*7}<%= 7*7 %>{{ 'ssti-' ~ '" + c + "' }}"),
    ("template", lambda c: "{{constructor.constructor('" + c + "')()}}"),
    ("template", lambda c: "${" + c + "}#{" + c + "}"),
    # Polyglots.
    (
        "polyglot",
        lambda c: (
            "jaVasCript:/*-/*`/*\\`/*'/*\"/**/(/* */oNcliCk="
            + c
            + " )//%0D%0A%0d%0a//</stYle/</titLe/</teXtarEa/</scRipt/--!>\\x3csVg/<sVg/oNloAd="
            + c
            + "//>\\x3e"
        ),
    ),
    (
        "polyglot",
        lambda c: (
            "javascript:/*--></title></style></textarea></script></xmp><svg/onload='+/\"/+/"
            + "onmouseover=1/+/[*/[]/+"
            + c
            + "//'>"
        ),
    ),
    ("polyglot", lambda c: f"'\"--></style></script><script>{c}</script>"),
    # Encodings a reader might decode once too often, or not at all.
    ("encoding", lambda c: f"&lt;script&gt;{c}&lt;/script&gt;"),
    ("encoding", lambda c: f"%3Cscript%3E{c}%3C/script%3E"),
    ("encoding", lambda c: f"\uff1cscript\uff1e{c}\uff1c/script\uff1e"),
    ("encoding", lambda c: f"<scr\x00ipt>{c}</script>"),
    ("encoding", lambda c: f"\ud800<script>{c}</script>"),
]

PAYLOADS: tuple[Payload, ...] = tuple(
    Payload(number, kind, make) for number, (kind, make) in enumerate(_PAYLOADS, start=1)
)
PAYLOAD_CLASSES: tuple[str, ...] = tuple(dict.fromkeys(kind for kind, _ in _PAYLOADS))
URL_CLASSES = frozenset({"url", "web-url"})


def markdown_text(payload: Payload, marker: int) -> str:
    """The payload as a Markdown field holds it: a URL also as a Markdown and an HTML link."""
    text = payload.text(marker)
    if payload.kind not in URL_CLASSES:
        return text
    return f'{text}\n\n[lien]({text})\n\n<a href="{text}">lien</a>\n'

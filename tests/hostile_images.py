"""A generated corpus of hostile images (SVG and PNG), and of realistic benign SVGs, for
tests/test_hostile_images.py.

Every hostile case names the category it belongs to and a fragment of the message that
must refuse it. Links that would fetch something point at `origin` (a local server that
counts requests) or at `canary` (a local file whose text must never appear anywhere).
"""

from __future__ import annotations

import base64
import io
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
XHTML = "http://www.w3.org/1999/xhtml"
ALERT = "alert(document.domain)"
ABOVE_THE_LIMIT = 12000  # pixels a side: 144 M pixels, 576 MB once decoded


@dataclass(frozen=True)
class Case:
    """One image to try: its category, a name, its bytes and what the refusal must say."""

    category: str
    name: str
    data: bytes
    extension: str  # "svg" or "png"
    expected: str  # a fragment of the error message

    @property
    def id(self) -> str:
        return f"{self.category}-{self.name}"


def svg(body: str, head: str = "", attributes: str = "") -> bytes:
    """A square SVG image (a usable badge but for what body adds)."""
    return (
        f'{head}<svg xmlns="{SVG}" xmlns:xlink="{XLINK}" viewBox="0 0 100 100" width="300"'
        f' height="300"{attributes}>\n<circle cx="50" cy="50" r="40" fill="#204060"/>\n'
        f"{body}\n</svg>\n"
    ).encode()


def png(width: int, height: int, mode: str = "RGB") -> bytes:
    """A real PNG image, every pixel decoded by a viewer."""
    buffer = io.BytesIO()
    Image.new(mode, (width, height)).save(buffer, format="PNG", optimize=mode == "1")
    return buffer.getvalue()


def chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def declared_png(width: int, height: int, idat: bytes | None = None) -> bytes:
    """A PNG whose header declares a size, with a tiny (wrong-sized) image stream."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    stream = zlib.compress(b"\0" * 8) if idat is None else idat
    signature = b"\x89PNG\r\n\x1a\n"
    return signature + chunk(b"IHDR", header) + chunk(b"IDAT", stream) + chunk(b"IEND", b"")


def data_uri(kind: str, data: bytes) -> str:
    return f"data:{kind};base64,{base64.b64encode(data).decode()}"


def hostile_svgs(origin: str, canary: Path) -> list[Case]:
    """Every hostile SVG, by category."""
    cases: list[Case] = []

    def add(category: str, name: str, data: bytes, expected: str) -> None:
        cases.append(Case(category, name, data, "svg", expected))

    runs = "runs code when the image is opened"
    for name, body in {
        "plain": f"<script>{ALERT}</script>",
        "cdata": f"<script><![CDATA[{ALERT}]]></script>",
        "ecmascript": f'<script type="application/ecmascript">{ALERT}</script>',
        "external-href": f'<script href="{origin}/x.js"/>',
        "data-xlink": '<script xlink:href="data:text/javascript,alert(1)"/>',
        "empty": "<script/>",
        "svg-prefix": f'<s:script xmlns:s="{SVG}">{ALERT}</s:script>',
        "xhtml-prefix": f'<h:script xmlns:h="{XHTML}">{ALERT}</h:script>',
        "xhtml-default": f'<script xmlns="{XHTML}">{ALERT}</script>',
        "in-defs": f"<defs><script>{ALERT}</script></defs>",
        "in-metadata": f"<metadata><script>{ALERT}</script></metadata>",
        "in-switch": f"<switch><script>{ALERT}</script></switch>",
        "in-link": f'<a href="#c"><script>{ALERT}</script></a>',
        "in-text": f"<text>hi<script>{ALERT}</script></text>",
        "deep": "<g>" * 60 + f"<script>{ALERT}</script>" + "</g>" * 60,
        "tiny-handler": (
            '<handler xmlns:ev="http://www.w3.org/2001/xml-events" ev:event="load"'
            f' type="application/ecmascript">{ALERT}</handler>'
        ),
        "xml-events-listener": (
            '<listener xmlns="http://www.w3.org/2001/xml-events" event="load" handler="#h"/>'
        ),
    }.items():
        add("script", name, svg(body), runs)

    handlers = [
        "onload", "onclick", "ondblclick", "onmousedown", "onmouseup", "onmouseover",
        "onmousemove", "onmouseout", "onmouseenter", "onmouseleave", "onfocus", "onfocusin",
        "onfocusout", "onblur", "onactivate", "onbegin", "onend", "onrepeat", "onerror",
        "onabort", "onunload", "onresize", "onscroll", "onzoom", "onkeydown", "onkeyup",
        "onpointerdown", "onpointerenter", "ontouchstart", "onwheel", "onanimationstart",
        "ontransitionend", "oncopy", "onpaste", "oninput", "onsubmit", "ontoggle",
        "onauxclick", "oncontextmenu", "onLoad", "ONCLICK", "OnMouseOver",
    ]  # fmt: skip
    elements = [
        ("rect", 'width="10" height="10"'),
        ("a", 'href="#c"'),
        ("image", 'width="1" height="1" href="#c"'),
        ("animate", 'attributeName="r" values="40;41" dur="1s"'),
        ("g", ""),
        ("text", ""),
        ("use", 'href="#c"'),
        ("set", 'attributeName="r" to="41"'),
    ]
    for index, handler in enumerate(handlers):
        element, attributes = elements[index % len(elements)]
        body = f'<{element} {attributes} {handler}="{ALERT}">x</{element}>'
        add("event-handler", f"{handler}-on-{element}", svg(body), "event handler")
    for name, attributes, body in (
        ("root-onload", f' onload="{ALERT}"', ""),
        ("entity-encoded-value", ' onload="&#97;lert(1)"', ""),
        ("nested-svg", "", f'<svg onload="{ALERT}"/>'),
        ("svg-namespaced", f' xmlns:s="{SVG}"', f'<rect s:onclick="{ALERT}"/>'),
        ("xhtml-namespaced", f' xmlns:h="{XHTML}"', f'<rect h:onclick="{ALERT}"/>'),
        ("xlink-namespaced", "", f'<rect xlink:onclick="{ALERT}"/>'),
    ):
        add("event-handler", name, svg(body, attributes=attributes), "event handler")

    html = f'<body xmlns="{XHTML}"><img src="x" onerror="{ALERT}"/></body>'
    for name, body, expected in (
        ("html-body", f'<foreignObject width="100" height="100">{html}</foreignObject>', ""),
        ("iframe", f'<foreignObject><iframe xmlns="{XHTML}" src="{origin}/"/></foreignObject>', ""),
        ("empty", "<foreignObject/>", ""),
        ("in-defs", f"<defs><foreignObject>{html}</foreignObject></defs>", ""),
        ("in-pattern", f'<pattern id="p"><foreignObject>{html}</foreignObject></pattern>', ""),
        ("svg-prefix", f'<s:foreignObject xmlns:s="{SVG}">{html}</s:foreignObject>', ""),
        (
            "illustrator-switch",
            '<switch><foreignObject requiredExtensions="http://ns.adobe.com/AdobeIllustrator/10.0/"'
            ' width="1" height="1"><i:pgfRef xmlns:i="http://ns.adobe.com/AdobeIllustrator/10.0/"'
            ' xlink:href="#adobe_illustrator_pgf"/></foreignObject><g/></switch>',
            "",
        ),
        ("lower-case", f"<foreignobject>{html}</foreignobject>", "not an SVG element"),
        ("upper-case", f"<FOREIGNOBJECT>{html}</FOREIGNOBJECT>", "not an SVG element"),
    ):
        add("foreignObject", name, svg(body), expected or "<foreignObject> can hold HTML")

    for tag in ("iframe", "embed", "object", "frame", "applet", "portal"):
        for namespace, prefix in ((XHTML, "h:"), (SVG, "")):
            declaration = f' xmlns:h="{XHTML}"' if prefix else ""
            body = f'<{prefix}{tag}{declaration} src="{origin}/{tag}" data="{origin}/{tag}"/>'
            name = f"{tag}-{'html' if namespace == XHTML else 'svg'}"
            add("embedding", name, svg(body), "embeds another document")
    for name, value in (("iframe-upper", "IFRAME"), ("embed-mixed", "Embed")):
        add("embedding", name, svg(f'<{value} src="{origin}/x"/>'), "embeds another document")

    svg_with_script = svg(f"<script>{ALERT}</script>").decode()
    targets = {
        "javascript": ("javascript:alert(1)", "'javascript:' link runs a script"),
        "javascript-case": ("JaVaScRiPt:alert(1)", "'javascript:' link runs a script"),
        "javascript-tab": ("java&#x09;script:alert(1)", "'javascript:' link runs a script"),
        "javascript-newline": ("java&#x0A;script:alert(1)", "'javascript:' link runs a script"),
        "javascript-entity": ("&#106;avascript:alert(1)", "'javascript:' link runs a script"),
        "javascript-spaces": ("  javascript:alert(1)", "'javascript:' link runs a script"),
        "vbscript": ("vbscript:msgbox(1)", "'vbscript:' link runs a script"),
        "data-html": (data_uri("text/html", b"<script>alert(1)</script>"), "points outside"),
        "data-svg": (data_uri("image/svg+xml", svg_with_script.encode()), "points outside"),
        "data-svg-plain": ("data:image/svg+xml,%3Csvg%20onload=alert(1)%3E", "points outside"),
        "http": (f"{origin}/x.svg#a", "points outside"),
        "https": ("https://evil.example/x.png", "points outside"),
        "protocol-relative": ("//evil.example/x.svg#a", "points outside"),
        "file": (canary.as_uri(), "points outside"),
        "relative": ("other.svg#a", "points outside"),
        "empty": ("", "points outside"),
    }
    holders = {
        "a": '<a {}="{}"><text y="20">x</text></a>',
        "use": '<use {}="{}"/>',
        "image": '<image width="10" height="10" {}="{}"/>',
        "feImage": '<filter id="f"><feImage {}="{}"/></filter>',
    }
    for element, template in holders.items():
        for attribute in ("href", "xlink:href"):
            for name, (value, expected) in targets.items():
                body = template.format(attribute, value.replace('"', "&quot;"))
                add("links", f"{name}-{attribute}-on-{element}", svg(body), expected)

    bomb = "".join(
        f'<!ENTITY lol{n} "{("&lol" + str(n - 1) + ";") * 10 if n else "lol"}">' for n in range(10)
    )
    dtd = f"{origin}/x.dtd"
    for name, head, body in (
        ("billion-laughs", f"<!DOCTYPE svg [{bomb}]>\n", "<text>&lol9;</text>"),
        ("quadratic", f'<!DOCTYPE svg [<!ENTITY a "{"A" * 50000}">]>\n', "<text>&a;</text>" * 50),
        ("external-file", f'<!DOCTYPE svg [<!ENTITY x SYSTEM "{canary.as_uri()}">]>', "&x;"),
        ("external-http", f'<!DOCTYPE svg [<!ENTITY x SYSTEM "{origin}/entity">]>', "&x;"),
        ("external-dtd", f'<!DOCTYPE svg SYSTEM "{dtd}">', ""),
        ("public-dtd", f'<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "{dtd}">', ""),
        ("parameter", f'<!DOCTYPE svg [<!ENTITY % p SYSTEM "{dtd}"> %p;]>', ""),
        ("in-attribute", '<!DOCTYPE svg [<!ENTITY j "javascript:alert(1)">]>', '<a href="&j;"/>'),
        ("hiding-script", f'<!DOCTYPE svg [<!ENTITY s "<script>{ALERT}</script>">]>', "&s;"),
        (
            "unparsed",
            f'<!DOCTYPE svg [<!NOTATION n SYSTEM "x"><!ENTITY u SYSTEM "{origin}/u" NDATA n>]>',
            "",
        ),
        ("empty-subset", "<!DOCTYPE svg []>", ""),
        ("after-declaration", '<?xml version="1.0"?>\n<!DOCTYPE svg []>\n', ""),
    ):
        add("doctype-entities", name, svg(body, head=head), "<!DOCTYPE>")
    add(
        "doctype-entities",
        "utf-16-billion-laughs",
        svg("<text>&lol9;</text>", head=f"<!DOCTYPE svg [{bomb}]>").decode().encode("utf-16"),
        "<!DOCTYPE>",
    )

    for name, head, expected in (
        ("xslt", f'<?xml-stylesheet type="text/xsl" href="{origin}/x.xsl"?>\n', "xml-stylesheet"),
        ("css", f'<?xml-stylesheet type="text/css" href="{origin}/x.css"?>\n', "xml-stylesheet"),
        ("other", "<?php echo 1; ?>\n", "<?php?>"),
    ):
        add("processing-instruction", name, svg("", head=head), expected)
    xinclude = f'<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="{canary.as_uri()}"/>'
    add("processing-instruction", "xinclude", svg(xinclude), "neither SVG nor editor metadata")

    x = f"{origin}/x"
    for name, css, expected in (
        ("import-url", f"@import url({x}.css);", "@import"),
        ("import-string", f'@import "{x}.css";', "@import"),
        ("import-upper", "@IMPORT 'x.css';", "@import"),
        ("import-comment", "@import/**/'x.css';", "@import"),
        ("url-http", f"circle {{ fill: url({x}.svg#g) }}", "points outside"),
        ("url-quoted", f"circle {{ fill: url('{x}.svg#g') }}", "points outside"),
        ("url-upper", f"circle {{ fill: URL({x}.svg#g) }}", "points outside"),
        ("url-data", "circle { fill: url(data:image/svg+xml,x) }", "points outside"),
        ("url-unterminated", f"circle {{ fill: url({x}", "points outside"),
        ("url-comment", f"circle {{ fill: url(/**/{x}) }}", "points outside"),
        ("font-face", f"@font-face {{ font-family: f; src: url({x}.woff) }}", "points outside"),
        ("cursor", f"circle {{ cursor: url({x}.cur), auto }}", "points outside"),
        ("image-set", f'circle {{ fill: image-set("{x}.png" 1x) }}', "can load"),
        ("webkit-image-set", f'circle {{ fill: -webkit-image-set("{x}.png" 1x) }}', "can load"),
        ("escape-url", f"circle {{ fill: \\75 rl({x}) }}", "CSS escape"),
        ("escape-inside", f"circle {{ fill: u\\72l({x}) }}", "CSS escape"),
        ("expression", "circle { width: expression(alert(1)) }", "can load"),
        ("moz-binding", f"circle {{ -moz-binding: url({x}.xml#b) }}", "can load"),
        ("behavior", "circle { behavior: url(x.htc) }", "can load"),
        ("javascript-url", "circle { fill: url(javascript:alert(1)) }", "javascript:"),
    ):
        add("css", f"style-{name}", svg(f"<style>{css}</style>"), expected)
        declarations = css[css.find("{") + 1 :].replace('"', "&quot;")
        add("css", f"attribute-{name}", svg(f'<rect style="{declarations}"/>'), expected)
    for attribute in ("fill", "stroke", "filter", "clip-path", "mask", "marker-start", "cursor"):
        body = f'<rect width="9" height="9" {attribute}="url({x}.svg#p)"/>'
        add("css", f"presentation-{attribute}", svg(body), "points outside")

    for name, body, expected in (
        ("set-href-javascript", '<a href="#c"><set attributeName="href" to="javascript:alert(1)"/>'
         "<text>x</text></a>", "may not change links"),
        ("animate-xlink-href", '<a xlink:href="#c"><animate attributeName="xlink:href"'
         ' values="#c;javascript:alert(1)" dur="1s"/></a>', "may not change links"),
        ("animate-href-fragments", '<a href="#c"><animate attributeName="href" values="#c;#d"'
         ' dur="1s"/></a>', "may not change links"),
        ("set-href-upper", '<a href="#c"><set attributeName=" HREF " to="#d"/></a>',
         "may not change links"),
        ("set-onclick", '<set attributeName="onclick" to="alert(1)"/>', "may not change links"),
        ("set-onmouseover", '<rect><set attributeName="onmouseover" to="alert(1)"/></rect>',
         "may not change links"),
        ("animate-onbegin", '<animate attributeName="onbegin" values="alert(1)"/>',
         "may not change links"),
        ("animate-color-onload", '<animateColor attributeName="onload" values="a"/>',
         "may not change links"),
        ("transform-href", '<animateTransform attributeName="href" type="scale"/>',
         "may not change links"),
        ("set-xml-base", f'<set attributeName="xml:base" to="{x}/"/>', "may not change links"),
        ("set-fill-url", f'<set attributeName="fill" to="url({x}.svg#p)"/>', "points outside"),
        ("animate-style", f'<animate attributeName="style" values="fill:url({x}#p)"/>',
         "points outside"),
        ("mpath-external", f'<animateMotion dur="1s"><mpath xlink:href="{x}.svg#p"/>'
         "</animateMotion>", "points outside"),
        ("set-href-data", '<a href="#c"><set attributeName="xlink:href"'
         ' to="data:text/html,x"/></a>', "may not change links"),
        ("animate-external-target", f'<animate href="{x}.svg#t" attributeName="r"/>',
         "points outside"),
    ):  # fmt: skip
        add("animation", name, svg(body), expected)

    metadata = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    for name, body, expected in (
        ("xhtml-group", f'<g xmlns="{XHTML}"><p>x</p></g>', "HTML element"),
        ("svg-namespace-slash", '<script xmlns="http://www.w3.org/2000/svg/">alert(1)</script>',
         "runs code"),
        ("svg-namespace-upper", '<g xmlns="HTTP://WWW.W3.ORG/2000/SVG"/>', "neither SVG nor"),
        ("mathml", '<m:math xmlns:m="http://www.w3.org/1998/Math/MathML"><m:maction'
         ' actiontype="statusline" xlink:href="#c">x</m:maction></m:math>', "neither SVG nor"),
        ("xslt", '<xsl:stylesheet xmlns:xsl="http://www.w3.org/1999/XSL/Transform"'
         ' version="1.0"/>', "neither SVG nor"),
        ("xul", '<xul:browser xmlns:xul="http://www.mozilla.org/keymaster/gatekeeper/'
         f'there.is.only.xul" src="{x}"/>', "neither SVG nor"),
        ("xbl", '<xbl:bindings xmlns:xbl="http://www.mozilla.org/xbl"/>', "neither SVG nor"),
        ("no-namespace", '<g xmlns=""><rect/></g>', "of no namespace"),
        ("xml-base", f'<use xml:base="{x}/" href="#c"/>', "changes where its links point"),
        ("xlink-unknown", '<use xlink:show="embed" xlink:foo="bar" href="#c"/>',
         "not an XLink attribute"),
        ("xhtml-attribute", f'<rect xmlns:h="{XHTML}" h:style="fill:red"/>', "of namespace"),
        ("unknown-attribute", f'<rect ping="{x}" width="1"/>', "not an SVG attribute"),
        ("svg-href-attribute", f'<use xmlns:s="{SVG}" s:href="{x}"/>', "of namespace"),
        ("html-img", f'<h:img xmlns:h="{XHTML}" src="x" onerror="{ALERT}"/>', "HTML element"),
        ("html-link", f'<h:a xmlns:h="{XHTML}" href="javascript:alert(1)">x</h:a>',
         "HTML element"),
        ("html-meta-refresh", f'<h:meta xmlns:h="{XHTML}" http-equiv="refresh"'
         ' content="0;url=javascript:alert(1)"/>', "HTML element"),
        ("html-stylesheet", f'<h:link xmlns:h="{XHTML}" rel="stylesheet" href="{x}.css"/>',
         "HTML element"),
        ("html-base", f'<h:base xmlns:h="{XHTML}" href="{x}/"/>', "HTML element"),
        ("html-style", f'<h:style xmlns:h="{XHTML}">@import "{x}.css";</h:style>',
         "HTML element"),
        ("html-in-rdf", f'<metadata><rdf:RDF xmlns:rdf="{metadata}"><h:img xmlns:h="{XHTML}"'
         f' src="x" onerror="{ALERT}"/></rdf:RDF></metadata>', "HTML element"),
        ("script-in-inkscape", '<inkscape:x xmlns:inkscape="http://www.inkscape.org/namespaces/'
         f'inkscape"><h:script xmlns:h="{XHTML}">{ALERT}</h:script></inkscape:x>', "runs code"),
        ("javascript-in-metadata", f'<metadata><rdf:RDF xmlns:rdf="{metadata}"><rdf:Description'
         ' rdf:about="javascript:alert(1)"/></rdf:RDF></metadata>', "javascript:"),
    ):  # fmt: skip
        add("namespace-tricks", name, svg(body), expected)

    for name, body, expected in (
        ("SCRIPT", f"<SCRIPT>{ALERT}</SCRIPT>", "runs code"),
        ("Script", f"<Script>{ALERT}</Script>", "runs code"),
        ("sCrIpT-xhtml", f'<h:sCrIpT xmlns:h="{XHTML}">{ALERT}</h:sCrIpT>', "runs code"),
        ("A", '<A href="javascript:alert(1)">x</A>', "not an SVG element"),
        ("USE", f'<USE href="{x}.svg#a"/>', "not an SVG element"),
        ("Image", f'<Image href="{x}.png"/>', "not an SVG element"),
        ("STYLE", f'<STYLE>@import "{x}.css";</STYLE>', "not an SVG element"),
        ("SET", '<SET attributeName="href" to="javascript:alert(1)"/>', "not an SVG element"),
        ("HREF", '<a HREF="javascript:alert(1)">x</a>', "javascript:"),
        ("HREF-plain", f'<a HREF="{x}">x</a>', "not an SVG attribute"),
        ("XLINK-HREF", f'<use xlink:HREF="{x}.svg#a"/>', "not an XLink attribute"),
        ("JAVASCRIPT", '<a href="JAVASCRIPT:alert(1)">x</a>', "javascript:"),
    ):
        add("case-variants", name, svg(body), expected)

    for name, body, expected in (
        ("script", f"<script><![CDATA[{ALERT}]]></script>", "runs code"),
        ("xhtml-script", f'<h:script xmlns:h="{XHTML}"><![CDATA[{ALERT}]]></h:script>',
         "runs code"),
        ("style-import", f'<style><![CDATA[@import "{x}.css";]]></style>', "@import"),
        ("style-url", f"<style><![CDATA[circle {{ fill: url({x}#g) }}]]></style>", "points outside"),
        ("style-split-import", f'<style>@im<![CDATA[port "{x}.css";]]></style>', "@import"),
        ("style-split-url", f"<style>circle {{ fill: u<![CDATA[rl({x}) }}]]></style>",
         "points outside"),
    ):  # fmt: skip
        add("cdata", name, svg(body), expected)

    for name, value, expected in (
        ("declared-huge-png", data_uri("image/png", declared_png(20000, 20000)), "pixels"),
        ("declared-wide-png", data_uri("image/png", declared_png(100_000, 200)), "pixels"),
        ("truncated-png", data_uri("image/png", png(40, 40)[:60]), "cannot be read"),
        ("png-as-jpeg", data_uri("image/jpeg", png(40, 40)), "not a JPEG image"),
        ("text-as-png", data_uri("image/png", b"<svg onload='alert(1)'/>"), "lacks the PNG"),
        ("damaged-base64", "data:image/png;base64,iVBORw0KGgoA=A", "damaged"),
    ):
        add("embedded-raster", name, svg(f'<image width="9" height="9" href="{value}"/>'), expected)

    for name, data, expected in (
        ("not-well-formed", svg("<g>"), "not well-formed"),
        ("truncated", svg("")[:80], "not well-formed"),
        ("empty-file", b"", "not well-formed"),
        ("html-root", f'<html xmlns="{XHTML}"><script>{ALERT}</script></html>'.encode(),
         "not <svg>"),
        ("no-namespace", b'<svg viewBox="0 0 10 10" onload="alert(1)"/>', "no xmlns="),
        ("png-named-svg", png(300, 300), "is a PNG image"),
        ("unbound-prefix", svg("<x:script>alert(1)</x:script>"), "not well-formed"),
    ):  # fmt: skip
        add("malformed", name, data, expected)
    return cases


def hostile_pngs() -> list[Case]:
    """Every hostile PNG: pixel bombs, and files that are damaged or not PNG at all."""
    real = png(400, 400)
    big = ABOVE_THE_LIMIT
    cases = [
        ("declared-12000", declared_png(big, big), "pixels"),
        ("declared-4097", declared_png(4097, 4097), "pixels"),
        ("declared-20000", declared_png(20000, 20000), "pixels"),
        ("declared-tall", declared_png(1, 100_000_000), "pixels"),
        ("declared-2-31", declared_png(2**31 - 1, 2**31 - 1), "pixels"),
        ("zlib-bomb", declared_png(big, big, zlib.compress(b"\0" * 20_000_000, 9)), "pixels"),
        ("real-8000", png(8000, 8000, mode="1"), "pixels"),
        ("truncated-half", real[: len(real) // 2], "cannot be read"),
        ("truncated-header", real[:20], "cannot be read"),
        ("no-end", real[:-12], "cannot be read"),
        ("bad-checksum", real[:-20] + bytes([real[-20] ^ 0xFF]) + real[-19:], "cannot be read"),
        ("garbage-stream", declared_png(400, 400, b"not zlib at all" * 20), "cannot be read"),
        ("zero-size", declared_png(0, 0), "cannot be read"),
        ("wrong-signature-text", b"this is not a PNG\n" * 4, "lacks the PNG signature"),
        ("wrong-signature-svg", svg(""), "lacks the PNG signature"),
        ("wrong-signature-gif", b"GIF89a" + real[6:], "lacks the PNG signature"),
        ("wrong-signature-jpeg", b"\xff\xd8\xff\xe0" + real[4:], "lacks the PNG signature"),
        ("empty-file", b"", "lacks the PNG signature"),
    ]
    return [Case("png", name, data, "png", expected) for name, data, expected in cases]


INKSCAPE_SVG = """<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<!-- Created with Inkscape (http://www.inkscape.org/) -->
<svg width="512" height="512" viewBox="0 0 135.46666 135.46667" version="1.1" id="svg5"
   inkscape:version="1.2.2 (b0a8486541, 2022-12-01)" sodipodi:docname="badge.svg"
   inkscape:export-filename="badge.png" inkscape:export-xdpi="96" inkscape:export-ydpi="96"
   xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape"
   xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd"
   xmlns:xlink="http://www.w3.org/1999/xlink" xmlns="http://www.w3.org/2000/svg"
   xmlns:svg="http://www.w3.org/2000/svg"
   xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
   xmlns:cc="http://creativecommons.org/ns#" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <sodipodi:namedview id="namedview7" pagecolor="#ffffff" bordercolor="#666666"
     borderopacity="1.0" inkscape:showpageshadow="2" inkscape:pageopacity="0.0"
     inkscape:document-units="mm" showgrid="false" inkscape:zoom="0.73"
     inkscape:window-maximized="1" inkscape:current-layer="layer1" />
  <defs id="defs2">
    <linearGradient inkscape:collect="always" id="linearGradient1234">
      <stop style="stop-color:#c0392b;stop-opacity:1;" offset="0" id="stop1230" />
      <stop style="stop-color:#e74c3c;stop-opacity:1" offset="1" id="stop1232" />
    </linearGradient>
    <radialGradient inkscape:collect="always" xlink:href="#linearGradient1234"
       id="radialGradient1236" cx="67.7" cy="67.7" fx="67.7" fy="67.7" r="64"
       gradientUnits="userSpaceOnUse" />
    <filter style="color-interpolation-filters:sRGB" inkscape:label="Drop Shadow"
       id="filter1300" x="-0.1" y="-0.1" width="1.2" height="1.2">
      <feFlood flood-opacity="0.5" flood-color="rgb(0,0,0)" result="flood" id="feFlood1" />
      <feComposite in="flood" in2="SourceGraphic" operator="in" result="c1" id="feComp1" />
      <feGaussianBlur in="c1" stdDeviation="2" result="blur" id="feGaussianBlur1" />
      <feOffset dx="1" dy="1" result="offset" id="feOffset1" />
      <feComposite in="SourceGraphic" in2="offset" operator="over" id="feComp2" />
    </filter>
    <clipPath clipPathUnits="userSpaceOnUse" id="clipPath1400">
      <circle style="fill:#000000" cx="67.7" cy="67.7" r="60" id="circle1402" />
    </clipPath>
    <mask maskUnits="userSpaceOnUse" id="mask1500">
      <rect x="0" y="0" width="135" height="135" style="fill:#ffffff" id="rect1502" />
    </mask>
  </defs>
  <metadata id="metadata5">
    <rdf:RDF>
      <cc:Work rdf:about="">
        <dc:format>image/svg+xml</dc:format>
        <dc:type rdf:resource="http://purl.org/dc/dcmitype/StillImage" />
        <dc:title>Découpe laser</dc:title>
        <dc:creator><cc:Agent><dc:title>Fab@brest</dc:title></cc:Agent></dc:creator>
        <cc:license rdf:resource="http://creativecommons.org/licenses/by-sa/4.0/" />
      </cc:Work>
    </rdf:RDF>
  </metadata>
  <g inkscape:label="Calque 1" inkscape:groupmode="layer" id="layer1">
    <circle style="fill:url(#radialGradient1236);stroke:#7b241c;stroke-width:2.1;filter:url(#filter1300)"
       id="path111" cx="67.7" cy="67.7" r="63.5" clip-path="url(#clipPath1400)" />
    <path sodipodi:type="star" style="fill:#ffffff;stroke:none" id="path222"
       sodipodi:sides="5" sodipodi:cx="67.7" sodipodi:cy="50" inkscape:rounded="0"
       d="m 79.4,66.2 -11.7,-6.2 -11.7,6.2 2.2,-13 -9.5,-9.2 13.1,-1.9 5.9,-11.9 5.9,11.9 z"
       mask="url(#mask1500)" />
    <text xml:space="preserve" x="67.7" y="100" id="text333"
       style="font-size:12.7px;line-height:1.25;font-family:'DejaVu Sans';-inkscape-font-specification:'DejaVu Sans Bold';text-anchor:middle;fill:#ffffff"
       ><tspan sodipodi:role="line" id="tspan331" x="67.7" y="100">Laser</tspan></text>
    <use x="0" y="0" xlink:href="#path222" id="use444" transform="translate(0,40) scale(0.5)" />
  </g>
</svg>
"""


def benign_svgs() -> dict[str, bytes]:
    """Realistic SVGs, as editors write them, that must pass."""
    raster = data_uri("image/png", png(10, 10))
    return {
        "inkscape": INKSCAPE_SVG.encode(),
        "illustrator": (
            '<?xml version="1.0" encoding="UTF-8"?>\n<svg id="Calque_1" data-name="Calque 1"'
            f' xmlns="{SVG}" xmlns:xlink="{XLINK}" viewBox="0 0 600 600"><defs><style>'
            " .cls-1 { fill: url(#Dégradé_12); } .cls-2 { fill: #fff; font-family:"
            " Montserrat-Bold, Montserrat; font-size: 64px; } /* from Illustrator */</style>"
            '<linearGradient id="Dégradé_12" data-name="Dégradé 12" x1="0" y1="300" x2="600"'
            ' y2="300" gradientUnits="userSpaceOnUse"><stop offset="0" stop-color="#1f4e79"/>'
            '<stop offset="1" stop-color="#2e86c1"/></linearGradient></defs>'
            '<circle class="cls-1" cx="300" cy="300" r="290"/><text class="cls-2"'
            ' transform="translate(180.5 322.4)"><tspan x="0" y="0">3D</tspan></text>'
            f'<image width="10" height="10" xlink:href="{raster}"/></svg>'
        ).encode(),
        "same-document-use": svg(
            '<defs><path id="a" d="M10 10 H 90 V 90 Z"/></defs><use href="#a" fill="red"/>'
            '<use xlink:href="#a" x="5"/><a href="#a"><text y="20">lien</text></a>'
        ),
        "animation-and-text": svg(
            '<text x="50" y="55" text-anchor="middle"><![CDATA[<script>alert(1)</script>]]>'
            '</text><animate attributeName="r" values="40;42;40" dur="2s"'
            ' repeatCount="indefinite"/><set attributeName="fill" to="url(#g)" begin="1s"/>'
            '<linearGradient id="g"><stop offset="0" stop-color="#fff"/></linearGradient>'
        ),
        "pattern-and-markers": svg(
            '<defs><pattern id="p" width="4" height="4" patternUnits="userSpaceOnUse">'
            '<rect width="2" height="2"/></pattern><marker id="m" markerWidth="4"'
            ' markerHeight="4" refX="2" refY="2"><circle r="2"/></marker></defs>'
            '<path d="M0 0 L 100 100" stroke="url(#p)" marker-end="url(#m)"/>'
            '<feImage href="#p"/><title>Découpe laser</title><desc>Un badge</desc>'
        ),
    }

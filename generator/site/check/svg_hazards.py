"""What in an SVG image could run code or load something from elsewhere when it is opened.

Badge images and logos are published as they are, and a visitor may open one directly in the
browser, where an SVG is a document that can run scripts. So an SVG is checked against
allow-lists of what is known to be inert: the SVG elements that draw (shapes, text,
gradients, filters, clipping, masks, markers, animation of drawing attributes), their
attributes, and the metadata that Inkscape, Illustrator and other editors write. Anything
else is refused, not cleaned: the image's author exports it again as plain SVG, and what is
published is exactly the file the repository holds (see README, "What the build refuses").

References may only point inside the image (`#id`, `url(#id)`), or embed a PNG, JPEG, GIF
or WebP image as base64 data in `<image>` or `<feImage>`; the caller checks those images.
"""

from __future__ import annotations

import base64
import binascii
import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from typing import NamedTuple

from generator.openbadges.svg_document import SVG_NAMESPACE, SvgDocument

XLINK = "http://www.w3.org/1999/xlink"
XML = "http://www.w3.org/XML/1998/namespace"
XHTML = "http://www.w3.org/1999/xhtml"


def _names(text: str) -> frozenset[str]:
    """The names of a whitespace-separated list."""
    return frozenset(text.split())


# Findings reported for one image: past this, the author has enough to act on.
MAX_FINDINGS = 10

_ELEMENTS = _names(
    """
    svg g defs desc title metadata symbol use switch image style a view
    path rect circle ellipse line polyline polygon
    text tspan textPath tref altGlyph altGlyphDef altGlyphItem glyphRef
    flowRoot flowRegion flowRegionExclude flowPara flowSpan flowDiv flowTref flowLine
    linearGradient radialGradient stop pattern solidcolor solidColor
    hatch hatchpath mesh meshgradient meshrow meshpatch
    clipPath mask marker filter
    feBlend feColorMatrix feComponentTransfer feComposite feConvolveMatrix
    feDiffuseLighting feDisplacementMap feDistantLight feDropShadow feFlood feFuncA feFuncB
    feFuncG feFuncR feGaussianBlur feImage feMerge feMergeNode feMorphology feOffset
    fePointLight feSpecularLighting feSpotLight feTile feTurbulence
    animate animateColor animateMotion animateTransform set mpath
    font font-face font-face-name font-face-src glyph missing-glyph hkern vkern
    """
)
_ANIMATIONS = frozenset({"animate", "animateColor", "animateMotion", "animateTransform", "set"})
# Elements that may embed a raster image given as data.
_IMAGE_ELEMENTS = frozenset({"image", "feImage"})

# Properties that SVG also accepts as attributes (SVG 1.1, SVG 2, SVG Tiny 1.2): their values
# are read as CSS, so they get the same checks as style="..." and <style>.
_PRESENTATION = _names(
    """
    alignment-baseline baseline-shift clip clip-path clip-rule color color-interpolation
    color-interpolation-filters color-profile color-rendering cursor direction display
    dominant-baseline enable-background fill fill-opacity fill-rule filter flood-color
    flood-opacity font font-family font-size font-size-adjust font-stretch font-style
    font-variant font-weight glyph-orientation-horizontal glyph-orientation-vertical
    image-rendering kerning letter-spacing lighting-color marker marker-end marker-mid
    marker-start mask mask-type opacity overflow pointer-events shape-rendering stop-color
    stop-opacity stroke stroke-dasharray stroke-dashoffset stroke-linecap stroke-linejoin
    stroke-miterlimit stroke-opacity stroke-width text-anchor text-decoration text-rendering
    unicode-bidi visibility word-spacing writing-mode paint-order vector-effect
    mix-blend-mode isolation transform-origin transform-box white-space inline-size
    line-height text-align text-align-last text-indent shape-inside shape-padding
    shape-margin shape-subtract solid-color solid-opacity viewport-fill
    viewport-fill-opacity display-align buffered-rendering line-increment
    """
)
# What an animation sets is a CSS value too.
_CSS_VALUED = _PRESENTATION | {"style", "from", "to", "by", "values"}

_ATTRIBUTES = _CSS_VALUED | _names(
    """
    id class lang tabindex role focusable version baseProfile contentScriptType
    contentStyleType requiredFeatures requiredExtensions systemLanguage
    externalResourcesRequired preserveAspectRatio viewBox zoomAndPan
    x y z width height rx ry cx cy r fx fy fr x1 y1 x2 y2 dx dy points d pathLength transform
    patternUnits patternContentUnits patternTransform gradientUnits gradientTransform
    spreadMethod offset clipPathUnits maskUnits maskContentUnits markerUnits markerWidth
    markerHeight refX refY orient filterUnits primitiveUnits filterRes in in2 result mode
    type tableValues slope intercept amplitude exponent operator k1 k2 k3 k4 order
    kernelMatrix divisor bias targetX targetY edgeMode kernelUnitLength preserveAlpha
    surfaceScale diffuseConstant specularConstant specularExponent scale xChannelSelector
    yChannelSelector stdDeviation radius baseFrequency numOctaves seed stitchTiles azimuth
    elevation pointsAtX pointsAtY pointsAtZ limitingConeAngle rotate textLength lengthAdjust
    startOffset method spacing side path href target hreflang crossorigin decoding
    viewTarget attributeName attributeType begin dur end min max restart repeatCount
    repeatDur calcMode keyTimes keySplines keyPoints additive accumulate origin
    glyph-name unicode horiz-adv-x horiz-origin-x horiz-origin-y vert-adv-y vert-origin-x
    vert-origin-y orientation arabic-form u1 u2 g1 g2 k units-per-em ascent descent
    cap-height x-height alphabetic mathematical ideographic hanging underline-position
    underline-thickness strikethrough-position strikethrough-thickness overline-position
    overline-thickness panose-1 stemv stemh bbox widths accent-height v-alphabetic
    v-hanging v-ideographic v-mathematical format glyphRef name local
    """
)
# Namespaces of the metadata that editors write and browsers ignore (matched as prefixes).
_METADATA_NAMESPACES = (
    "http://www.inkscape.org/namespaces/inkscape",
    "http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "http://purl.org/dc/",
    "http://creativecommons.org/ns#",
    "http://web.resource.org/cc/",
    "http://ns.adobe.com/",  # Illustrator: i:, graph:, sfw:, x:, and XMP's xmp:, xmpMM:, ...
    "adobe:ns:meta/",
    "http://www.bohemiancoding.com/sketch/ns",
    "http://www.serif.com/",  # Affinity Designer
    "https://boxy-svg.com",
    # What a baked image carries (see generator/openbadges/svg_baking.py).
    "http://openbadges.org",
    "https://purl.imsglobal.org/ob/v3p0",
)
_XLINK_ATTRIBUTES = frozenset({"href", "title", "type", "role", "arcrole", "show", "actuate"})
_XML_ATTRIBUTES = frozenset({"space", "lang", "id"})

# An embedded raster image: https://www.rfc-editor.org/rfc/rfc2397
_RASTER_DATA = re.compile(
    r"data:image/(?P<format>png|jpeg|gif|webp);base64,(?P<data>[A-Za-z0-9+/=\s]*)", re.IGNORECASE
)
# Schemes that run code when a link is followed, wherever they hide in a value.
_SCRIPT_SCHEMES = ("javascript:", "vbscript:", "livescript:")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CSS_COMMENT = re.compile(r"/\*.*?(?:\*/|$)", re.DOTALL)
_CSS_URL = re.compile(r"url\(([^)]*)(\)?)", re.IGNORECASE)
# CSS functions and properties that load images or run code without url().
_CSS_LOADERS = re.compile(
    r"(?<![\w-])(-webkit-image-set|image-set|image|cross-fade|element|src|expression)\s*\(|"
    r"-moz-binding|(?<![\w-])behavior\s*:",
    re.IGNORECASE,
)
_PLAIN_SVG = "or export the image as plain SVG"


class Finding(NamedTuple):
    """Something refused in an SVG image, on a line of the file."""

    line: int
    message: str


class EmbeddedImage(NamedTuple):
    """A raster image embedded as data in an SVG image."""

    line: int
    format: str  # "png", "jpeg", "gif" or "webp"
    data: bytes


def find_hazards(document: SvgDocument) -> list[Finding]:
    """What the image holds that is not known to be inert (at most MAX_FINDINGS, then one
    more saying how many others there are); empty when it is safe to publish."""
    findings = [
        Finding(line, f"<?{target}?> can restyle or transform the image (a style sheet can"
                f" turn it into a page that runs scripts); remove it")
        for target, line in document.instructions
    ]  # fmt: skip
    for element in document.root.iter():
        findings.extend(_element_findings(document, element))
    if len(findings) > MAX_FINDINGS:
        more = len(findings) - MAX_FINDINGS
        findings = [
            *findings[:MAX_FINDINGS],
            Finding(findings[MAX_FINDINGS].line, f"and {more} more like these; remove them all"),
        ]
    return findings


def embedded_images(document: SvgDocument) -> Iterator[EmbeddedImage]:
    """The raster images that <image> and <feImage> elements embed as base64 data."""
    for element in document.root.iter():
        namespace, local = _split(element.tag)
        if namespace != SVG_NAMESPACE or local not in _IMAGE_ELEMENTS:
            continue
        for name in ("href", f"{{{XLINK}}}href"):
            match = _RASTER_DATA.fullmatch((element.get(name) or "").strip())
            data = _base64(match["data"]) if match else None
            if match and data is not None:
                yield EmbeddedImage(document.line_of(element), match["format"].lower(), data)


def _split(name: str) -> tuple[str | None, str]:
    """(namespace, local name) of an ElementTree tag or attribute name."""
    if name.startswith("{"):
        namespace, _, local = name[1:].partition("}")
        return namespace, local
    return None, name


def _is_metadata(namespace: str | None) -> bool:
    return namespace is not None and namespace.startswith(_METADATA_NAMESPACES)


def _element_findings(document: SvgDocument, element: ElementTree.Element) -> Iterator[Finding]:
    if not isinstance(element.tag, str):  # a comment or processing instruction node
        return
    line = document.line_of(element)
    namespace, local = _split(element.tag)
    problem = _element_problem(namespace, local)
    if problem:
        yield Finding(line, problem)
        return  # what it holds is refused with it
    svg = namespace == SVG_NAMESPACE
    for name, value in element.items():
        problem = _attribute_problem(local if svg else None, name, value)
        if problem:
            yield Finding(line, f"<{local}> {problem}")
    if svg and local == "style":
        problem = _css_problem("".join(element.itertext()))
        if problem:
            yield Finding(line, f"<style> {problem}")


def _element_problem(namespace: str | None, local: str) -> str | None:
    """Why an element is refused, or None."""
    if local.lower() in ("script", "handler", "listener"):
        return f"<{local}> runs code when the image is opened; remove the script, {_PLAIN_SVG}"
    if local == "foreignObject":
        return f"<foreignObject> can hold HTML, and so scripts; remove it, {_PLAIN_SVG}"
    if local.lower() in ("iframe", "embed", "object", "frame", "applet", "portal"):
        return f"<{local}> embeds another document; remove it, {_PLAIN_SVG}"
    if namespace == SVG_NAMESPACE:
        if local in _ELEMENTS:
            return None
        return (
            f"<{local}> is not an SVG element known to be harmless (it may load or run"
            f" something); remove it, {_PLAIN_SVG}"
        )
    if _is_metadata(namespace):
        return None
    if namespace == XHTML:
        return f"<{local}> is an HTML element, and HTML can run scripts; remove it, {_PLAIN_SVG}"
    where = f"namespace '{namespace}'" if namespace else "no namespace"
    return (
        f"<{local}> of {where} is neither SVG nor editor metadata known to be harmless;"
        f" remove it, {_PLAIN_SVG}"
    )


def _attribute_problem(element: str | None, name: str, value: str) -> str | None:
    """Why an attribute is refused, or None; element is the local name of an SVG element,
    None for editor metadata (whose attributes browsers ignore)."""
    namespace, local = _split(name)
    shown = _shown(name, value)
    if local.lower().startswith("on"):
        return f"has an event handler, {shown}, which runs a script; remove it, {_PLAIN_SVG}"
    compact = _INVISIBLE.sub("", value).lower()
    scheme = next((s for s in _SCRIPT_SCHEMES if s in compact), None)
    if scheme:
        return f"has {shown}: a '{scheme}' link runs a script; remove it"
    if namespace == XML and local == "base":
        return f"has {shown}, which changes where its links point; remove it"
    if namespace == XLINK and local not in _XLINK_ATTRIBUTES:
        return f"has {shown}, not an XLink attribute known to be harmless; remove it"
    if namespace == XML and local not in _XML_ATTRIBUTES:
        return f"has {shown}, not an XML attribute known to be harmless; remove it"
    if namespace is not None and namespace not in (XLINK, XML) and not _is_metadata(namespace):
        return f"has {shown}, of namespace '{namespace}', not known to be harmless; remove it"
    if element is None or (namespace is not None and namespace != XLINK):
        return None  # editor metadata, or xml:space, xml:lang, xml:id
    if namespace is None and local not in _ATTRIBUTES and not local.startswith(("data-", "aria-")):
        return f"has {shown}, not an SVG attribute known to be harmless; remove it, {_PLAIN_SVG}"
    if local == "href":
        return _reference_problem(element, shown, value)
    if element in _ANIMATIONS and local == "attributeName":
        target = value.strip().rpartition(":")[2].lower()
        if target == "href" or target.startswith("on") or target == "base":
            return f"has {shown}: an animation may not change links or event handlers; remove it"
    if namespace is None and local in _CSS_VALUED:
        problem = _css_problem(value)
        if problem:
            return f"has {shown}: {problem}"
    return None


def _reference_problem(element: str, shown: str, value: str) -> str | None:
    reference = value.strip()
    if reference.startswith("#") and len(reference) > 1:
        return None
    raster = _RASTER_DATA.fullmatch(reference)
    if raster and element in _IMAGE_ELEMENTS:
        if _base64(raster["data"]) is None:
            return f"has {shown}, whose base64 data is damaged; embed the image again"
        return None
    return (
        f"has {shown}, which points outside the image; links may only point inside it"
        ' ("#id"), and <image> may only embed a PNG, JPEG, GIF or WebP image as'
        " data:image/png;base64,…: embed the image, or remove the link"
    )


def _base64(text: str) -> bytes | None:
    """The bytes of base64 text (line breaks allowed), or None when it is damaged."""
    try:
        return base64.b64decode(_INVISIBLE.sub("", text), validate=True)
    except binascii.Error:
        return None


def _css_problem(css: str) -> str | None:
    """Why CSS (a <style>, a style attribute or a property's value) is refused, or None."""
    if "\\" in css:
        return (
            "a CSS escape (\\) can hide url() or @import, so it is refused;"
            " write the characters themselves"
        )
    css = _CSS_COMMENT.sub(" ", css)
    if "@import" in css.lower():
        return "@import loads a style sheet from elsewhere; remove it"
    loader = _CSS_LOADERS.search(css)
    if loader:
        return f"'{loader[0]}' can load something from elsewhere; remove it"
    for match in _CSS_URL.finditer(css):
        target = match[1].strip().strip("'\"").strip()
        if not match[2] or not target.startswith("#") or len(target) < 2:
            return (
                f"url({_printable(match[1].strip())}) points outside the image; only url(#id),"
                " inside it, is allowed: embed what it points to, or remove it"
            )
    return None


def _shown(name: str, value: str) -> str:
    """An attribute as the author wrote it (roughly), shortened for a message."""
    namespace, local = _split(name)
    prefix = {XLINK: "xlink:", XML: "xml:"}.get(namespace or "", "")
    return f'{prefix}{local}="{_printable(value)}"'


def _printable(text: str, limit: int = 60) -> str:
    """Text for a one-line message: control characters escaped (a line break in a value
    would split the message), shortened."""
    text = _CONTROL.sub(lambda match: repr(match[0])[1:-1], text)
    return text if len(text) <= limit else text[: limit - 3] + "..."

"""Checks on the images that authors provide (badge images, the site's and the structures'
logos): format, size in bytes and in pixels, shape, and, for SVG, nothing that could run or
load something (svg_hazards.py). One function, inspect_image, checks them all."""

from __future__ import annotations

import io
import math
import re
import struct
import warnings
import xml.etree.ElementTree as ElementTree
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

from PIL import Image, UnidentifiedImageError

from generator.openbadges.svg_document import SVG_NAMESPACE, SvgUnreadable, parse_svg
from generator.site.check.svg_hazards import Finding, embedded_images, find_hazards
from generator.site.model.network import Asset
from generator.site.model.problems import Location, Problems

MAX_IMAGE_BYTES = 1_000_000
MIN_PNG_SIDE = 300
# Read from the header, before any pixel is decoded. A badge is shown at 600 x 600 px at
# most; a browser showing an image holds 4 bytes a pixel (12000 x 12000 px: 576 MB, from a
# PNG file of a few hundred bytes), so 4096 x 4096 leaves room for any export and no more.
MAX_IMAGE_SIDE = 4096
MAX_IMAGE_PIXELS = MAX_IMAGE_SIDE * MAX_IMAGE_SIDE

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_TIMES = "\N{MULTIPLICATION SIGN}"
# Extension -> (Pillow's format, the name people know it by).
_RASTER = {
    "png": ("PNG", "PNG"),
    "jpg": ("JPEG", "JPEG"),
    "jpeg": ("JPEG", "JPEG"),
    "gif": ("GIF", "GIF"),
    "webp": ("WEBP", "WebP"),
}


@dataclass(frozen=True)
class ImageRules:
    """What one kind of image must be."""

    kind: str  # "badge image", "logo": how messages name it
    extensions: tuple[str, ...]  # lower case, without the dot
    square: bool
    min_side: int  # of a raster image, in pixels


BADGE_IMAGE = ImageRules("badge image", ("png", "svg"), square=True, min_side=MIN_PNG_SIDE)
# Logos are shown small (40 and 96 px) and need not be square.
LOGO = ImageRules("logo", ("png", "svg", "jpg", "jpeg", "webp"), square=False, min_side=0)


@dataclass(frozen=True)
class ImageInfo:
    """A usable image: its format and size (pixels for raster images, user units for SVG)."""

    format: str  # "png", "svg", "jpeg", "webp"
    width: int
    height: int


class ImageProblem(ValueError):
    """An image that cannot be used; the message says what is wrong and what to do, and line
    where in the file (SVG), when known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line

    @property
    def findings(self) -> tuple[tuple[int | None, str], ...]:
        """Every problem found, as (line or None, message)."""
        return ((self.line, str(self)),)


class UnsafeImage(ImageProblem):
    """An SVG image holding something that could run or load something, maybe many times."""

    def __init__(self, found: Sequence[Finding]) -> None:
        super().__init__(found[0].message, found[0].line)
        self.found = tuple(found)

    @property
    def findings(self) -> tuple[tuple[int | None, str], ...]:
        return self.found


def inspect_badge_image(filename: str, data: bytes) -> ImageInfo:
    """Return the format and size of a badge image; raise ImageProblem if it cannot be used."""
    return inspect_image(filename, data, BADGE_IMAGE)


def inspect_image(filename: str, data: bytes, rules: ImageRules) -> ImageInfo:
    """Return the format and size of an image; raise ImageProblem if it breaks the rules."""
    extension = PurePosixPath(filename).suffix.lower()
    if extension[1:] not in rules.extensions:
        found = f"extension '{extension}'" if extension else "no extension"
        allowed = " or ".join(", ".join(f".{e}" for e in rules.extensions).rsplit(", ", 1))
        raise ImageProblem(f"'{filename}' has {found}; {rules.kind}s must be {allowed} files")
    if len(data) > MAX_IMAGE_BYTES:
        raise ImageProblem(
            f"image is {len(data):,} bytes; {rules.kind}s must be at most"
            f" {MAX_IMAGE_BYTES:,} bytes (1 MB): compress it, or export it smaller"
        )
    if extension == ".svg":
        return _inspect_svg(data, rules)
    info = inspect_raster(data, extension[1:])
    size = f"image is {info.width}{_TIMES}{info.height} px"
    kind = f"{rules.kind.removesuffix(' image')} {_RASTER[extension[1:]][1]}s"  # "badge PNGs"
    if rules.square and info.width != info.height:
        raise ImageProblem(f"{size}; {kind} must be square: crop or pad it")
    if min(info.width, info.height) < rules.min_side:
        side = f"{rules.min_side}{_TIMES}{rules.min_side}"
        raise ImageProblem(
            f"{size}; {kind} must be at least {side} px: export it larger, or use an SVG"
        )
    return info


def check_image(asset: Asset, rules: ImageRules, problems: Problems) -> None:
    """Report what is wrong with an image of the repository: at its line when known, else
    where it is named (its own file, or the YAML field that names it)."""
    try:
        inspect_image(asset.path, asset.data, rules)
    except ImageProblem as problem:
        named = asset.source.path != asset.path
        for line, message in problem.findings:
            if line is not None:
                origin = f"{rules.kind} of {asset.source.path}: " if named else ""
                problems.error(Location(asset.path, line), origin + message)
            else:
                problems.error(
                    asset.source, f"{rules.kind} '{asset.path}': {message}" if named else message
                )


def inspect_raster(data: bytes, extension: str) -> ImageInfo:
    """The format and size of a PNG, JPEG, GIF or WebP image, its pixel count checked from its
    header before any pixel is decoded; raise ImageProblem if it cannot be used."""
    pillow_format, name = _RASTER[extension]
    if extension == "png" and not data.startswith(_PNG_SIGNATURE):
        raise ImageProblem(
            "file is named .png but is not a PNG image (it lacks the PNG signature);"
            " export the image as PNG"
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[pillow_format]) as image:
                width, height = image.size  # read from the header: no pixel is decoded
                _check_pixels(width, height)
                image.load()  # a damaged or truncated image fails here, within the limit
            if pillow_format == "PNG":
                with Image.open(io.BytesIO(data), formats=["PNG"]) as image:
                    image.verify()  # every chunk's checksum, up to the end chunk
    except ImageProblem:
        raise
    except Image.DecompressionBombError:
        declared = 2 * (Image.MAX_IMAGE_PIXELS or 0)
        raise ImageProblem(
            f"image declares more than {declared:,} pixels; images may have at most"
            f" {MAX_IMAGE_PIXELS:,} pixels ({MAX_IMAGE_SIDE}{_TIMES}{MAX_IMAGE_SIDE}):"
            f" export it at 600{_TIMES}600 px"
        ) from None
    except UnidentifiedImageError:
        if pillow_format == "PNG":  # its signature is right: the header after it is not
            raise ImageProblem(
                "PNG image cannot be read (its header is damaged); export the image again"
            ) from None
        raise ImageProblem(
            f"file is named .{extension} but is not a {name} image; export the image as {name}"
        ) from None
    except (OSError, SyntaxError, ValueError, EOFError, struct.error) as error:
        raise ImageProblem(
            f"{name} image cannot be read ({error}); it may be truncated or damaged:"
            " export the image again"
        ) from None
    return ImageInfo(pillow_format.lower(), width, height)


def _check_pixels(width: int, height: int) -> None:
    if width * height > MAX_IMAGE_PIXELS:
        raise ImageProblem(
            f"image is {width}{_TIMES}{height} px ({width * height:,} pixels); images may have"
            f" at most {MAX_IMAGE_PIXELS:,} pixels ({MAX_IMAGE_SIDE}{_TIMES}{MAX_IMAGE_SIDE}),"
            f" as a browser would need too much memory to show it: export it at"
            f" 600{_TIMES}600 px"
        )


def _svg_root(data: bytes) -> ElementTree.Element:
    """The root of an SVG image read by the hardened parser, once it is known to be an <svg>
    holding nothing that runs or loads something (and no embedded image too large)."""
    if data.startswith(_PNG_SIGNATURE):
        raise ImageProblem("file is named .svg but is a PNG image; rename it to .png")
    try:
        document = parse_svg(data)
    except SvgUnreadable as error:
        raise ImageProblem(str(error), error.line) from None
    root = document.root
    if root.tag == "svg":
        raise ImageProblem(
            f'the <svg> element has no xmlns="{SVG_NAMESPACE}", so browsers will not'
            " draw it; add that attribute"
        )
    if root.tag != f"{{{SVG_NAMESPACE}}}svg":
        name = root.tag.rpartition("}")[2]
        raise ImageProblem(f"the root element is <{name}>, not <svg>; export the image as SVG")
    found = find_hazards(document)
    for embedded in embedded_images(document):
        try:
            inspect_raster(embedded.data, embedded.format)
        except ImageProblem as problem:
            what = f"<image> embeds a {embedded.format.upper()} image that is refused"
            found.append(Finding(embedded.line, f"{what}: {problem}"))
    if found:
        raise UnsafeImage(found)
    return root


_PIXELS_PER_UNIT = {"": 1.0, "px": 1.0, "in": 96.0, "cm": 96 / 2.54, "mm": 96 / 25.4}
_PIXELS_PER_UNIT |= {"pt": 4 / 3, "pc": 16.0}
_LENGTH = re.compile(r"\s*(\+?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\s*([a-zA-Z%]*)\s*")


def _svg_length(root: ElementTree.Element, attribute: str) -> float | None:
    """An absolute width or height in pixels; None when absent or relative (%, em)."""
    text = root.get(attribute)
    if text is None:
        return None
    match = _LENGTH.fullmatch(text)
    if match is None:
        raise ImageProblem(
            f'SVG {attribute}="{text}" is not a length; write a number, like {attribute}="512"'
        )
    value, unit = float(match[1]), match[2].lower()
    if unit not in _PIXELS_PER_UNIT:
        return None
    if value == 0:
        raise ImageProblem(f'SVG {attribute}="{text}" is zero; give the image a size')
    return value * _PIXELS_PER_UNIT[unit]


def _svg_view_box(root: ElementTree.Element) -> tuple[float, float] | None:
    text = root.get("viewBox")
    if text is None:
        return None
    try:
        _, _, width, height = (float(part) for part in text.replace(",", " ").split())
    except ValueError:
        raise ImageProblem(
            f'SVG viewBox="{text}" is not four numbers; write it like viewBox="0 0 512 512"'
        ) from None
    if width <= 0 or height <= 0:
        raise ImageProblem(f'SVG viewBox="{text}" has no area; give it a positive width and height')
    return width, height


def _inspect_svg(data: bytes, rules: ImageRules) -> ImageInfo:
    root = _svg_root(data)
    width, height = _svg_length(root, "width"), _svg_length(root, "height")
    view_box = _svg_view_box(root)
    if width is not None and height is not None:
        source = "width and height"
    elif view_box is not None:
        (width, height), source = view_box, "viewBox"
    else:
        raise ImageProblem(
            "SVG has no viewBox and no absolute width and height, so its shape is unknown;"
            ' add viewBox="0 0 512 512"'
        )
    if rules.square and not math.isclose(width, height, rel_tol=1e-6):
        raise ImageProblem(
            f"SVG is {width:g}{_TIMES}{height:g} (from its {source});"
            f" {rules.kind}s must be square: make them equal"
        )
    return ImageInfo("svg", max(1, round(width)), max(1, round(height)))

"""What earners use to share an award: the LinkedIn "add to profile" link and a QR code."""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from functools import lru_cache
from urllib.parse import quote_plus, urlencode

import zxingcpp
from markupsafe import Markup, escape

from generator.cache import QR_CODES, Store, entry_key
from generator.site.model.awards import Award

LINKEDIN_ADD = "https://www.linkedin.com/profile/add"


def linkedin_url(award: Award, name: str, organisation: str, page_url: str) -> str:
    """LinkedIn's "add a certification" link, every field filled in (urlencode's bytes: only
    the two text fields need quoting; this runs for every award page)."""
    issued, until = award.valid_from, award.valid_until
    certificate = quote_plus(f"{award.issuer.slug}/{award.slug}")
    link = (
        f"{_linkedin_start(name, organisation)}&issueYear={issued.year}"
        f"&issueMonth={issued.month}&certUrl={quote_plus(page_url)}&certId={certificate}"
    )
    if until is not None:
        link += f"&expirationYear={until.year}&expirationMonth={until.month}"
    return link


@lru_cache(maxsize=1024)
def _linkedin_start(name: str, organisation: str) -> str:
    """The part of the link shared by every award of a badge and structure (made once)."""
    fields = {"startTask": "CERTIFICATION_NAME", "name": name, "organizationName": organisation}
    return f"{LINKEDIN_ADD}?{urlencode(fields)}"


# How a QR code is drawn: 4 px per module, the 2-module margin readers need, near-black on white.
QR_SCALE = 4
QR_BORDER = 2


def qr_svg(url: str, title: str) -> Markup:
    """An inline SVG QR code of a URL (generated at build time, no script, no service).

    zxing-cpp encodes (error correction level M, the best mask); the modules are drawn as
    one path of horizontal runs, each 1 module high.
    """
    code = zxingcpp.create_barcode(url, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    image = zxingcpp.write_barcode_to_image(code, scale=1, add_quiet_zones=False)
    size = int(image.shape[0])  # rows, and as many columns
    pixels = bytes(image)  # type: ignore[call-overload]  # one byte a module, row by row: 0 is dark
    runs = [f"M{QR_BORDER} {QR_BORDER + 0.5}"]  # the pen, then a relative move to each run
    x = y = 0
    for row in range(size):
        line = pixels[row * size : (row + 1) * size]
        column = 0
        while (start := line.find(b"\x00", column)) != -1:
            end = line.find(b"\xff", start)
            end = size if end == -1 else end
            runs.append(f"m{start - x} {row - y}h{end - start}")
            x, y, column = end, row, end
    side = size + 2 * QR_BORDER
    # The viewBox lets a stylesheet give the code any size (40 mm on paper) without cutting it.
    pixels_wide = side * QR_SCALE
    return Markup(
        f'<svg width="{pixels_wide}" height="{pixels_wide}" '
        f'viewBox="0 0 {pixels_wide} {pixels_wide}" class="qr-code">'
        f'<title>{escape(title)}</title><g transform="scale({QR_SCALE})">'
        f'<path fill="#fff" d="M0 0h{side}v{side}h-{side}z"/>'
        f'<path class="qrline" stroke="#111" d="{"".join(runs)}"/></g></svg>'
    )


def qr_key(url: str, title: str) -> str:
    """The cache key of one QR code (the store's keys hold this code and zxing-cpp's version)."""
    return entry_key(QR_CODES, url, title)


class QrCodes:
    """QR codes drawn once: those of earlier builds come from the cache store, new ones are
    put in it for later.

    Encoding one takes ~3 ms and a site has one per award page and language, so a build
    that drew them all again would spend most of its time here. Entries are compressed
    SVG keyed by qr_key(), which changes whenever the drawing would.
    """

    def __init__(self, store: Store | None = None) -> None:
        self._store = store if store is not None else Store(None)
        # Read now, in the build's process: forked workers that render awards share it.
        self._store.load(QR_CODES)
        self.drawn: dict[str, bytes] = {}
        self._unsent: list[str] = []

    def svg(self, url: str, title: str) -> Markup:
        """The inline SVG QR code of a URL."""
        key = qr_key(url, title)
        stored = self._store.get(QR_CODES, key)
        if stored is not None:
            return Markup(stored)
        if key in self.drawn:
            return Markup(zlib.decompress(self.drawn[key]).decode("utf-8"))
        svg = qr_svg(url, title)
        self.drawn[key] = zlib.compress(svg.encode("utf-8"))
        # In a worker this stays there: take_new() sends it to the build, which add()s it.
        self._store.put(QR_CODES, key, self.drawn[key])
        self._unsent.append(key)
        return svg

    def take_new(self) -> dict[str, bytes]:
        """The codes drawn since the last call (what a worker sends back to the build)."""
        new = {key: self.drawn[key] for key in self._unsent}
        self._unsent = []
        return new

    def add(self, entries: Mapping[str, bytes]) -> None:
        """Entries drawn elsewhere (in a worker process)."""
        self.drawn.update(entries)
        for key, data in entries.items():
            self._store.put(QR_CODES, key, data)

"""What earners use to share an award: the LinkedIn "add to profile" link and a QR code."""

from __future__ import annotations

import base64
import io
from collections.abc import Mapping
from functools import lru_cache
from urllib.parse import quote_plus, urlencode

import zxingcpp
from markupsafe import Markup, escape
from PIL import Image

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


# How a QR code is drawn: one pixel per module, with the 2-module margin readers need; the page
# shows it 4 CSS px a module (QR_SCALE) and the print styles at a fixed size, both scaled
# without blurring (`image-rendering: pixelated`, which the printed PDF keeps too).
QR_SCALE = 4
QR_BORDER = 2


def qr_png(url: str) -> bytes:
    """A QR code of a URL as a black-and-white PNG (generated at build time, no script, no
    service): zxing-cpp encodes (error correction level M, the best mask).

    A 1-bit PNG of one pixel a module, inlined as a data: URI, is an eighth of the SVG path of
    the same modules (~350 bytes against ~2,900 for an award's address), on every award page
    and language.
    """
    code = zxingcpp.create_barcode(url, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    image = zxingcpp.write_barcode_to_image(code, scale=1, add_quiet_zones=False)
    size = int(image.shape[0])  # rows, and as many columns
    pixels = bytes(image)  # type: ignore[call-overload]  # one byte a module, row by row: 0 is dark
    modules = Image.frombytes("L", (size, size), pixels).convert("1", dither=Image.Dither.NONE)
    side = size + 2 * QR_BORDER
    framed = Image.new("1", (side, side), 1)
    framed.paste(modules, (QR_BORDER, QR_BORDER))
    buffer = io.BytesIO()
    # No metadata: the same code, the same bytes. zlib's default level: Pillow's `optimize`
    # took twice the time (0.26 ms against 0.15 ms a code, three codes an award) for the
    # same size on average (333 bytes, over 300 award addresses).
    framed.save(buffer, format="PNG")
    return buffer.getvalue()


def qr_img(png: bytes, title: str) -> Markup:
    """The <img> of a QR code's PNG, inlined, its title as the alternative text."""
    side = QR_SCALE * int.from_bytes(png[16:20], "big")  # the width in the PNG's header (IHDR)
    data = base64.b64encode(png).decode("ascii")
    return Markup(
        f'<img class="qr-code" src="data:image/png;base64,{data}" width="{side}" '
        f'height="{side}" alt="{escape(title)}">'
    )


def qr_key(url: str) -> str:
    """The cache key of one QR code (the store's keys hold this code and zxing-cpp's version)."""
    return entry_key(QR_CODES, url)


class QrCodes:
    """QR codes drawn once: those of earlier builds come from the cache store, new ones are
    put in it for later.

    Encoding one takes ~3 ms and a site has one per award page and language, so a build
    that drew them all again would spend most of its time here. Entries are the PNG of
    qr_png(), keyed by qr_key(), which changes whenever the drawing would.
    """

    def __init__(self, store: Store | None = None) -> None:
        self._store = store if store is not None else Store(None)
        # Read now, in the build's process: forked workers that render awards share it.
        self._store.load(QR_CODES)
        self.drawn: dict[str, bytes] = {}
        self._unsent: list[str] = []

    def image(self, url: str, title: str) -> Markup:
        """The inline image of a QR code of a URL."""
        key = qr_key(url)
        png = self._store.get(QR_CODES, key) or self.drawn.get(key)
        if png is None:
            png = self.drawn[key] = qr_png(url)
            # In a worker this stays there: take_new() sends it to the build, which add()s it.
            self._store.put(QR_CODES, key, png)
            self._unsent.append(key)
        return qr_img(png, title)

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

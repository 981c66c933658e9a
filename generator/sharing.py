"""What earners use to share an award: the LinkedIn "add to profile" link and a QR code."""

from __future__ import annotations

from urllib.parse import urlencode

import segno
from markupsafe import Markup

from .model import Award

LINKEDIN_ADD = "https://www.linkedin.com/profile/add"


def linkedin_url(award: Award, name: str, organisation: str, page_url: str) -> str:
    """LinkedIn's "add a certification" link, every field filled in."""
    fields = {
        "startTask": "CERTIFICATION_NAME",
        "name": name,
        "organizationName": organisation,
        "issueYear": award.valid_from.year,
        "issueMonth": award.valid_from.month,
        "certUrl": page_url,
        "certId": f"{award.issuer.slug}/{award.slug}",
    }
    if award.valid_until is not None:
        fields |= {
            "expirationYear": award.valid_until.year,
            "expirationMonth": award.valid_until.month,
        }
    return f"{LINKEDIN_ADD}?{urlencode(fields)}"


def qr_svg(url: str, title: str) -> Markup:
    """An inline SVG QR code of a URL (generated at build time, no script, no service)."""
    # A fixed mask skips segno's search for the best of eight masks (~85% of the time per
    # code); any mask gives a valid code, and the tests decode every one they render.
    code = segno.make(url, error="m", mask=4)
    svg = code.svg_inline(scale=4, border=2, dark="#111", light="#fff", title=title)
    return Markup(svg)

"""Bake Open Badges data into badge images, and read it back: what both formats share.

Baking hides the assertion (Open Badges 2.0) or the credential (3.0) inside the badge
image, so that the image alone can be verified. png_baking.py and svg_baking.py edit their
format as bytes: pixels and drawings are never decoded nor re-encoded, so a baked image is
the original plus the badge data, and baking twice gives the same bytes as baking once.
Read back, the data is named as PNG keywords name it: 'openbadges' (the 2.0 assertion, or
its URL) and 'openbadgecredential' (the 3.0 credential).

Specs: https://www.imsglobal.org/sites/default/files/Badges/OBv2p0Final/baking/index.html
(2.0), https://www.imsglobal.org/spec/ob/v3p0/ section "Baked Badges" (3.0).
"""

from __future__ import annotations


class BakingError(ValueError):
    """An image cannot be baked or unbaked; the message says why and what to do."""

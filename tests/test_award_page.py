"""The award page: status, consent, sharing actions, previews (rendered-page tests)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import zxingcpp
from PIL import Image

from generator.site.build import build_site

from .conftest import ROOT

BASE = "https://fababrest.github.io/open-badges/"
ALICE = "awards/biklab/20240312-ef961c53/"  # valid, person with name consent
BOB = "awards/biklab/20241005-11e90815/"  # valid, person without name consent
EXPIRED = "awards/biklab/20240630-814da3a6/"
REVOKED = "awards/fablab-exemple-port/20240420-6ebc5c6e/"
NO_PERSON = "awards/atelier-kerexemple/20250301-1815f182/"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "out"
    build_site(ROOT, out)
    return out


def page(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text("utf-8")


class Meta(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self.links: list[dict[str, str | None]] = []
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "meta" and (key := values.get("property") or values.get("name")):
            self.meta[key] = values.get("content") or ""
        if tag == "link":
            self.links.append(values)
        self._in_title = tag == "title"

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False


def meta(html: str) -> Meta:
    parser = Meta()
    parser.feed(html)
    return parser


@pytest.mark.parametrize(
    ("path", "status"),
    [(ALICE, "Badge valide"), (EXPIRED, "Badge expiré"), (REVOKED, "Badge révoqué")],
)
def test_status_is_clear_on_the_page_and_in_the_preview(site: Path, path: str, status: str) -> None:
    html = page(site, path)
    assert re.search(rf'<p class="status [^"]+" role="status"><strong>[^<]*{status}</strong>', html)
    head = meta(html)
    if status != "Badge valide":
        assert head.meta["og:title"].startswith(status)
        assert head.title.startswith(status)
        assert head.meta["og:description"].startswith(status)
    assert re.fullmatch(re.escape(BASE) + r"badges/[a-z0-9-]+/share-fr\.png", head.meta["og:image"])
    assert head.meta["twitter:card"] == "summary_large_image"


def test_revoked_page_gives_the_reason(site: Path) -> None:
    assert "Délivré par erreur : la personne n&#39;avait pas encore validé" in page(site, REVOKED)


def test_name_only_with_consent(site: Path) -> None:
    assert "Alice Martin" in page(site, ALICE)
    assert "Alice Martin" in meta(page(site, ALICE)).meta["og:title"]
    bob = page(site, BOB)
    assert "Bob Le Gall" not in bob
    assert "empreinte salée" in bob
    assert "empreinte salée" in page(site, NO_PERSON)


def test_canonical_and_alternate_json_forms(site: Path) -> None:
    head = meta(page(site, ALICE))
    rel = {(link.get("rel"), link.get("type"), link.get("href")) for link in head.links}
    assert ("canonical", None, BASE + ALICE) in rel
    assert ("alternate", "application/ld+json", BASE + ALICE + "credential.json") in rel
    assert ("alternate", "application/ld+json", BASE + ALICE + "assertion.json") in rel
    assert ("alternate", None, BASE + "en/" + ALICE) in {
        (link.get("rel"), link.get("type"), link.get("href")) for link in head.links
    }


def test_linkedin_link_has_every_certification_field(site: Path) -> None:
    html = page(site, EXPIRED)
    href = re.search(r'href="(https://www\.linkedin\.com/profile/add\?[^"]+)"', html)
    assert href is not None
    query = parse_qs(urlsplit(href.group(1).replace("&amp;", "&")).query)
    assert query == {
        "startTask": ["CERTIFICATION_NAME"],
        "name": ["Découpe vinyle - Formateur mentor"],
        "organizationName": ["BIK'LAB"],
        "issueYear": ["2024"],
        "issueMonth": ["6"],
        "certUrl": [BASE + EXPIRED],
        "certId": ["biklab/20240630-814da3a6"],
        "expirationYear": ["2025"],
        "expirationMonth": ["6"],
    }


def _qr_image(svg: str) -> Image.Image:
    """Rasterise the QR code's SVG path (rows of horizontal runs) into a picture a decoder reads."""
    path = re.search(r'class="qrline"[^>]* d="([^"]+)"', svg)
    assert path is not None
    size = int(re.search(r'width="(\d+)"', svg).group(1)) // 4  # type: ignore[union-attr]
    image = Image.new("L", (size, size), 255)
    x = y = 0.0
    for command, a, b in re.findall(r"([Mmh])(-?[\d.]+)(?:\s(-?[\d.]+))?", path.group(1)):
        if command == "M":
            x, y = float(a), float(b)
        elif command == "m":
            x, y = x + float(a), y + float(b)
        else:
            for column in range(int(x), int(x + float(a))):
                image.putpixel((column, int(y)), 0)
            x += float(a)
    return image.resize((size * 8, size * 8), Image.Resampling.NEAREST)


def test_qr_code_encodes_the_page_url(site: Path) -> None:
    for path in (ALICE, "en/" + ALICE):
        svg = re.search(r'<figure class="qr">(<svg.*?</svg>)', page(site, path), re.S)
        assert svg is not None
        decoded = zxingcpp.read_barcodes(_qr_image(svg.group(1)))
        assert [code.text for code in decoded] == [BASE + path]


def test_is_this_mine_form_carries_the_salt_and_hash_of_the_credential(site: Path) -> None:
    import hashlib
    import json

    credential = json.loads((site / ALICE / "credential.json").read_text("utf-8"))
    identifier = credential["credentialSubject"]["identifier"][0]
    html = page(site, ALICE)
    assert f'data-salt="{identifier["salt"]}"' in html
    assert f'data-hash="{identifier["identityHash"]}"' in html
    digest = hashlib.sha256(("alice.martin@example.org" + identifier["salt"]).encode()).hexdigest()
    assert identifier["identityHash"] == "sha256$" + digest
    assert "alice.martin@example.org" not in html


def test_downloads_and_print_view_are_offered(site: Path) -> None:
    html = page(site, ALICE)
    assert 'href="/open-badges/awards/biklab/20240312-ef961c53/badge.png" download' in html
    assert 'id="print-certificate"' in html
    assert '<section class="certificate certificate-valid"' in html
    assert "https://openbadgesvalidator.imsglobal.org/" in html
    assert 'lang="en"' in page(site, "en/" + ALICE)
    assert "Is this badge mine?" in page(site, "en/" + ALICE)

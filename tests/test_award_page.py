"""The award page: status, consent, sharing actions, previews (rendered-page tests)."""

from __future__ import annotations

import base64
import io
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import zxingcpp
from PIL import Image

BASE = "https://fababrest.github.io/open-badges/"
ALICE = "awards/biklab/20240312-ef961c53/"  # valid, person with name consent
BOB = "awards/biklab/20241005-11e90815/"  # valid, person without name consent
EXPIRED = "awards/biklab/20240630-814da3a6/"
REVOKED = "awards/fablab-exemple-port/20240420-6ebc5c6e/"
NO_PERSON = "awards/atelier-kerexemple/20250301-1815f182/"
VALID_UNTIL = "awards/fablab-exemple-port/20250201-53010f32/"  # valid, expires in 2028


@pytest.fixture
def site(example_site: Path) -> Path:
    """The example network, built once per session (tests/published_sites.py)."""
    return example_site


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
    assert re.search(
        rf'<div class="status [^"]+" role="status">\s*<p class="status-title">'
        rf'<svg class="status-icon"[^>]*>.*?</svg><strong>{status}</strong>',
        html,
    )
    head = meta(html)
    if status != "Badge valide":
        assert head.meta["og:title"].startswith(status)
        assert head.title.startswith(status)
        assert head.meta["og:description"].startswith(status)
    # a revoked or expired award shares its badge's card that says so (test_share_meta.py)
    state = {"Badge valide": "", "Badge expiré": "expired-", "Badge révoqué": "revoked-"}[status]
    card = re.escape(BASE) + rf"badges/[a-z0-9-]+/share-{state}fr\.png"
    assert re.fullmatch(card, head.meta["og:image"]), head.meta["og:image"]
    assert head.meta["twitter:card"] == "summary_large_image"


def test_revoked_page_gives_the_reason(site: Path) -> None:
    assert "Délivré par erreur : la personne n&#39;avait pas encore validé" in page(site, REVOKED)


def test_name_only_with_consent(site: Path) -> None:
    assert "Alice Martin" in page(site, ALICE)
    assert "Alice Martin" in meta(page(site, ALICE)).meta["og:title"]
    bob = page(site, BOB)
    assert "Bob Le Gall" not in bob
    assert "nom non publié" in bob and "empreinte salée" not in bob
    assert "nom non publié" in page(site, NO_PERSON)


def test_the_earner_is_named_once_on_the_page(site: Path) -> None:
    shown = page(site, ALICE).split("<main", 1)[1].split('<section class="certificate', 1)[0]
    assert shown.count("Alice Martin") == 1


@pytest.mark.parametrize(
    ("path", "dates"),
    [
        (EXPIRED, ["30 juin 2024", "30 juin 2025"]),
        ("en/" + EXPIRED, ["30 June 2024", "30 June 2025"]),
        (REVOKED, ["20 avril 2024", "2 mai 2024"]),
    ],
)
def test_dates_are_written_in_words_and_kept_iso_for_machines(
    site: Path, path: str, dates: list[str]
) -> None:
    html = page(site, path)
    assert not re.search(r">\s*\d{4}-\d\d-\d\d", html), "an ISO date shown as text"
    for date in dates:
        assert date in html
    assert re.search(r'<time datetime="\d{4}-\d\d-\d\d">\d{1,2} \w+ \d{4}</time>', html)


def test_awarding_structure_and_network_are_told_apart(site: Path) -> None:
    html = page(site, ALICE)
    assert re.search(r"Décerné par <a [^>]*>BIK&#39;LAB</a>", html)
    assert re.search(r"Badge défini par</dt><dd>le réseau <a [^>]*>Fab@brest</a>", html)
    assert "BIK&#39;LAB</a> · <a" not in html


@pytest.mark.parametrize("path", [EXPIRED, REVOKED])
def test_a_revoked_or_expired_award_is_not_offered_as_valid(site: Path, path: str) -> None:
    html = page(site, path)
    assert "linkedin.com" not in html
    assert " download>" not in html and 'id="print-certificate"' not in html
    assert re.search(r'<article class="[^"]*award-(revoked|expired)"', html)


def test_verify_this_badge_is_next_to_the_status_with_independent_verifiers(site: Path) -> None:
    status = page(site, ALICE).split('<div class="status', 1)[1].split("</div>", 1)[0]
    assert "Vérifier ce badge" in status
    assert "https://verifierplus.org/" in status
    assert "https://openbadgesvalidator.imsglobal.org/" in status


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
    html = page(site, VALID_UNTIL)
    href = re.search(r'href="(https://www\.linkedin\.com/profile/add\?[^"]+)"', html)
    assert href is not None
    query = parse_qs(urlsplit(href.group(1).replace("&amp;", "&")).query)
    assert query == {
        "startTask": ["CERTIFICATION_NAME"],
        "name": ["Découpe laser - Formateur mentor"],
        "organizationName": ["Fablab du Port (exemple)"],
        "issueYear": ["2025"],
        "issueMonth": ["2"],
        "certUrl": [BASE + VALID_UNTIL],
        "certId": ["fablab-exemple-port/20250201-53010f32"],
        "expirationYear": ["2028"],
        "expirationMonth": ["2"],
    }


def _qr_image(img: str) -> Image.Image:
    """The QR code's image, inlined in the page as a PNG data: URI."""
    data = re.search(r'src="data:image/png;base64,([^"]+)"', img)
    assert data is not None
    return Image.open(io.BytesIO(base64.b64decode(data.group(1))))


def test_qr_code_encodes_the_page_url(site: Path) -> None:
    for path in (ALICE, "en/" + ALICE):
        img = re.search(r'<figure class="qr">(<img class="qr-code"[^>]*>)', page(site, path))
        assert img is not None
        decoded = zxingcpp.read_barcodes(_qr_image(img.group(1)))
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

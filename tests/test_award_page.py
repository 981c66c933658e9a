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
        rf"<strong>{status}</strong>",
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


def test_the_status_leads_to_one_verify_section_in_plain_steps(site: Path) -> None:
    """ "Vérifier ce badge" beside the state leads to one section: what the site checked, as
    steps a person understands; the key, the algorithms, the documents and the independent
    verifiers folded under it."""
    html = page(site, ALICE)
    status = html.split('<div class="status', 1)[1].split("</div>", 1)[0]
    assert '<a href="#verify-title">Vérifier ce badge</a>' in status
    verify = html.split('<section class="verify"', 1)[1].split("</section>", 1)[0]
    steps = re.findall(r"<li[^>]*>(.*?)</li>", verify.split('<ul class="checks">')[1])[:4]
    assert [re.sub(r"<[^>]+>", "", step) for step in steps] == [
        "signé par BIK&#39;LAB le 12 mars 2024,",
        "avec sa clé publiée sur la page de la structure ;",
        "non révoqué ;",
        "sans date d\u2019expiration.",
    ]
    assert 'href="/open-badges/issuers/biklab/#keys-title"' in steps[1]
    folded = verify.split('<details class="technical">', 1)[1].split("</details>", 1)[0]
    for words in ("« key-1 »", "Ed25519", "eddsa-rdfc-2022", "Open Badges 3.0", "Open Badges 2.0"):
        assert words in folded
    assert f'href="/open-badges/{ALICE}credential.json"' in folded
    assert f'href="/open-badges/{ALICE}assertion.json"' in folded
    assert "https://verifierplus.org/" in folded
    assert "https://openbadgesvalidator.imsglobal.org/" in folded


@pytest.mark.parametrize(
    ("path", "failed"),
    [(REVOKED, "révoqué le 2 mai 2024 ;"), (EXPIRED, "expiré le 30 juin 2025.")],
)
def test_a_failed_step_is_marked_as_such(site: Path, path: str, failed: str) -> None:
    verify = page(site, path).split('<section class="verify"', 1)[1].split("</section>", 1)[0]
    assert f'<li class="check-no">{failed}</li>' in verify
    assert verify.count('class="check-no"') == 1


# Words of the standards and of cryptography, and addresses written out: only folded away.
TECHNICAL = re.compile(
    r"\.json\b|Ed25519|eddsa|BadgeClass|Assertion|Profile|Issuer|Open Badges \d|\bkey-\d|"
    r"https?://",
    re.IGNORECASE,
)


def shown_text(html: str) -> str:
    """The text of a page's main part as it first shows: without the folded <details> (their
    summary kept), the print-only certificate, scripts' data and tags."""
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    main = main.split('<section class="certificate', 1)[0]
    main = re.sub(
        r"(<details[^>]*>\s*<summary>.*?</summary>).*?</details>", r"\1", main, flags=re.S
    )
    main = re.sub(r"<[^>]+>", " ", main)
    return " ".join(main.split())


def test_no_award_page_shows_a_technical_word_outside_its_folded_details(site: Path) -> None:
    pages = sorted(
        page
        for kind in ("awards", "earlier")
        for page in (*site.glob(f"{kind}/*/*/"), *site.glob(f"*/{kind}/*/*/"))
    )
    assert len(pages) >= 3 * 8  # every award and earlier award, in every language
    shown = {
        str(path.relative_to(site)): found
        for path in pages
        if (found := TECHNICAL.findall(shown_text((path / "index.html").read_text("utf-8"))))
    }
    assert shown == {}


def test_the_earner_and_the_date_are_one_line_beside_the_badge(site: Path) -> None:
    who = page(site, ALICE).split('<div class="award-who">', 1)[1].split("</div>", 1)[0]
    assert (
        '<p class="earner">Décerné à <strong>Alice Martin</strong> le '
        '<time datetime="2024-03-12">12 mars 2024</time></p>'
    ) in who
    english = page(site, "en/" + ALICE).split('<p class="earner">', 1)[1].split("</p>", 1)[0]
    assert english == (
        'Awarded to <strong>Alice Martin</strong> on <time datetime="2024-03-12">12 March 2024</time>'
    )
    anonymous = page(site, BOB).split('<p class="earner">', 1)[1].split("</p>", 1)[0]
    assert anonymous == (
        'Décerné le <time datetime="2024-10-05">5 octobre 2024</time> '
        '<span class="unnamed">(nom non publié)</span>'
    )


def test_a_certificate_without_a_name_says_so(site: Path) -> None:
    named = page(site, ALICE).split('<section class="certificate', 1)[1]
    assert '<p class="certificate-earner">Décerné à Alice Martin</p>' in named
    for path in (BOB, NO_PERSON):
        certificate = page(site, path).split('<section class="certificate', 1)[1]
        assert (
            '<p class="certificate-earner certificate-unnamed">'
            "Nom de la personne titulaire non publié</p>"
        ) in certificate
    english = page(site, "en/" + BOB).split('<section class="certificate', 1)[1]
    assert "Holder\u2019s name not published" in english


def test_what_the_badge_attests_comes_before_sharing_and_verifying(site: Path) -> None:
    html = page(site, ALICE)
    order = [
        html.index(mark)
        for mark in (
            '<section class="attests"',
            "Critères d\u2019obtention",
            "Preuves et récit",
            'id="share-title"',
            'id="verify-title"',
        )
    ]
    assert order == sorted(order)
    attests = html.split('<section class="attests"', 1)[1].split("</section>", 1)[0]
    assert "A participé à un atelier de découverte de la découpeuse laser" in attests
    assert "Parcours « Découpe laser »" in attests


def test_wallet_and_qr_codes_are_behind_one_add_to_control(site: Path) -> None:
    html = page(site, ALICE)
    share = html.split('<section class="actions"', 1)[1].split("</section>", 1)[0]
    folded = share.split('<details class="add-to">', 1)[1].split("</details>", 1)[0]
    assert "<summary>Ajouter à…</summary>" in folded
    assert share.count("qr-code") == folded.count("qr-code") == 2
    assert html.count("qr-code") == 2  # the page's code is the one the certificate prints
    assert "linkedin.com" in folded and 'id="wallet-link"' in folded
    # the wallet's link says what it leads to, in words
    assert re.search(r'id="wallet-link"[^>]*>l\u2019attestation signée</a>', folded)
    for path in (EXPIRED, REVOKED):
        other = page(site, path).split('<section class="actions"', 1)[1].split("</section>")[0]
        assert "<summary>QR code</summary>" in other and other.count("qr-code") == 1
        assert "Ajouter à" not in other


def test_an_earlier_award_has_the_status_box_the_earner_line_and_a_certificate(
    site: Path,
) -> None:
    html = page(site, "earlier/fablab-exemple-port/20230610-9696328e")
    assert 'class="award-page"' in html and "/static/paper.css" in html
    assert re.search(
        r'<div class="status status-earlier" role="status">\s*<p class="status-title">'
        r"<strong>Badge délivré sur Badgr</strong>",
        html,
    )
    assert (
        '<p class="earner">Décerné le <time datetime="2023-06-10">10 juin 2023</time> '
        '<span class="unnamed">(nom non publié)</span></p>'
    ) in html
    assert 'class="awarder"' in html and "Décerné par <a " in html
    certificate = html.split('<section class="certificate certificate-valid"', 1)[1]
    assert "Badge délivré sur Badgr" in certificate
    assert "Nom de la personne titulaire non publié" in certificate
    assert html.count("qr-code") == 1 and '<figure class="qr page-qr">' in html


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
        img = re.search(
            r'<figure class="qr page-qr">(<img class="qr-code"[^>]*>)', page(site, path)
        )
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

"""What awards and machines print, in Debian's Chromium: every award's certificate (of the
example network and of the signed test site, in every language; an earlier award's too) and
every machine's poster printed to an A4 PDF, the PDF rasterised at 150 and 300 dpi and its
QR code decoded. Also the "add to a wallet" QR code of every valid award, read from a
screenshot once its "Add to…" panel is unfolded.

The sites, built once per session (tests/published_sites.py), are served from one temporary
folder, each under the path of its base_url, on 127.0.0.1; tests/browser/run.mjs prints the PDFs and takes the screenshots.
"""

from __future__ import annotations

import functools
import json
import re
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
import zxingcpp
from PIL import Image

from .published_sites import QuietHandler
from .test_browser import NODE, RUN

pypdfium2 = pytest.importorskip("pypdfium2", reason='run `pip install -e ".[test]"`')

# The sites of tests/published_sites.py printed: the example network, and the signed test
# site's expected output (tests/test_golden.py keeps it equal to a fresh build).
BASE_URLS = {
    "example": "https://fababrest.github.io/open-badges/",
    "signed": "https://example.org/test-network/",
}
A4_MM = (210, 297)
# The QR code's printed side, quiet zone included (theme/static/paper.css).
QR_MM = {"certificate": 40, "poster": 60}
QR_BORDER = 2  # modules of margin drawn around the code (generator/site/render/sharing.py)
STAMPS = {"revoked": ("RÉVOQUÉ", "REVOKED"), "expired": ("EXPIRÉ", "EXPIRED")}
CAPTIONS = {
    "certificate": ("Scannez pour vérifier ce badge en ligne", "Scan to verify this badge online"),
    "poster": ("Scannez pour voir la page de cette machine", "Scan to open this machine"),
}


@dataclass(frozen=True)
class Page:
    """One page to print: its kind, absolute URL, state and language, and for a certificate
    whether its award is one this site signed (not an earlier one) and names its earner."""

    kind: str  # certificate | poster
    url: str
    status: str  # valid | revoked | expired (a poster: valid)
    language: str
    signed: bool = False
    named: bool = False


@dataclass(frozen=True)
class Printed(Page):
    """One page printed: the page, its PDF and what the browser saw."""

    pdf: Path = Path()
    report: dict[str, Any] = field(default_factory=dict)


def _pages(site: Path, base_url: str) -> Iterator[Page]:
    """Every award page (an earlier award's too) and machine page of a built site."""
    for html in sorted(site.rglob("index.html")):
        path = html.parent.relative_to(site).as_posix() + "/"
        language = "en" if path.startswith("en/") else "fr"
        award = re.fullmatch(r"(en/)?(awards|earlier)/[^/]+/[^/]+/", path)
        if award:
            text = html.read_text("utf-8")
            found = re.search(r'class="certificate certificate-(\w+)"', text)
            if found is None and "no longer published" not in text:
                raise AssertionError(f"{path}: an award page without a certificate")
            if found is not None:
                signed, named = award.group(2) == "awards", "certificate-unnamed" not in text
                yield Page("certificate", base_url + path, found.group(1), language, signed, named)
        elif re.fullmatch(r"(en/)?issuers/[^/]+/machines/[^/]+/", path):
            yield Page("poster", base_url + path, "valid", language)


@pytest.fixture(scope="module")
def printed(
    published_sites: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> list[Printed]:
    """Every certificate and poster of both sites printed (and each valid award's wallet QR
    code screenshot) in one Chromium."""
    root = tmp_path_factory.mktemp("print")
    out = tmp_path_factory.mktemp("pdf")
    pages = []
    for name, base_url in BASE_URLS.items():
        site = root / urlsplit(base_url).path.strip("/")
        site.symlink_to(published_sites[name], target_is_directory=True)
        pages.extend(_pages(published_sites[name], base_url))
    handler = functools.partial(QuietHandler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    checks = []
    for number, page in enumerate(pages):
        steps: list[dict[str, Any]] = [
            {"do": "count", "selector": ".paper-logos img"},
            {"do": "pdf", "file": str(out / f"{number}.pdf")},
        ]
        if page.kind == "certificate":
            steps.append({"do": "count", "selector": "#wallet-link"})
            if page.status == "valid" and page.signed:
                shot = str(out / f"{number}-wallet.png")
                steps.append({"do": "visible", "selector": ".wallet img"})
                steps.append({"do": "click", "selector": ".add-to summary"})
                steps.append({"do": "screenshot", "selector": ".wallet img", "file": shot})
                steps.append({"do": "attribute", "selector": "#wallet-link", "name": "href"})
        # each check loads its page anew, in one tab (run.mjs): it changes only its document
        path = urlsplit(page.url).path
        checks.append({"name": str(number), "path": path, "tab": "print", "steps": steps})
    listed = out / "checks.json"
    listed.write_text(json.dumps(checks), "utf-8")
    try:
        assert NODE is not None
        done = subprocess.run(
            [NODE, str(RUN), f"http://127.0.0.1:{server.server_address[1]}/", str(listed)],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    finally:
        server.shutdown()
        server.server_close()
    assert done.returncode == 0, f"run.mjs failed:\n{done.stderr}\n{done.stdout}"
    reports = json.loads(done.stdout)["reports"]
    assert {page.status for page in pages} == {"valid", "revoked", "expired"}, "a state is missing"
    assert {(page.signed, page.named) for page in pages if page.kind == "certificate"} == {
        (True, True),
        (True, False),
        (False, False),
    }, "a signed award with and without its earner's name, and an earlier award"
    return [
        Printed(**vars(page), pdf=out / f"{number}.pdf", report=reports[number])
        for number, page in enumerate(pages)
    ]


def _value(printed: Printed, action: str, selector: str | None = None) -> Any:
    """What one step of a printed page's check saw, asserting the page loaded without errors."""
    report = printed.report
    assert report["status"] == 200 and report["errors"] == [], (printed.url, report["errors"])
    for result in report["results"]:
        if result["do"] == action and result.get("selector") == selector:
            return result["value"]
    raise AssertionError(f"{printed.url}: no {action} {selector or ''}")


def _modules(url: str) -> int:
    """How many modules wide the QR code of a URL is (as the site draws it)."""
    code = zxingcpp.create_barcode(url, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    image = zxingcpp.write_barcode_to_image(code, scale=1, add_quiet_zones=False)
    return int(image.shape[0])


def _raster(pdf: Path, dpi: int) -> Image.Image:
    """The page in shades of grey (what the checks read of it, in a third of the bytes)."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        image: Image.Image = document[0].render(scale=dpi / 72, grayscale=True).to_pil()
        return image
    finally:
        document.close()


def _text(pdf: Path) -> str:
    document = pypdfium2.PdfDocument(pdf)
    try:
        text: str = document[0].get_textpage().get_text_range()
        return " ".join(text.split())
    finally:
        document.close()


def test_every_certificate_and_poster_prints_on_one_a4_page(printed: list[Printed]) -> None:
    assert {p.kind for p in printed} == {"certificate", "poster"}
    wrong = []
    for page in printed:
        document = pypdfium2.PdfDocument(page.pdf)
        width, height = (round(side / 72 * 25.4) for side in document[0].get_size())
        if (_value(page, "pdf"), len(document), (width, height)) != (1, 1, A4_MM):
            wrong.append((page.url, len(document), (width, height)))
        document.close()
    assert wrong == []


@pytest.mark.parametrize("dpi", [150, 300])
def test_every_printed_qr_code_decodes_to_its_page_at_a_fixed_size(
    printed: list[Printed], dpi: int
) -> None:
    wrong = []
    for page in printed:
        image = _raster(page.pdf, dpi)
        found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
        if [code.text for code in found] != [page.url]:
            wrong.append((page.url, [code.text for code in found]))
            continue
        corners = found[0].position
        side = corners.top_right.x - corners.top_left.x
        modules = _modules(page.url)
        expected = QR_MM[page.kind] / 25.4 * dpi * modules / (modules + 2 * QR_BORDER)
        if abs(side - expected) > expected * 0.03:
            wrong.append((page.url, f"{side} px wide, not {expected:.0f}"))
        # at the foot of the frame: no blank bottom third
        if corners.top_left.y < image.height * 0.6:
            wrong.append((page.url, f"the code starts at {corners.top_left.y} of {image.height}"))
    assert wrong == []


def test_every_printed_page_is_framed_with_the_logos_and_a_caption(
    printed: list[Printed],
) -> None:
    for page in printed:
        text = _text(page.pdf)
        caption = CAPTIONS[page.kind][page.language == "en"]
        assert caption in text, (page.url, text)
        # the example network has a logo; the signed site's structure has one (not its network)
        assert _value(page, "count", ".paper-logos img") >= 1, page.url
        # the frame: a dark line near each edge, across the middle of the page
        image = _raster(page.pdf, 150).convert("L")
        width, height = image.size
        row = [image.getpixel((x, height // 2)) for x in range(width)]
        column = [image.getpixel((width // 2, y)) for y in range(height)]
        for edge in (
            row[: width // 8],
            row[-width // 8 :],
            column[: height // 8],
            column[-height // 8 :],
        ):
            assert min(edge) < 128, (page.url, "no frame")


def _word_boxes(pdf: Path, word: str) -> list[tuple[float, float, float, float]]:
    """Where each occurrence of a word (case as given) is printed, as fractions of the page:
    (left, bottom, right, top) of its letters' boxes together."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        page = document[0]
        width, height = page.get_size()
        textpage = page.get_textpage()
        text = textpage.get_text_range()
        boxes = []
        for found in re.finditer(re.escape(word), text):
            letters = [textpage.get_charbox(i) for i in range(found.start(), found.end())]
            boxes.append(
                (
                    min(box[0] for box in letters) / width,
                    min(box[1] for box in letters) / height,
                    max(box[2] for box in letters) / width,
                    max(box[3] for box in letters) / height,
                )
            )
        return boxes
    finally:
        document.close()


def test_a_revoked_or_expired_certificate_says_so_across_it(printed: list[Printed]) -> None:
    for page in (p for p in printed if p.kind == "certificate"):
        text = _text(page.pdf)
        for status, words in STAMPS.items():
            stamp = words[page.language == "en"]
            assert (stamp in text) == (page.status == status), (page.url, page.status, text)
            if page.status != status:
                continue
            # across the page: the word spans two fifths of its width or more, slanted over a
            # fifth of its height or more, around its middle; not a line of small print
            across = [
                (left, bottom, right, top)
                for left, bottom, right, top in _word_boxes(page.pdf, stamp)
                if right - left >= 0.4
                and top - bottom >= 0.2
                and abs((left + right) / 2 - 0.5) < 0.15
                and abs((bottom + top) / 2 - 0.5) < 0.15
            ]
            assert across, (page.url, stamp, _word_boxes(page.pdf, stamp))


def test_a_valid_award_offers_its_credential_to_wallets_as_a_link_and_a_qr_code(
    printed: list[Printed],
) -> None:
    for page in (p for p in printed if p.kind == "certificate"):
        if page.status != "valid" or not page.signed:
            assert _value(page, "count", "#wallet-link") == 0, page.url
            continue
        credential = re.sub(r"^(https://[^ ]+?/)(en/)?(awards/.*/)$", r"\1\3", page.url)
        credential += "credential.json"
        # the link resolves to the credential (its text says what it is, in words)
        assert urljoin(page.url, _value(page, "attribute", "#wallet-link")) == credential
        # folded in the "Add to…" panel until it is opened
        assert _value(page, "visible", ".wallet img") is False, page.url
        shot = Image.open(_value(page, "screenshot", ".wallet img"))
        found = zxingcpp.read_barcodes(shot, formats=zxingcpp.BarcodeFormat.QRCode)
        assert [code.text for code in found] == [credential], page.url


EARNER = {
    ("fr", True): "Décerné à ",
    ("en", True): "Awarded to ",
    ("fr", False): "Nom de la personne titulaire non publié",
    ("en", False): "Holder\u2019s name not published",
}
PLATFORM = {"fr": "Badge délivré sur Badgr", "en": "Badge awarded on Badgr"}


def test_a_certificate_names_its_earner_or_says_the_name_is_not_published(
    printed: list[Printed],
) -> None:
    """No gap where the name would be; an earlier award's says where it was published."""
    for page in (p for p in printed if p.kind == "certificate"):
        text = _text(page.pdf)
        assert EARNER[page.language, page.named] in text, (page.url, text)
        assert EARNER[page.language, not page.named] not in text, (page.url, text)
        earlier = PLATFORM[page.language].upper() in text.upper()  # printed in capitals
        assert earlier == (not page.signed), (page.url, text)

"""Open Graph and Twitter card tags on every public page kind, with a share image that exists
at the declared size (generator/site/draw/share_images.py, theme/templates/partials/share_meta.html)."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageChops

from generator.cache import Store
from generator.drawing.share_card import HEIGHT, WIDTH, share_card_png, stamped_card_png
from generator.parallel import map_ordered
from generator.site.draw import share_images
from generator.site.draw.badge_images import draw_badge_images
from generator.site.draw.share_images import draw_share_images
from generator.site.load.network import load_network
from generator.site.model.problems import Problems

from .conftest import ROOT

# Every public page kind, by the pattern of its path (French and English).
KINDS = {
    "home": r"",
    "catalogue": r"badges/",
    "badge": r"badges/[^/]+/",
    "structure": r"issuers/[^/]+/",
    "map": r"map/",
    "domain": r"map/[^/]+/",
    "machine": r"issuers/[^/]+/machines/[^/]+/",
    "portfolio": r"people/[^/]+/",
    "award": r"awards/[^/]+/[^/]+/",
}
REQUIRED = (
    "og:title", "og:description", "og:url", "og:type", "og:image", "og:image:width",
    "og:image:height", "og:image:alt", "og:locale", "og:locale:alternate", "twitter:card",
)  # fmt: skip


class _Meta(HTMLParser):
    """The <meta property|name=... content=...> of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: dict[str, str] = {}
        self.repeated: list[str] = []
        self.canonical = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "meta" and (name := found.get("property") or found.get("name")):
            if name in self.tags and name != "og:locale:alternate":
                self.repeated.append(name)
            self.tags.setdefault(name, found.get("content") or "")
        if tag == "link" and found.get("rel") == "canonical":
            self.canonical = found.get("href") or ""


def _meta(html: Path) -> _Meta:
    parser = _Meta()
    parser.feed(html.read_text("utf-8"))
    return parser


def _kind(path: str) -> str | None:
    path = path.removeprefix("en/")
    kinds = [kind for kind, pattern in KINDS.items() if re.fullmatch(pattern, path)]
    # a machine's path also matches no other kind; a structure's only its own
    return kinds[0] if len(kinds) == 1 else None


@pytest.mark.parametrize("name", ["example", "signed"])
def test_every_public_page_kind_has_its_sharing_tags_and_an_image_of_the_declared_size(
    published_sites: dict[str, Path], name: str
) -> None:
    site = published_sites[name]
    base_url = _meta(site / "index.html").canonical
    seen: set[str] = set()
    for html in sorted(site.rglob("index.html")):
        path = html.parent.relative_to(site).as_posix() + "/"
        path = "" if path == "./" else path
        kind = _kind(path)
        if kind is None or "Page retirée" in html.read_text("utf-8"):
            continue
        seen.add(kind)
        meta = _meta(html)
        missing = [tag for tag in REQUIRED if not meta.tags.get(tag)]
        assert missing == [], f"{path}: no {missing}"
        # one of each: a page that says two titles or two images leaves the choice to chance
        assert meta.repeated == [], f"{path}: {meta.repeated} given twice"
        assert meta.tags["og:url"] == meta.canonical == base_url + path
        assert meta.tags["twitter:card"] == "summary_large_image"
        assert meta.tags["og:locale"] == ("en_GB" if path.startswith("en/") else "fr_FR")
        image = meta.tags["og:image"]
        assert image.startswith(base_url), (path, image)
        with Image.open(site / image.removeprefix(base_url)) as opened:
            assert opened.format == "PNG"
            declared = (int(meta.tags["og:image:width"]), int(meta.tags["og:image:height"]))
            assert opened.size == declared == (1200, 630), path
        # nothing private: no address, and only the consented name (the privacy guard
        # checks every file; here, no '@' but the network's own name)
        for tag, content in meta.tags.items():
            assert "@" not in content.replace("Fab@brest", ""), (path, tag, content)
    expected = set(KINDS) - ({"portfolio", "machine"} if name == "signed" else set())
    assert expected <= seen, expected - seen


def test_a_badge_page_shares_the_badge_s_own_image_in_its_language(
    published_sites: dict[str, Path],
) -> None:
    site = published_sites["example"]
    french = _meta(site / "badges" / "decoupe-laser-premiers-pas" / "index.html").tags
    english = _meta(site / "en" / "badges" / "decoupe-laser-premiers-pas" / "index.html").tags
    assert french["og:image"].endswith("/badges/decoupe-laser-premiers-pas/share-fr.png")
    assert english["og:image"].endswith("/badges/decoupe-laser-premiers-pas/share-en.png")
    assert french["og:image:alt"] == "Découpe laser - 1er pas"
    assert english["og:image:alt"] != french["og:image:alt"]
    home = _meta(site / "index.html").tags
    assert home["og:image"].endswith("/share/site-fr.png")


# The example's awards in each state (tests/keys/make-example-awards.sh makes them).
STATED_AWARDS = {
    "valid": "awards/biklab/20240312-ef961c53/",
    "revoked": "awards/fablab-exemple-port/20240420-6ebc5c6e/",
    "expired": "awards/biklab/20240630-814da3a6/",
}
INKS = {"revoked": (0xB3, 0x26, 0x1E), "expired": (0x8A, 0x6D, 0x00)}


@pytest.mark.parametrize("state", ["revoked", "expired"])
def test_a_revoked_or_expired_award_shares_a_card_that_says_so_at_an_address_of_its_own(
    published_sites: dict[str, Path], state: str
) -> None:
    """Its badge's card greyed, stamped with its state in the page's language, at an address
    that is not the valid card's: a social network that kept the valid card of this page
    reads the new address when it reads the page again."""
    site = published_sites["example"]
    base_url = _meta(site / "index.html").canonical
    path = STATED_AWARDS[state]
    cards = {}
    for language, page in (("fr", path), ("en", "en/" + path)):
        tags = _meta(site / page / "index.html").tags
        image = tags["og:image"]
        assert image.startswith(base_url), image
        assert image.endswith(f"/share-{state}-{language}.png"), image
        word = {"revoked": ("Révoqué", "Revoked"), "expired": ("Expiré", "Expired")}[state]
        assert tags["og:image:alt"].endswith(" — " + word[language == "en"]), tags
        badge_page = image.removeprefix(base_url).rsplit("/", 1)[0] + "/index.html"
        if language == "fr":  # the badge's own page shares its valid card
            valid = _meta(site / badge_page).tags["og:image"]
            assert valid != image and valid.endswith("/share-fr.png"), valid
        with Image.open(site / image.removeprefix(base_url)) as opened:
            assert opened.size == (1200, 630)
            cards[language] = opened.convert("RGB")
    card = cards["fr"]
    field = card.getpixel((WIDTH - 5, 5))
    assert isinstance(field, tuple) and max(field) - min(field) <= 2, f"not grey: {field}"
    assert _count_near(card, INKS[state]) > 2000, "no stamp in the state's ink"
    # the word stamped is the page's: the French and the English cards differ only there
    assert _mean_difference(cards["fr"], cards["en"]) > 0
    assert _count_near(cards["en"], INKS[state]) > 2000


def test_a_valid_award_shares_its_badge_s_card(published_sites: dict[str, Path]) -> None:
    site = published_sites["example"]
    tags = _meta(site / STATED_AWARDS["valid"] / "index.html").tags
    assert re.search(r"/badges/[a-z0-9-]+/share-fr\.png$", tags["og:image"]), tags["og:image"]
    with Image.open(
        site / tags["og:image"].removeprefix(_meta(site / "index.html").canonical)
    ) as opened:
        field = opened.convert("RGB").getpixel((WIDTH - 5, 5))
    assert isinstance(field, tuple) and max(field) - min(field) > 40, f"grey: {field}"


def test_a_stamped_card_is_the_card_greyed_with_the_word_across_its_picture() -> None:
    card = share_card_png(picture=None, title="Découpe laser", subtitle="1er pas", colour="#c0392b")
    plain = stamped_card_png(card, "", "#b3261e")
    stamped = stamped_card_png(card, "RÉVOQUÉ", "#b3261e")
    with Image.open(io.BytesIO(plain)) as opened:
        blank = opened.convert("RGB")
    with Image.open(io.BytesIO(stamped)) as opened:
        assert opened.size == (WIDTH, HEIGHT)
        worded = opened.convert("RGB")
    field = worded.getpixel((WIDTH - 5, 5))
    assert isinstance(field, tuple) and len(set(field)) == 1, f"not grey: {field}"
    # the word is drawn in the stamp's ink, within the frame, over the picture (the left half)
    ink = _count_near(worded, INKS["revoked"]) - _count_near(blank, INKS["revoked"])
    assert ink > 1000
    right = (WIDTH // 2, 0, WIDTH, HEIGHT)
    assert _count_near(worded.crop(right), INKS["revoked"]) == 0, "the title is covered"


def _count_near(image: Image.Image, colour: tuple[int, int, int]) -> int:
    """How many pixels of an image are within 12 levels of a colour."""
    red, green, blue = (
        channel.point(lambda v, c=c: 255 if abs(v - c) <= 12 else 0)
        for channel, c in zip(image.split(), colour, strict=True)
    )
    both = ImageChops.multiply(ImageChops.multiply(red, green), blue)
    return both.histogram()[255]


def test_the_share_card_is_1200_by_630_in_the_colour_given() -> None:
    picture = io.BytesIO()
    Image.new("RGBA", (600, 600), (0, 0, 0, 0)).save(picture, "PNG")
    png = share_card_png(
        picture=picture.getvalue(), title="Découpe laser", subtitle="Réseau", colour="#c0392b"
    )
    with Image.open(io.BytesIO(png)) as card:
        assert card.size == (WIDTH, HEIGHT) == (1200, 630)
        pixels = card.convert("RGB")
        # (a card of flat colours is a 256-colour image: each colour within 2 levels)
        assert _near(pixels.getpixel((WIDTH - 5, 5)), (0xC0, 0x39, 0x2B))
        # the white disc behind the (here transparent) picture
        assert _near(pixels.getpixel((70 + 220, 315)), (255, 255, 255))


def _near(pixel: object, colour: tuple[int, int, int]) -> bool:
    assert isinstance(pixel, tuple)
    return all(abs(channel - wanted) <= 2 for channel, wanted in zip(pixel, colour, strict=True))


def test_a_card_of_flat_colours_is_a_palette_image_and_a_photograph_keeps_its_colours() -> None:
    """A default badge's card weighs a quarter in a 256-colour palette and looks the same; a
    badge whose own image is a photograph keeps every colour of it."""
    drawn = share_card_png(
        picture=None, title="Découpe laser", subtitle="1er pas", colour="#c0392b"
    )
    full = _unquantized_card("#c0392b")
    with Image.open(io.BytesIO(drawn)) as card:
        assert card.mode == "P"
        assert _mean_difference(card.convert("RGB"), full) < 1.5
    assert len(drawn) < len(_png(full)) / 2
    photograph = Image.effect_noise((600, 600), 64)
    photograph = Image.merge("RGB", (photograph, photograph.rotate(90), photograph.rotate(180)))
    picture = io.BytesIO()
    photograph.save(picture, "PNG")
    with Image.open(io.BytesIO(share_card_png(
        picture=picture.getvalue(), title="Découpe laser", subtitle="1er pas", colour="#c0392b"
    ))) as card:  # fmt: skip
        assert card.mode == "RGB"


def _unquantized_card(colour: str) -> Image.Image:
    """The same card as share_card_png draws, before its palette (drawn by its own code)."""
    from generator.drawing import share_card

    original = Image.Image.quantize
    try:
        Image.Image.quantize = lambda self, *_, **__: self  # type: ignore[method-assign]
        png = share_card.share_card_png(
            picture=None, title="Découpe laser", subtitle="1er pas", colour=colour
        )
    finally:
        Image.Image.quantize = original  # type: ignore[method-assign]
    with Image.open(io.BytesIO(png)) as card:
        return card.convert("RGB")


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG", compress_level=9)
    return buffer.getvalue()


def _mean_difference(first: Image.Image, second: Image.Image) -> float:
    histogram = ImageChops.difference(first, second).convert("L").histogram()
    return sum(value * count for value, count in enumerate(histogram)) / sum(histogram)


def test_share_images_are_kept_in_the_cache_store_and_reused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    network = load_network(ROOT, Problems())
    stated = {("decoupe-laser-premiers-pas", "revoked"), ("decoupe-laser-premiers-pas", "expired")}
    with Store(tmp_path / "cache.sqlite3") as store:
        first = draw_share_images(network, draw_badge_images(network, store), store, stated)
    languages = len(network.site.languages)
    # every badge's card, the site's, and the stated ones, in each language
    assert len(first) == (len(network.badges) + 1 + len(stated)) * languages
    asked: list[int] = []

    def recording(function: Any, items: Sequence[Any], **options: Any) -> Any:
        asked.append(len(items))
        return map_ordered(function, items, **options)

    monkeypatch.setattr(share_images, "map_ordered", recording)
    with Store(tmp_path / "cache.sqlite3") as store:
        second = draw_share_images(network, draw_badge_images(network, store), store, stated)
    assert asked == [0, 0], "a share image was drawn again"
    assert {k: v.data for k, v in second.items()} == {k: v.data for k, v in first.items()}

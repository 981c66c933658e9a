"""Share images: the 1200 x 630 cards a link to the site shows on social networks (og:image).

One per badge and language (the badge's image on its domain's colour, with its name in that
language), and one per language for the pages about no badge (the network's name and
description). A badge of which an award is revoked or expired has one more per state and
language, for these awards' pages: its card greyed, with the state stamped across it in the
page's language (the theme's word, as on the printed certificate), at an address of its own
(urls.py), so that a social network that kept the card of the valid award shows the new one
once it reads the page again. Like the default badge images (badge_images.py), each is drawn
once and kept in the cache store under what it is drawn from (the store's keys hold the
drawing code), drawn on all the cores when several are missing; rendering receives them and
stays pure.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from generator.cache import SHARE_IMAGES, Store, entry_key
from generator.drawing.share_card import HEIGHT, WIDTH, share_card_png, stamped_card_png
from generator.parallel import map_ordered
from generator.site.draw.badge_images import BadgeImage
from generator.site.model.awards import Award
from generator.site.model.imported import EarlierAward
from generator.site.model.network import Badge, Network
from generator.site.model.urls import Urls

# The cache store's namespace of share images.
# Drawing two cards is already worth a second process (each takes ~0.2 s).
MIN_PARALLEL_DRAWINGS = 2
# Pictures Pillow reads as they are (an SVG badge or logo leaves the card without a picture).
RASTER = ("png", "jpg", "jpeg", "webp")
# The states an award's card says, with the theme's word for each (the certificate's stamp,
# theme/templates/partials/certificate.html, translated by the theme's catalogues) and its
# ink (the colour of the award page's status box, theme/static/style.css).
STAMPS = {"revoked": ("RÉVOQUÉ", "#b3261e"), "expired": ("EXPIRÉ", "#8a6d00")}


@dataclass(frozen=True)
class ShareImage:
    """A share image: where it is published, its bytes, its size and its text alternative."""

    path: str
    data: bytes
    alt: str
    width: int = WIDTH
    height: int = HEIGHT


@dataclass(frozen=True)
class _Card:
    """What one card is drawn from."""

    picture: bytes | None
    title: str
    subtitle: str
    colour: str

    def key(self) -> str:
        picture = hashlib.sha256(self.picture).hexdigest() if self.picture is not None else ""
        return entry_key(SHARE_IMAGES, picture, self.title, self.subtitle, self.colour)

    def draw(self) -> bytes:
        return share_card_png(
            picture=self.picture, title=self.title, subtitle=self.subtitle, colour=self.colour
        )


@dataclass(frozen=True)
class _StampedCard:
    """What the card of a revoked or expired award is drawn from: its badge's valid card."""

    card: bytes
    word: str
    ink: str

    def key(self) -> str:
        card = hashlib.sha256(self.card).hexdigest()
        return entry_key(SHARE_IMAGES, "stamped", card, self.word, self.ink)

    def draw(self) -> bytes:
        return stamped_card_png(self.card, self.word, self.ink)


ShareKey = tuple[str | None, str, str]  # (badge slug, or None for the site; language; state)
Stamps = Mapping[tuple[str, str], str]  # (state, language) -> the word stamped on the card


def stated_badges(
    awards: Iterable[Award], earlier: Iterable[EarlierAward], now: datetime
) -> frozenset[tuple[str, str]]:
    """The (badge slug, state) of the awards (signed, and earlier) that are revoked or expired
    at a moment: the cards that say so are drawn for these badges only."""
    states = {(award.badge.slug, award.status(now)) for award in awards}
    states |= {(award.badge, award.status(now)) for award in earlier}
    return frozenset(state for state in states if state[1] in STAMPS)


def draw_share_images(
    network: Network,
    images: Mapping[str, BadgeImage],
    store: Store,
    stated: Iterable[tuple[str, str]] = (),
    stamps: Stamps | None = None,
) -> dict[ShareKey, ShareImage]:
    """Every share image, by (badge slug or None, language, state): from the store, or drawn
    and put in it; the valid card of every badge and of the site, and the card of each
    (badge, state) stated (stated_badges), with the word of stamps, by default the theme's
    French one."""
    cards: dict[ShareKey, tuple[_Card, str, str]] = {}  # -> card, path, alt
    site = network.site
    for language in site.languages:
        for slug, badge in sorted(network.badges.items()):
            cards[slug, language, "valid"] = _badge_card(network, badge, images[slug], language)
        logo = site.logo if site.logo and site.logo.extension in RASTER else None
        description = site.description.get(language) if site.description else ""
        card = _Card(logo.data if logo else None, site.name, description, site.colours.primary)
        alt = f"{site.name} — {description}" if description else site.name
        cards[None, language, "valid"] = (card, Urls.site_share_image(language), alt)
    drawn = _drawn(store, {key: card for key, (card, _, _) in cards.items()})
    shares = {key: ShareImage(path, drawn[key], alt) for key, (_, path, alt) in cards.items()}
    stamped: dict[ShareKey, tuple[_StampedCard, str, str]] = {}  # -> card, path, alt
    for badge_slug, state in sorted(stated):
        for language in site.languages if badge_slug in network.badges else ():
            word = (stamps or {}).get((state, language), STAMPS[state][0])
            valid = (badge_slug, language, "valid")
            path = Urls.badge_share_image(badge_slug, language, state)
            alt = f"{shares[valid].alt} — {word.capitalize()}"
            stamp = _StampedCard(drawn[valid], word, STAMPS[state][1])
            stamped[badge_slug, language, state] = (stamp, path, alt)
    drawn = _drawn(store, {key: card for key, (card, _, _) in stamped.items()})
    shares |= {key: ShareImage(path, drawn[key], alt) for key, (_, path, alt) in stamped.items()}
    return shares


def _drawn(store: Store, cards: Mapping[ShareKey, _Card | _StampedCard]) -> dict[ShareKey, bytes]:
    """The PNG of each card: from the store, or drawn (on all the cores) and put in it."""
    keys = {share_key: card.key() for share_key, card in cards.items()}
    found = {key: store.get(SHARE_IMAGES, key) for key in keys.values()}
    missing = sorted({keys[k]: card for k, card in cards.items() if found[keys[k]] is None}.items())
    for chunk in map_ordered(_draw, missing, chunk_size=1, min_items=MIN_PARALLEL_DRAWINGS):
        for key, png in chunk:
            found[key] = png
            store.put(SHARE_IMAGES, key, png)
    drawn = {}
    for share_key, key in keys.items():
        data = found[key]
        assert data is not None, f"share image {share_key} was neither cached nor drawn"
        drawn[share_key] = data
    return drawn


def _badge_card(
    network: Network, badge: Badge, image: BadgeImage, language: str
) -> tuple[_Card, str, str]:
    domain = network.skills.domain(badge.domain) if badge.domain else None
    colour = domain.colour if domain else network.site.colours.primary
    picture = image.data if image.path.rsplit(".", 1)[-1] in RASTER else None
    name = badge.name.get(language)
    card = _Card(picture, name, f"{network.site.name} · Open Badge", colour)
    return card, Urls.badge_share_image(badge.slug, language), name


def _draw(missing: Sequence[tuple[str, _Card | _StampedCard]]) -> list[tuple[str, bytes]]:
    """Cards drawn (in a worker process, or not)."""
    return [(key, card.draw()) for key, card in missing]

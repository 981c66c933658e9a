"""The network's model as Open Badges documents: the one place the site maps its model onto
openbadges/.

openbadges/ shapes documents from plain data and knows nothing of the site; here each
structure, badge and award of the model is given its ids (from urls.py) and its texts (in the
network's language). What is published and what is embedded in signed credentials are made
by the same functions, so they cannot drift apart.
"""

from __future__ import annotations

from typing import Any

from generator.openbadges import ob2, ob3
from generator.site.model.network import Badge, Issuer, Network
from generator.site.model.urls import Urls
from generator.site.render.aligned_skills import alignment_views


def issuer_profile_ob2(network: Network, issuer: Issuer, urls: Urls) -> dict[str, Any]:
    """A structure's OB 2.0 Issuer profile, allowing assertions under the site's base URL."""
    return ob2.issuer_profile(
        profile_id=urls.absolute(urls.issuer_profile_ob2(issuer.slug)),
        name=issuer.name,
        url=issuer.url,
        email=issuer.email,
        description=issuer.description.get(network.site.language),
        image_id=_logo(issuer, urls),
        assertions_under=network.site.base_url,
    )


def issuer_profile_ob3(
    network: Network, issuer: Issuer, urls: Urls, *, with_context: bool = True
) -> dict[str, Any]:
    """A structure's (or the network's) OB 3.0 Profile, as published and as a badge's creator."""
    return ob3.profile(
        profile_id=urls.absolute(urls.issuer_profile_ob3(issuer.slug)),
        name=issuer.name,
        url=issuer.url,
        email=issuer.email,
        description=issuer.description.get(network.site.language),
        image_id=_logo(issuer, urls),
        street_address=issuer.address,
        coordinates=(
            (issuer.coordinates.lat, issuer.coordinates.lon) if issuer.coordinates else None
        ),
        with_context=with_context,
    )


def credential_issuer(issuer: Issuer, urls: Urls) -> dict[str, Any]:
    """A structure as the credentials it signs name it: its did:web id, name, URL and email."""
    return ob3.profile(
        profile_id=urls.did(issuer.slug),
        name=issuer.name,
        url=issuer.url,
        email=issuer.email,
        with_context=False,
    )


def badge_class(
    network: Network, issuer: Issuer, badge: Badge, urls: Urls, image_path: str
) -> dict[str, Any]:
    """The OB 2.0 BadgeClass of a badge as awarded by one structure."""
    language = network.site.language
    return ob2.badge_class(
        class_id=urls.absolute(urls.badge_class(issuer.slug, badge.slug)),
        name=badge.name.get(language),
        description=badge.description.get(language),
        image_id=urls.absolute(image_path),
        criteria_id=urls.absolute(urls.badge_page(badge.slug, language)),
        criteria_narrative=badge.criteria.get(language),
        issuer_id=urls.absolute(urls.issuer_profile_ob2(issuer.slug)),
        achievement_id=urls.absolute(urls.achievement(badge.slug)),
        tags=_tags(network, badge),
        alignments=alignments(badge, language),
    )


def achievement(
    network: Network, badge: Badge, urls: Urls, image_path: str, *, with_context: bool = True
) -> dict[str, Any]:
    """The OB 3.0 Achievement of a badge, created by the network or by its owning structure."""
    language = network.site.language
    creator = network.issuers[network.site.network if badge.is_network_badge else badge.scope]
    return ob3.achievement(
        achievement_id=urls.absolute(urls.achievement(badge.slug)),
        name=badge.name.get(language),
        description=badge.description.get(language),
        criteria_id=urls.absolute(urls.badge_page(badge.slug, language)),
        criteria_narrative=badge.criteria.get(language),
        image_id=urls.absolute(image_path),
        creator=issuer_profile_ob3(network, creator, urls, with_context=False),
        language=language,
        tags=_tags(network, badge),
        alignments=alignments(badge, language),
        with_context=with_context,
        achievement_type=badge.achievement_type or "Badge",
        human_code=badge.human_code,
        field_of_study=badge.field_of_study.get(language) if badge.field_of_study else None,
        credits_available=badge.credits_available,
    )


def _logo(issuer: Issuer, urls: Urls) -> str | None:
    """The absolute URL of a structure's logo, if it has one."""
    if issuer.logo is None:
        return None
    return urls.absolute(urls.issuer_logo(issuer.slug, issuer.logo.extension))


def _tags(network: Network, badge: Badge) -> list[str]:
    """A badge's tags, its place in the skill taxonomy named in the network's language."""
    language = network.site.language
    domain = network.skills.domain(badge.domain) if badge.domain else None
    level = network.skills.level(badge.level) if badge.level else None
    return ob2.badge_tags(
        domain=domain.name.get(language) if domain else None,
        level=level.name.get(language) if level else None,
        tags=badge.tags,
    )


def alignments(badge: Badge, language: str) -> list[ob2.Alignment]:
    """A badge's alignments with skill frameworks, in a language: a known framework's entry
    is named as Open Badges documents name it, its page and type found from its code."""
    return [
        ob2.Alignment(
            name=view.alignment.name.get(language),
            url=view.url,
            description=(
                view.alignment.description.get(language) if view.alignment.description else None
            ),
            framework=view.framework_name,
            code=view.alignment.code,
            target_type=view.target_type,
        )
        for view in alignment_views(badge)
    ]

"""Open Badges 2.0 documents (hosted verification): Issuer profiles and BadgeClasses.

Spec: https://www.imsglobal.org/spec/ob/v2p0/ . Every `id` is the absolute URL at which the
document is served; a verifier fetches it and refetches if the body declares another id.
"""

from __future__ import annotations

from typing import Any

from generator.site.model import Badge, Issuer, Network
from generator.site.urls import Urls

CONTEXT = "https://w3id.org/openbadges/v2"


def issuer_profile(network: Network, issuer: Issuer, urls: Urls) -> dict[str, Any]:
    """The OB 2.0 Issuer profile of a structure, allowing assertions under the site's base URL."""
    language = network.site.language
    profile: dict[str, Any] = {
        "@context": CONTEXT,
        "type": "Issuer",
        "id": urls.absolute(urls.issuer_profile_ob2(issuer.slug)),
        "name": issuer.name,
        "url": issuer.url,
        "email": issuer.email,
        "description": issuer.description.get(language),
        # On a project site (org.github.io/repo/) the host is shared with other repos, so
        # hosted assertions are scoped by URL prefix rather than by origin.
        "verification": {"type": "VerificationObject", "startsWith": [network.site.base_url]},
    }
    if issuer.logo:
        profile["image"] = urls.absolute(urls.issuer_logo(issuer.slug, issuer.logo.extension))
    return profile


def badge_class(
    network: Network, issuer: Issuer, badge: Badge, urls: Urls, image_path: str
) -> dict[str, Any]:
    """The OB 2.0 BadgeClass of a badge as awarded by one structure (one issuer per BadgeClass)."""
    language = network.site.language
    document: dict[str, Any] = {
        "@context": CONTEXT,
        "type": "BadgeClass",
        "id": urls.absolute(urls.badge_class(issuer.slug, badge.slug)),
        "name": badge.name.get(language),
        "description": badge.description.get(language),
        "image": urls.absolute(image_path),
        "criteria": {
            "id": urls.absolute(urls.badge_page(badge.slug, language)),
            "narrative": badge.criteria.get(language),
        },
        "issuer": urls.absolute(urls.issuer_profile_ob2(issuer.slug)),
        # The shared definition this structure's BadgeClass derives from.
        "related": [{"id": urls.absolute(urls.achievement(badge.slug))}],
    }
    tags = badge_tags(network, badge)
    if tags:
        document["tags"] = tags
    if badge.alignments:
        document["alignment"] = [
            _drop_none(
                {
                    "targetName": alignment.name,
                    "targetUrl": alignment.url,
                    "targetDescription": alignment.description,
                    "targetFramework": alignment.framework,
                    "targetCode": alignment.code,
                }
            )
            for alignment in badge.alignments
        ]
    return document


def badge_tags(network: Network, badge: Badge) -> list[str]:
    """A badge's tags: its domain and level names, then its own tags."""
    language = network.site.language
    tags = []
    if badge.domain and (domain := network.skills.domain(badge.domain)):
        tags.append(domain.name.get(language))
    if badge.level and (level := network.skills.level(badge.level)):
        tags.append(level.name.get(language))
    return tags + [tag for tag in badge.tags if tag not in tags]


def _drop_none(mapping: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in mapping.items() if value is not None}

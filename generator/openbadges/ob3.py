"""Open Badges 3.0 documents: Profiles and Achievements.

Spec: https://www.imsglobal.org/spec/ob/v3p0/ . Network badges are defined once: the network
is the Achievement's `creator`, and each structure is the issuer of what it awards.
"""

from __future__ import annotations

from typing import Any

from generator.openbadges.ob2 import badge_tags
from generator.site.model import Badge, Issuer, Network
from generator.site.urls import Urls

CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]


def profile(
    network: Network, issuer: Issuer, urls: Urls, *, with_context: bool = True
) -> dict[str, Any]:
    """The OB 3.0 Profile of a structure (or of the network)."""
    document: dict[str, Any] = {"@context": CONTEXT} if with_context else {}
    document |= {
        "id": urls.absolute(urls.issuer_profile_ob3(issuer.slug)),
        "type": ["Profile"],
        "name": issuer.name,
        "url": issuer.url,
        "email": issuer.email,
        "description": issuer.description.get(network.site.language),
    }
    if issuer.logo:
        document["image"] = {
            "id": urls.absolute(urls.issuer_logo(issuer.slug, issuer.logo.extension)),
            "type": "Image",
        }
    if issuer.address or issuer.coordinates:
        address: dict[str, Any] = {"type": ["Address"]}
        if issuer.address:
            address["streetAddress"] = issuer.address
        if issuer.coordinates:
            address["geo"] = {
                "type": "GeoCoordinates",
                "latitude": issuer.coordinates.lat,
                "longitude": issuer.coordinates.lon,
            }
        document["address"] = address
    return document


def achievement(
    network: Network, badge: Badge, urls: Urls, image_path: str, *, with_context: bool = True
) -> dict[str, Any]:
    """The OB 3.0 Achievement of a badge, created by the network or by its owning structure."""
    language = network.site.language
    creator_slug = network.site.network if badge.is_network_badge else badge.scope
    document: dict[str, Any] = {"@context": CONTEXT} if with_context else {}
    document |= {
        "id": urls.absolute(urls.achievement(badge.slug)),
        "type": ["Achievement"],
        "achievementType": "Badge",
        "name": badge.name.get(language),
        "description": badge.description.get(language),
        "criteria": {
            "id": urls.absolute(urls.badge_page(badge.slug, language)),
            "narrative": badge.criteria.get(language),
        },
        "image": {"id": urls.absolute(image_path), "type": "Image"},
        "creator": profile(network, network.issuers[creator_slug], urls, with_context=False),
        "inLanguage": language,
    }
    tags = badge_tags(network, badge)
    if tags:
        document["tag"] = tags
    if badge.alignments:
        document["alignment"] = [
            {
                key: value
                for key, value in {
                    "type": ["Alignment"],
                    "targetName": alignment.name,
                    "targetUrl": alignment.url,
                    "targetDescription": alignment.description,
                    "targetFramework": alignment.framework,
                    "targetCode": alignment.code,
                }.items()
                if value is not None
            }
            for alignment in badge.alignments
        ]
    return document

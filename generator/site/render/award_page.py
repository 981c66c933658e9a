"""The page of an award: the badge, its earner and state first, what it attests, how to share
it and how to verify it, in every language (theme/templates/award.html)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import partial
from typing import Any

from generator.openbadges.credential import recipient_identity
from generator.site.model.awards import Award
from generator.site.model.output import Output
from generator.site.render.pages import PageRenderer
from generator.site.render.sharing import linkedin_url


def render_award_page(renderer: PageRenderer, award: Award) -> Iterator[Output]:
    """The page of one award, in every language."""
    return renderer.render_each(
        "award.html",
        partial(renderer.urls.award_page, award.issuer.slug, award.slug),
        partial(award_context, renderer, award),
    )


def award_context(renderer: PageRenderer, award: Award, lang: str) -> dict[str, Any]:
    """What an award page shows and offers, in one language."""
    network, urls, images, now = renderer.network, renderer.urls, renderer.images, renderer.now
    all_pathways = renderer.pathways
    issuer, slug = award.issuer.slug, award.slug
    page_url = urls.absolute(urls.award_page(issuer, slug, lang))
    name = award.badge.name.get(lang)
    identity = recipient_identity(award.credential.document)
    png = images[award.badge.slug].endswith(".png")
    document = award.credential.document
    evidence = [e for e in document.get("evidence", []) if isinstance(e, dict)]
    achievement = signed_achievement(document)
    return {
        "award": award,
        "person": network.person_of(issuer, slug),
        "status": award.status(now),
        "issued_on": award.valid_from.date().isoformat(),
        "valid_until": award.valid_until.date().isoformat() if award.valid_until else None,
        "pathway": next((p for p in all_pathways if p.domain.slug == award.badge.domain), None),
        "page_url": page_url,
        "linkedin": linkedin_url(award, name, award.issuer.name, page_url),
        "qr": renderer.qr_codes.image(page_url, name),
        "salt": identity[0] if identity else "",
        "identity_hash": identity[1] if identity else "",
        "evidence": evidence,
        # the skills the credential was signed with: aligning the badge later changes no award
        "alignments": [
            a
            for a in achievement.get("alignment", [])
            if isinstance(a, dict) and a.get("targetName")
        ],
        "signed_language": achievement.get("inLanguage"),
        "baked": urls.baked_png(issuer, slug) if png else urls.baked_svg(issuer, slug),
        "baked_ob2_svg": None if png else urls.baked_svg_ob2(issuer, slug),
        "portfolio": urls.portfolio(person.slug, lang)
        if (person := network.person_of(issuer, slug)) and person.allows("portfolio")
        else None,
        "credential_url": urls.absolute(urls.credential(issuer, slug)),
        "credential_path": urls.credential(issuer, slug),
        "assertion_path": urls.assertion(issuer, slug),
    }


def signed_achievement(document: Mapping[str, Any]) -> Mapping[str, Any]:
    """The achievement an Open Badges 3.0 credential was signed with (empty if it has none)."""
    subject = document.get("credentialSubject")
    achievement = subject.get("achievement") if isinstance(subject, dict) else None
    return achievement if isinstance(achievement, dict) else {}

"""The machine-readable outputs of awards: credentials verbatim, OB 2.0 hosted assertions,
baked images, and each issuer's DID document, status list and revocation list."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping

from generator.openbadges.credential import (
    PublishedKey,
    did_document,
    hosted_assertion,
    revocation_list,
    revoked_assertion,
)
from generator.openbadges.png_baking import bake_png
from generator.openbadges.svg_baking import bake_svg_ob2, bake_svg_ob3
from generator.site.model.awards import Award, revocation_reason
from generator.site.model.network import Network
from generator.site.model.output import Output, json_bytes
from generator.site.model.urls import Urls

AwardKey = tuple[str, str]


def assertion_document(award: Award, urls: Urls, image_path: str) -> dict[str, object]:
    """The OB 2.0 hosted assertion of an award (the stripped body once revoked)."""
    assertion_id = urls.absolute(urls.assertion(award.issuer.slug, award.slug))
    if award.revocation is not None:
        return revoked_assertion(assertion_id, award.revocation.reason)
    return hosted_assertion(
        award.credential.document,
        assertion_id=assertion_id,
        badge_class_id=urls.absolute(urls.badge_class(award.issuer.slug, award.badge.slug)),
        image_id=urls.absolute(urls.baked_png(award.issuer.slug, award.slug))
        if image_path.endswith(".png")
        else urls.absolute(urls.baked_svg_ob2(award.issuer.slug, award.slug)),
    )


def compact_json(document: object) -> str:
    """A JSON document without the spaces of its layout."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


def render_award_files(
    awards: Mapping[AwardKey, Award],
    urls: Urls,
    images: Mapping[str, bytes],
    image_paths: Mapping[str, str],
) -> Iterator[Output]:
    """For every award: the credential verbatim, its OB 2.0 assertion and baked images (which
    carry both, compact)."""
    for (issuer, slug), award in sorted(awards.items()):
        image_path = image_paths[award.badge.slug]
        assertion = assertion_document(award, urls, image_path)
        yield Output(urls.credential(issuer, slug), award.credential.data)
        yield Output(urls.assertion(issuer, slug), json_bytes(assertion))
        # The images carry both documents as compact JSON: the same values as the published
        # files (the credential's signature covers its values, not its layout), one copy per
        # award made 0.7 KB lighter than the credential's file as its issuer wrote it.
        credential_text = compact_json(award.credential.document)
        assertion_text = compact_json(assertion)
        image = images[award.badge.slug]
        if image_path.endswith(".png"):
            baked = bake_png(
                image, {"openbadges": assertion_text, "openbadgecredential": credential_text}
            )
            yield Output(urls.baked_png(issuer, slug), baked)
        else:
            yield Output(urls.baked_svg(issuer, slug), bake_svg_ob3(image, credential_text))
            assertion_url = urls.absolute(urls.assertion(issuer, slug))
            yield Output(
                urls.baked_svg_ob2(issuer, slug), bake_svg_ob2(image, assertion_url, assertion_text)
            )


def render_trust_files(
    network: Network, awards: Mapping[AwardKey, Award], urls: Urls
) -> Iterator[Output]:
    """Each issuer's DID document and key history (and the coordinators' log they descend
    from), and its status list and revocation list once it awards."""
    revoked_by: dict[str, dict[str, str]] = {}
    for (issuer_slug, _), award in sorted(awards.items()):
        if award.revocation is not None:
            revoked_by.setdefault(issuer_slug, {})[str(award.credential.document["id"])] = (
                award.revocation.reason
            )
    # A revoked credential whose file was deleted stays listed: wallets still hold it.
    for issuer_slug, slug in network.revoked_and_deleted:
        reason = revocation_reason(network.revocations[(issuer_slug, slug)])
        revoked_by.setdefault(issuer_slug, {})[
            urls.absolute(urls.credential(issuer_slug, slug))
        ] = reason
    histories = network.authority.histories
    if network.authority.coordinators is not None:
        yield Output(urls.coordinators_log(), network.authority.coordinators.data)
    for slug, issuer in sorted(network.issuers.items()):
        if issuer.keys:
            keys = [PublishedKey(key.id, key.public_key_multibase) for key in issuer.keys]
            profile = urls.absolute(urls.issuer_profile_ob3(slug))
            yield Output(
                urls.did_document(slug), json_bytes(did_document(urls.did(slug), keys, profile))
            )
        if slug in histories:  # as it is: anyone can check it descends from its first key
            yield Output(urls.key_history(slug), histories[slug].data)
        status = network.status_lists.get(slug)
        if status is not None:
            yield Output(urls.status_list(slug), status.data)
            document = revocation_list(
                urls.absolute(urls.revocation_list(slug)), urls.did(slug), revoked_by.get(slug, {})
            )
            yield Output(urls.revocation_list(slug), json_bytes(document))

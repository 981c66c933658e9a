"""Endorsements as the site publishes them: each signed EndorsementCredential verbatim at its
stable URL, the endorsers' status lists and hosted DID documents, the `endorsement` list of the
endorsed Achievement or Profile, and what a badge's or a structure's page shows of them
("Recommandé par …"). Pure: no disk."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from generator.openbadges.credential import PublishedKey, did_document
from generator.site.model.awards import AwardStatus
from generator.site.model.endorsements import EndorsedKind, Endorsement
from generator.site.model.network import Network
from generator.site.model.output import Output, json_bytes
from generator.site.model.urls import Urls


def render_endorsement_files(
    network: Network, endorsements: Mapping[str, Endorsement], urls: Urls
) -> Iterator[Output]:
    """Every endorsement that verified (revoked and expired ones too: wallets hold them), each
    endorser's status list, and for an endorser whose DID the site hosts, its DID document,
    key history and logo."""
    for slug, endorsement in sorted(endorsements.items()):
        yield Output(urls.endorsement(slug), endorsement.credential.data)
    for endorser, status in sorted(network.endorsements.status_lists.items()):
        if any(item.endorser == endorser for item in endorsements.values()):
            yield Output(urls.endorsement_status_list(endorser), status.data)
    histories = network.authority.histories
    for slug, outside in sorted(network.endorsers.items()):
        if outside.logo:
            yield Output(urls.endorser_logo(slug, outside.logo.extension), outside.logo.data)
        if outside.did:
            continue  # its own domain publishes its DID document
        if outside.keys:
            keys = [PublishedKey(key.id, key.public_key_multibase) for key in outside.keys]
            document = did_document(urls.endorser_did(slug), keys, outside.url)
            yield Output(urls.endorser_did_document(slug), json_bytes(document))
        if slug in histories:
            yield Output(urls.endorser_key_history(slug), histories[slug].data)


def standing(
    endorsements: Mapping[str, Endorsement], endorsed: tuple[EndorsedKind, str], now: datetime
) -> list[Endorsement]:
    """The valid endorsements of a badge or a structure (revoked and expired ones never
    count), oldest first."""
    return sorted(
        (
            item
            for item in endorsements.values()
            if item.endorsed == endorsed and item.status(now) == "valid"
        ),
        key=lambda item: (item.valid_from, item.slug),
    )


def endorsement_documents(
    endorsements: Mapping[str, Endorsement], endorsed: tuple[EndorsedKind, str], now: datetime
) -> list[Mapping[str, Any]]:
    """The `endorsement` property of an Achievement or a Profile: its valid endorsements'
    credentials, as signed."""
    return [item.credential.document for item in standing(endorsements, endorsed, now)]


@dataclass(frozen=True)
class ShownEndorsement:
    """One endorsement as a page shows it."""

    endorser: str
    """The endorser's name."""
    endorser_link: str
    """Its page on the site (a structure's), else its own web site."""
    logo: str | None
    """The path of its logo on the site, if it has one."""
    comment: str
    """In Markdown (the template sanitises it)."""
    valid_from: datetime
    valid_until: datetime | None
    status: AwardStatus
    reason: str | None
    """Why it was revoked."""
    credential: str
    """The path of its signed credential."""


def shown_endorsements(
    network: Network,
    endorsements: Mapping[str, Endorsement],
    endorsed: tuple[EndorsedKind, str],
    urls: Urls,
    now: datetime,
    lang: str,
) -> list[ShownEndorsement]:
    """What a page says of the endorsements of a badge or a structure: the valid ones first,
    then those revoked or expired, shown as such; each oldest first."""
    shown = []
    for item in sorted(endorsements.values(), key=lambda e: (e.valid_from, e.slug)):
        if item.endorsed != endorsed:
            continue
        issuer = network.issuers.get(item.endorser)
        if issuer is not None:
            name, link = issuer.name, urls.link(urls.issuer_page(issuer.slug, lang))
            logo = urls.issuer_logo(issuer.slug, issuer.logo.extension) if issuer.logo else None
        else:
            endorser = network.endorsers[item.endorser]
            name, link = endorser.name, endorser.url
            logo = (
                urls.endorser_logo(endorser.slug, endorser.logo.extension)
                if endorser.logo
                else None
            )
        shown.append(
            ShownEndorsement(
                endorser=name,
                endorser_link=link,
                logo=logo,
                comment=item.comment,
                valid_from=item.valid_from,
                valid_until=item.valid_until,
                status=item.status(now),
                reason=item.revocation.reason if item.revocation else None,
                credential=urls.endorsement(item.slug),
            )
        )
    return sorted(shown, key=lambda e: e.status != "valid")

"""Who may sign an endorsement: the network and its structures with their issuer DID and the
keys their key histories prove, an outside endorser with the keys of the DID the site hosts
for it (its key history, proven the same way) or of its own domain's DID document, vendored
in the repository and checked here."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from generator.site.check.signatures import Consequence, Refused, Signer
from generator.site.load.endorsers import DID_DOCUMENT_SUFFIX, ENDORSERS
from generator.site.model.authority import KEY_HISTORY_SUFFIX, PublicKey
from generator.site.model.network import Endorser, Network
from generator.site.model.problems import Problems
from generator.site.model.urls import Urls

_EVER = datetime.min.replace(tzinfo=UTC)
"""A vendored DID document says nothing of when its keys were made: they count from always."""


def with_vendored_keys(network: Network, problems: Problems) -> Network:
    """The network with each endorser of its own domain's DID given the keys of its vendored
    DID document; an endorser whose slug is a structure's, or whose document does not hold
    together, is reported at its file."""
    endorsers = {}
    for slug, endorser in sorted(network.endorsers.items()):
        if slug in network.issuers or f"issuer:{slug}" in network.unreadable:
            problems.error(
                endorser.at(),
                f"'{slug}' is a structure of the network (content/issuers/{slug}.yaml), which "
                "endorses with its own profile and keys: remove this file, or rename it",
            )
        if endorser.did and endorser.did_document is not None:
            endorser = replace(endorser, keys=_vendored_keys(endorser, problems))
        endorsers[slug] = endorser
    return replace(network, endorsers=endorsers)


def _vendored_keys(endorser: Endorser, problems: Problems) -> tuple[PublicKey, ...]:
    assert endorser.did_document is not None
    document, where = endorser.did_document.document, endorser.did_document.at
    did = str(endorser.did)
    if document.get("id") != did:
        problems.error(
            where(("id",)),
            f"this DID document is of '{document.get('id')}', not of {did} (the 'did:' of "
            f"{endorser.source.path}); vendor the document {did} resolves to",
        )
        return ()
    methods = document.get("verificationMethod")
    asserting = document.get("assertionMethod")
    if not isinstance(methods, list) or not isinstance(asserting, list):
        problems.error(
            where(("verificationMethod" if not isinstance(methods, list) else "assertionMethod",)),
            "a DID document lists its keys in 'verificationMethod' and those that sign "
            "credentials in 'assertionMethod'; vendor the document as its domain publishes it",
        )
        return ()
    keys = []
    for index, method in enumerate(methods):
        if not isinstance(method, dict) or method.get("id") not in asserting:
            continue
        method_id = str(method.get("id"))
        fragment = method_id.removeprefix(did).removeprefix("#")
        if (
            not method_id.startswith(f"{did}#")
            or method.get("type") != "Multikey"
            or method.get("controller") != did
            or not str(method.get("publicKeyMultibase", "")).startswith("z6Mk")
        ):
            problems.error(
                where(("verificationMethod", index)),
                f"key '{method_id}' is not an Ed25519 Multikey of {did} (id '{did}#…', type "
                "Multikey, controller the DID, publicKeyMultibase 'z6Mk…'): the endorser "
                "signs with such a key",
            )
            continue
        keys.append(
            PublicKey(
                fragment,
                str(method["publicKeyMultibase"]),
                _EVER,
                None,
                None,
                where(("verificationMethod", index)),
            )
        )
    return tuple(keys)


def signer_of(network: Network, urls: Urls, slug: str) -> Signer:
    """Who signs the endorsements of assertions/<slug>/endorsements/: Refused when no
    structure nor endorser has that slug, Consequence when its file could not be read."""
    issuer = network.issuers.get(slug)
    if issuer is not None:
        return Signer.of(issuer, urls)
    endorser = network.endorsers.get(slug)
    if endorser is not None and endorser.did:
        return Signer(
            slug,
            endorser.did,
            endorser.keys,
            {},
            f"{ENDORSERS}/{slug}{DID_DOCUMENT_SUFFIX}",
            "DID document",
            "the endorser",
        )
    if endorser is not None:
        return Signer(
            slug,
            urls.endorser_did(slug),
            endorser.keys,
            endorser.unproven,
            f"{ENDORSERS}/{slug}{KEY_HISTORY_SUFFIX}",
            "key history",
            "the endorser",
        )
    if {f"issuer:{slug}", f"endorser:{slug}"} & network.unreadable:
        raise Consequence(f"the file of '{slug}' could not be read")
    raise Refused(
        f"folder assertions/{slug}/ is neither a structure of the network nor an endorser "
        f"({ENDORSERS}/{slug}.yaml)"
    )

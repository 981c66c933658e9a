"""Signatures: the proof of a signed file, made with a key its issuer published and that was
valid when it signed (Refused otherwise); proofs not yet in the cache verified across cores."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from generator import parallel
from generator.cache import VERIFIED_PROOFS, Store, entry_key
from generator.openbadges.dataintegrity import ProofError, proof_of, verify
from generator.openbadges.multikey import decode_public_key
from generator.site.model.authority import KEY_HISTORY_SUFFIX, PublicKey
from generator.site.model.network import Issuer, Network
from generator.site.model.signed import SignedFile
from generator.site.model.urls import Urls


class Refused(Exception):
    """A signed file that must not be published; the message says why, and `at` the path of
    the value at fault inside the document (empty: the document as a whole)."""

    def __init__(self, message: str, at: tuple[str | int, ...] = ()) -> None:
        super().__init__(message)
        self.at = at


# Where in a signed document a problem points (SignedFile.at gives the line of the value).
PROOF = ("proof",)
CREATED = ("proof", 0, "created")  # a proof set's first proof, or the proof itself
METHOD = ("proof", 0, "verificationMethod")
SUBJECT = ("credentialSubject",)
SUBJECT_ID = (*SUBJECT, "id")
ENCODED_LIST = (*SUBJECT, "encodedList")  # a status list's bits
STATUS = ("credentialStatus",)
STATUS_INDEX = (*STATUS, "statusListIndex")
VALID_FROM = ("validFrom",)
VALID_UNTIL = ("validUntil",)


class Consequence(Refused):
    """A refusal whose cause is a problem already reported at another file (the structure's
    or the badge's file could not be read): the build does not report it again."""


class VerifiedProofs:
    """Proofs known to verify: this build's, and earlier builds' kept in the cache store.

    Only the expensive, pure part is kept: "these exact bytes carry a valid eddsa-rdfc-2022
    proof for this exact public key". Its key is made of both (and, as every key of the
    store, of the generator's code), so a changed file, another key or a new verifier never
    reuses a result; key validity dates, compromised keys, badges, dates and status are
    checked again at every build. Only successes are recorded.
    """

    def __init__(self, store: Store) -> None:
        self._store = store
        # This build's own, also with a disabled store (--no-cache): the proofs verified
        # across the cores are not verified again by the checks that follow.
        self._verified: set[str] = set()

    @staticmethod
    def key(data: bytes, public_key_multibase: str) -> str:
        """The key of one verification: a file's bytes and a public key."""
        return entry_key(VERIFIED_PROOFS, public_key_multibase, data)

    def __contains__(self, key: str) -> bool:
        return key in self._verified or self._store.get(VERIFIED_PROOFS, key) is not None

    def add(self, key: str) -> None:
        """Remember a successful verification."""
        self._verified.add(key)
        self._store.put(VERIFIED_PROOFS, key, b"")


@dataclass(frozen=True)
class Signer:
    """Who may sign a document: a DID, the keys it is proven to hold, and where they are
    written (a structure's, the network's, or an endorser's)."""

    slug: str
    did: str
    keys: tuple[PublicKey, ...]
    unproven: Mapping[str, str]
    keys_file: str
    """Where its keys are said: its key history, or its vendored DID document."""
    keys_kind: str = "key history"
    who: str = "the structure"

    @classmethod
    def of(cls, issuer: Issuer, urls: Urls) -> Signer:
        """A structure (or the network) as a signer: its did:web and its key history's keys."""
        return cls(
            issuer.slug,
            urls.did(issuer.slug),
            issuer.keys,
            issuer.unproven,
            f"content/issuers/{issuer.slug}{KEY_HISTORY_SUFFIX}",
        )


@dataclass(frozen=True)
class Signature:
    """Who signed a document, with which key, when."""

    key: PublicKey
    created: datetime


def check_signature(
    document: Mapping[str, Any],
    issuer: Issuer | Signer,
    urls: Urls,
    cache: VerifiedProofs | None = None,
    data: bytes | None = None,
) -> Signature:
    """Verify a document's proof against the issuer's keys valid at the proof's date.

    With a cache and the file's bytes, a proof already verified for these bytes and this
    key is not canonicalised again; every other check still runs.
    """
    proof, key = signing_key(document, issuer, urls)
    created = parse_instant(str(proof["created"]), "proof created", CREATED)
    if key.compromised_at is not None and created >= key.compromised_at:
        raise Refused(
            f"signed on {proof['created']} with key '{key.id}', compromised since "
            f"{key.compromised_at.isoformat()}; delete this file and issue the badge again with the new key",
            CREATED,
        )
    if not key.valid_at(created):
        raise Refused(
            f"signed on {proof['created']} with key '{key.id}', which was not valid then "
            f"(valid from {key.valid_from.isoformat()}"
            + (f" until {key.valid_until.isoformat()}" if key.valid_until else "")
            + ")",
            CREATED,
        )
    cached = cache.key(data, key.public_key_multibase) if cache is not None and data else None
    if cache is None or cached is None or cached not in cache:
        try:
            verify(document, decode_public_key(key.public_key_multibase))
        except (ProofError, ValueError) as error:
            raise Refused(str(error), PROOF) from None
        if cache is not None and cached is not None:
            cache.add(cached)
    return Signature(key, created)


def signing_key(
    document: Mapping[str, Any], issuer: Issuer | Signer, urls: Urls
) -> tuple[dict[str, Any], PublicKey]:
    """The document's proof and the issuer's published key it names, or Refused."""
    signer = issuer if isinstance(issuer, Signer) else Signer.of(issuer, urls)
    try:
        proof = proof_of(document)
    except ProofError as error:
        raise Refused(str(error), PROOF) from None
    method = str(proof["verificationMethod"])
    did, _, fragment = method.partition("#")
    if did != signer.did:
        raise Refused(
            f"signed with '{method}', which is not a key of {signer.slug} ({signer.did}); "
            f"sign with {signer.who}'s own key",
            METHOD,
        )
    key = next((key for key in signer.keys if key.id == fragment), None)
    if key is None and fragment in signer.unproven:
        # Its key history's error says why, at the history: this is one of its consequences.
        raise Consequence(signer.unproven[fragment])
    if key is None:
        raise Refused(
            f"key '{fragment}' is not in {signer.slug}'s {signer.keys_kind} "
            f"({signer.keys_file}): no key of that name may sign for {signer.who}; sign "
            "with its current key",
            METHOD,
        )
    return proof, key


def parse_instant(text: str, what: str, at: tuple[str | int, ...] = ()) -> datetime:
    """An ISO 8601 date-time with a time zone, or Refused (at the path given)."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise Refused(f"{what} '{text}' is not an ISO 8601 date and time", at) from None
    if moment.tzinfo is None:
        raise Refused(f"{what} '{text}' has no time zone; verifiers reject it", at)
    return moment


def verify_proofs_ahead(network: Network, urls: Urls, cache: VerifiedProofs) -> None:
    """Verify, across the cores, the proofs that the cache does not know yet.

    Only proofs that verify are recorded; the checks that follow find them in the cache and
    still run every other rule. A proof that fails is verified again there, one by one, to
    say why (failures are rare, and that keeps one place for the messages).
    """
    pending: list[tuple[str, bytes, str]] = []
    signed_files = [
        *network.credentials.values(),
        *network.status_lists.values(),
        *network.revocations.values(),
    ]
    for signed in signed_files:
        issuer = network.issuers.get(signed.issuer)
        if issuer is None:
            continue
        try:
            _, key = signing_key(signed.document, issuer, urls)
        except Refused:
            continue
        entry = cache.key(signed.data, key.public_key_multibase)
        if entry not in cache:
            pending.append((entry, signed.data, key.public_key_multibase))
    if not parallel.pays_off(len(pending)):
        return  # cheaper in this process, during the checks themselves
    for verified in parallel.map_ordered(_verified_entries, pending, chunk_size=50):
        for entry in verified:
            cache.add(entry)


def _verified_entries(pending: Sequence[tuple[str, bytes, str]]) -> list[str]:
    """The cache entries of the proofs that verify (runs in a worker process)."""
    verified = []
    for entry, data, public_key_multibase in pending:
        try:
            verify(json.loads(data), decode_public_key(public_key_multibase))
        except (ProofError, ValueError):
            continue
        verified.append(entry)
    return verified


def structure_of(network: Network, signed: SignedFile) -> Issuer:
    """The structure whose folder holds a signed file; Consequence when its file could not be
    read (that is reported at the file), Refused when there is no such structure."""
    issuer = network.issuers.get(signed.issuer)
    if issuer is not None:
        return issuer
    if f"issuer:{signed.issuer}" in network.unreadable:
        raise Consequence(f"the file of structure '{signed.issuer}' could not be read")
    raise Refused(f"folder assertions/{signed.issuer}/ is not a structure of the network")

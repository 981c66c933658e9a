"""Credentials that carry the XSS corpus, signed by the structure's key: the fields a signing
structure controls (tests/xss_sites.py puts the corpus in the content files).

Credential i awards laser-debutant from atelier with payload i in every field below; a plain
credential i is revoked with payload i as the structure's reason. What the issue tool cannot
sign (text no UTF-8 can carry, an id that is not an IRI) gets the proof of the same document
with harmless values: the build meets the payload under a proof that does not cover it, as
from a structure signing with another tool.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from generator.openbadges import statuslist
from generator.openbadges.credential import revocation_record, status_list_credential
from generator.openbadges.dataintegrity import ProofError, sign

from .credential_fixtures import ATELIER_DID, BASE_URL, LASER_AT
from .xss_corpus import Payload
from .xss_sites import HARMLESS, Entity, Field, Files

JsonPath = tuple[str | int, ...]
SUBJECT: JsonPath = ("credentialSubject",)
ACHIEVEMENT: JsonPath = (*SUBJECT, "achievement")
# name: (where it is in the credential, its kind, how the build's refusal names it if it is
# one of the links the build checks).
_FIELDS: dict[str, tuple[JsonPath, str, str | None]] = {
    "credential.name": (("name",), "text", None),
    "credential.description": (("description",), "text", None),
    "credential.issuer.name": (("issuer", "name"), "text", None),
    "credential.issuer.url": (("issuer", "url"), "url", None),
    "achievement.name": ((*ACHIEVEMENT, "name"), "text", None),
    "achievement.description": ((*ACHIEVEMENT, "description"), "text", None),
    "achievement.criteria.narrative": ((*ACHIEVEMENT, "criteria", "narrative"), "markdown", None),
    "achievement.criteria.id": (
        (*ACHIEVEMENT, "criteria", "id"), "url", "achievement.criteria.id"
    ),
    "achievement.image.id": ((*ACHIEVEMENT, "image", "id"), "url", "achievement.image.id"),
    "achievement.tag": ((*ACHIEVEMENT, "tag", 0), "text", None),
    "achievement.alignment.targetName": (
        (*ACHIEVEMENT, "alignment", 0, "targetName"), "text", None
    ),
    "achievement.alignment.targetUrl": (
        (*ACHIEVEMENT, "alignment", 0, "targetUrl"), "url", "achievement.alignment[0].targetUrl"
    ),
    "credentialSubject.name": ((*SUBJECT, "name"), "text", None),
    "credentialSubject.narrative": ((*SUBJECT, "narrative"), "markdown", None),
    "credentialSubject.identifier.salt": ((*SUBJECT, "identifier", 0, "salt"), "text", None),
    "evidence.id": (("evidence", 0, "id"), "url", "evidence[0].id"),
    "evidence.name": (("evidence", 0, "name"), "text", None),
    "evidence.narrative": (("evidence", 0, "narrative"), "markdown", None),
    "evidence.description": (("evidence", 0, "description"), "text", None),
    "evidence.genre": (("evidence", 0, "genre"), "text", None),
    "evidence.audience": (("evidence", 0, "audience"), "text", None),
}  # fmt: skip
CREDENTIAL_FIELDS = {
    name: Field(50 + i, "credential", name, kind)
    for i, (name, (_, kind, _)) in enumerate(_FIELDS.items())
}
REVOCATION_FIELDS = {"revocation.reason": Field(75, "credential", "revocation.reason", "text")}
REVOKED_AT = "2025-06-01T10:00:00Z"


@dataclass(frozen=True)
class Signer:
    """A structure's key, to sign what it publishes as the issue tool does."""

    key: Ed25519PrivateKey
    method: str = f"{ATELIER_DID}#key-1"

    def sign(self, document: dict[str, Any], created: str = LASER_AT) -> dict[str, Any]:
        """The document with its proof."""
        return sign(document, self.key, self.method, created)

    def signed_json(
        self, document: dict[str, Any], harmless: dict[str, Any], created: str = LASER_AT
    ) -> tuple[bytes, str | None]:
        """The document signed, as JSON (ASCII: a lone surrogate stays an escape), and why
        the issue tool could not sign it, if it could not (it then has harmless's proof)."""
        try:
            signed, unsignable = self.sign(document, created), None
        except (ProofError, UnicodeEncodeError) as error:
            proof = self.sign(harmless, created)["proof"]
            signed, unsignable = {**document, "proof": proof}, str(error)
        return json.dumps(signed, indent=2).encode("ascii"), unsignable


def _set(document: Any, path: JsonPath, value: Any) -> None:
    *parents, last = path
    for key in parents:
        document = document[key]
    document[last] = value


def _dotted(path: JsonPath) -> str:
    """A JSON path as the build's messages write it: a.b[0].c."""
    return "".join(f"[{key}]" if isinstance(key, int) else f".{key}" for key in path)[1:]


def _names(path: JsonPath, message: str) -> bool:
    """Whether a message names the value at path (not one whose path ends the same)."""
    return (
        re.search(r"(?<![\w.\]])" + re.escape(_dotted(path)) + r"(?=[ ,;]|$)", message) is not None
    )


class Credential(Entity):
    """assertions/atelier/<slug>.json: laser-debutant awarded by atelier, signed by its key."""

    fields = CREDENTIAL_FIELDS

    def __init__(
        self,
        payload: Payload,
        template: dict[str, Any],
        signer: Signer,
        index: int,
        slug: str,
        *,
        plain: bool = False,
    ) -> None:
        self.template, self.signer, self.index, self.award_slug = template, signer, index, slug
        self.unsignable: str | None = None
        super().__init__(payload)
        if plain:  # harmless everywhere: the credential a revocation gives its reason for
            self.values = {name: HARMLESS[f.kind] for name, f in self.fields.items()}

    @property
    def path(self) -> str:
        """The credential file, relative to the site."""
        return f"assertions/atelier/{self.award_slug}.json"

    def document(self, values: dict[str, str]) -> dict[str, Any]:
        """The unsigned credential with these values, from the template's."""
        document: dict[str, Any] = json.loads(json.dumps(self.template))
        del document["proof"]
        document["id"] = f"{BASE_URL}awards/atelier/{self.award_slug}/credential.json"
        status = document["credentialStatus"]
        status["statusListIndex"] = str(self.index)
        status["id"] = f"{status['statusListCredential']}#{self.index}"
        document["evidence"] = [{"type": ["Evidence"]}]
        for name, (path, _, _) in _FIELDS.items():
            _set(document, path, values[name])
        return document

    def render(self) -> Files:
        harmless = {name: HARMLESS[f.kind] for name, f in self.fields.items()}
        content, self.unsignable = self.signer.signed_json(
            self.document(self.values), self.document(harmless)
        )
        return {self.path: (content, {})}

    def fields_at(self, path: str, line: int | None, message: str) -> list[str]:
        """The fields the refusal names; for a refusal that names none (a proof that does not
        match) of a credential the issue tool could not sign, the fields that made it so."""
        if path != self.path:
            return []
        named = [
            name
            for name, (where, _, refused_as) in _FIELDS.items()
            if (refused_as and message.startswith(f"{refused_as} is '")) or _names(where, message)
        ]
        if named or self.unsignable is None:
            return named
        return [
            name
            for name, (where, _, _) in _FIELDS.items()
            if _names(where, self.unsignable) or _has_surrogate(self.values[name])
        ]


def _has_surrogate(text: str) -> bool:
    return re.search("[\ud800-\udfff]", text) is not None


class Revocation(Entity):
    """A plain credential of atelier, revoked with the payload as the structure's reason."""

    fields = REVOCATION_FIELDS

    def __init__(self, payload: Payload, credential: Credential) -> None:
        self.credential = credential
        super().__init__(payload)

    @property
    def path(self) -> str:
        """The signed revocation record."""
        return f"assertions/atelier/revocations/{self.credential.award_slug}.json"

    def _record(self, reason: str) -> dict[str, Any]:
        return revocation_record(
            credential_id=f"{BASE_URL}awards/atelier/{self.credential.award_slug}/credential.json",
            issuer_did=ATELIER_DID,
            revoked_on=REVOKED_AT,
            reason=reason,
        )

    def render(self) -> Files:
        record, _ = self.credential.signer.signed_json(
            self._record(self.values["revocation.reason"]),
            self._record(HARMLESS["text"]),
            REVOKED_AT,
        )
        return {**self.credential.files(), self.path: (record, {})}

    def fields_at(self, path: str, line: int | None, message: str) -> list[str]:
        return ["revocation.reason"] if path == self.path else []


def status_list(signer: Signer, revoked: Iterable[int]) -> bytes:
    """atelier's signed status list with these indices revoked."""
    document = status_list_credential(
        list_id=f"{BASE_URL}issuers/atelier/status/revocation.json",
        issuer_did=ATELIER_DID,
        valid_from=REVOKED_AT,
        encoded_list=statuslist.encode_status_list(set(revoked)),
    )
    return json.dumps(signer.sign(document, REVOKED_AT), indent=2).encode("ascii")

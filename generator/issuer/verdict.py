"""`build.py verify`: check one badge the way an outside verifier would, and say it plainly.

A target is a credential file, a hosted URL (mapped onto a built site with --site: this
tool never fetches from the network), or a baked PNG/SVG. A credential is VALID only where
every rule of the build holds: with --site, the site must publish this very credential at
its id (the build published it only after checking every rule) and the keys and status
come from the site; without it, the badge is checked by the build's own rules against the
content repository (--source, or the one the command runs in), which must hold it
(content_verdict.py). Only a checked verdict is VALID, REVOKED, EXPIRED or INVALID: a
repository whose content does not load makes it UNCHECKED; what names no badge, or nothing
to check it against (a URL without a site, no such file, no repository and no site), gets no
verdict (targets.NothingToVerify, a usage error). Unlike the 1EdTech validator
(openbadges-validator-core #236), a revoked assertion is never called valid.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from generator.clock import build_time
from generator.issuer.content_verdict import (
    Content,
    checked_assertion,
    checked_credential,
    load_content,
)
from generator.issuer.targets import (
    BuiltSite,
    Invalid,
    Unchecked,
    built_site,
    json_file,
    read_target,
    site_file,
)
from generator.openbadges import statuslist
from generator.openbadges.credential import status_entry, status_problem
from generator.openbadges.dataintegrity import ProofError, proof_of, verify
from generator.openbadges.multikey import decode_public_key
from generator.site.check.signatures import Refused, parse_instant
from generator.site.model.urls import Urls

Status = Literal["valid", "revoked", "expired", "not yet valid", "invalid", "unchecked"]
# From the best to the worst: two verdicts on one badge (a PNG baked with both versions)
# give the worse.
_ORDER: tuple[Status, ...] = (
    "valid",
    "not yet valid",
    "expired",
    "revoked",
    "unchecked",
    "invalid",
)


@dataclass(frozen=True)
class Verdict:
    """The outcome of a verification, for a person."""

    status: Status
    detail: str
    name: str = ""

    def describe(self) -> str:
        """One line: what, and why."""
        what = f"{self.name}: " if self.name else ""
        return f"{what}{self.status.upper()} — {self.detail}"


def verify_target(target: str, *, site: Path | None, source: Path | None) -> Verdict:
    """Check a credential file, hosted URL or baked image against a built site, else the
    content repository source; never raise for a bad badge (NothingToVerify when the target
    names none, OSError when the system refuses to read a file)."""
    try:
        built = built_site(site) if site is not None else None
        documents = read_target(target, built)
        content = load_content(target, source) if built is None else None
        verdicts = [_verify_document(document, built, content) for document in documents]
        return max(verdicts, key=lambda verdict: _ORDER.index(verdict.status))
    except (Invalid, Refused) as problem:
        return Verdict("invalid", str(problem))
    except Unchecked as missing:
        return Verdict("unchecked", str(missing))
    except (AttributeError, TypeError, KeyError, IndexError, ValueError) as error:
        # A value of the wrong kind somewhere (a list where an object belongs...): no
        # verifier accepts it, and it is said as such, never as a crash.
        return Verdict("invalid", f"the document is malformed ({type(error).__name__}: {error})")


def _verify_document(
    document: dict[str, Any], site: BuiltSite | None, content: Content | None
) -> Verdict:
    if "OpenBadgeCredential" in (document.get("type") or []):
        return _check_credential(document, site, content)
    if document.get("type") == "Assertion":
        return _verify_assertion(document, site, content)
    raise Invalid("neither an Open Badges 3.0 credential nor an Open Badges 2.0 assertion")


def _check_credential(
    document: dict[str, Any], site: BuiltSite | None, content: Content | None
) -> Verdict:
    now = build_time()
    name = str(document.get("name", ""))
    if site is not None:
        revoked_reason = _verify_with_site(document, site)
    else:
        assert content is not None, "verify_target loads the content when it has no site"
        revoked_reason = checked_credential(document, content, now)
    return _dates_verdict(document, name, now, revoked_reason)


def _verify_with_site(document: dict[str, Any], site: BuiltSite) -> str | None:
    """Check the proof with the key the site publishes; the revocation reason, if revoked.

    The DID document lists every key the issuer ever used, without their validity dates; the
    build published the credential only after checking those dates (and compromised keys),
    so a credential is valid here only if the site publishes this very credential at its id.
    """
    issuer = document.get("issuer", {})
    did = issuer.get("id", "") if isinstance(issuer, dict) else ""
    did_url = Urls.did_document_url(did)
    if did_url is None:
        raise Invalid(f"issuer '{did}' is not a did:web identifier")
    did_document = json_file(site_file(did_url, site))
    try:
        method = proof_of(document)["verificationMethod"]
    except ProofError as error:
        raise Invalid(str(error)) from None
    key = next(
        (m for m in did_document.get("verificationMethod", []) if m.get("id") == method), None
    )
    if (
        key is None
        or method not in did_document.get("assertionMethod", [])
        or key.get("controller") != did
    ):
        raise Invalid(f"key {method} is not an assertion key of {did}")
    try:
        verify(document, decode_public_key(key["publicKeyMultibase"]))
    except (ProofError, ValueError) as error:
        raise Invalid(str(error)) from None
    published = json_file(site_file(str(document.get("id", "")), site))
    if published != document:
        raise Invalid("the site does not publish this credential at its id (the build refused it)")
    if problem := status_problem(document):
        raise Invalid(problem)
    entry = status_entry(document)
    assert entry is not None, "status_problem accepts only an entry status_entry reads"
    status_list = json_file(site_file(entry[0], site))
    if status_list.get("issuer") != did:
        raise Invalid("the status list is not issued by the credential's issuer")
    list_key = next(
        (
            m
            for m in did_document.get("verificationMethod", [])
            if m.get("id") == proof_of(status_list)["verificationMethod"]
        ),
        None,
    )
    if list_key is None:
        raise Invalid("the status list is not signed by a key of the issuer")
    try:
        verify(status_list, decode_public_key(list_key["publicKeyMultibase"]))
    except (ProofError, ValueError) as error:
        raise Invalid(f"status list: {error}") from None
    if not statuslist.is_set(str(status_list["credentialSubject"]["encodedList"]), entry[1]):
        return None
    return _revocation_reason(document, site)


def _revocation_reason(document: dict[str, Any], site: BuiltSite) -> str:
    """The reason published in the issuer's 1EdTech revocation list."""
    path = site.urls.path_of(str(document.get("id", "")))
    award = site.urls.award_of_file(path) if path is not None else None
    if award is None:
        return "no reason given"
    listed = json_file(site_file(site.urls.absolute(site.urls.revocation_list(award[0])), site))
    for item in listed.get("revokedCredentials", []):
        if item.get("id") == document.get("id"):
            return str(item.get("revocationReason", "no reason given"))
    return "no reason given"


def _dates_verdict(
    document: Mapping[str, Any], name: str, now: datetime, revoked: str | None
) -> Verdict:
    if revoked is not None:
        return Verdict("revoked", f"revoked by its issuer: {revoked}", name)
    valid_from = parse_instant(str(document.get("validFrom")), "validFrom")
    if valid_from > now:
        return Verdict("not yet valid", f"valid from {document['validFrom']}", name)
    if "validUntil" in document and parse_instant(str(document["validUntil"]), "validUntil") <= now:
        return Verdict("expired", f"expired on {document['validUntil']}", name)
    issuer = document.get("issuer", {})
    who = issuer.get("name", issuer.get("id")) if isinstance(issuer, dict) else issuer
    return Verdict(
        "valid", f"signature verified, issued by {who} on {document.get('validFrom')}", name
    )


def _verify_assertion(
    assertion: dict[str, Any], site: BuiltSite | None, content: Content | None
) -> Verdict:
    """Hosted verification: the assertion at its id is the truth; its credential is checked
    too. Without a site, the assertion must be the one the build derives from the credential."""
    if site is None:
        assert content is not None, "verify_target loads the content when it has no site"
        now = build_time()
        credential, reason = checked_assertion(assertion, content, now)
        if credential is None:
            return Verdict("revoked", f"revoked by its issuer: {reason}")
        return _dates_verdict(credential, str(credential.get("name", "")), now, reason)
    assertion_id = str(assertion.get("id", ""))
    hosted = json_file(site_file(assertion_id, site))
    if hosted.get("id") != assertion_id:
        raise Invalid(f"the hosted assertion declares another id, {hosted.get('id')}")
    if hosted.get("revoked") is True:
        return Verdict(
            "revoked", f"revoked by its issuer: {hosted.get('revocationReason', 'no reason given')}"
        )
    path = site.urls.path_of(assertion_id)
    award = site.urls.award_of_file(path) if path is not None else None
    if award is None:
        raise Invalid(f"{assertion_id} is not the assertion of an award of this site")
    credential_url = site.urls.absolute(site.urls.credential(*award))
    verdict = _check_credential(json_file(site_file(credential_url, site)), site, content)
    expires = hosted.get("expires")
    if (
        verdict.status == "valid"
        and expires
        and parse_instant(str(expires), "expires") <= build_time()
    ):
        return Verdict("expired", f"expired on {expires}", verdict.name)
    return verdict

"""`build.py verify`: check one badge the way an outside verifier would, and say it plainly.

A target is a credential file, a hosted URL (mapped onto a built site with --site: this
tool never fetches from the network), or a baked PNG/SVG. A credential is VALID only where
every rule of the build holds: with --site, the site must publish this very credential at
its id (the build published it only after checking every rule) and the keys and status
come from the site; without it, the credential is checked by the build's own rules against
the content repository (--source, or the one the command runs in), which must hold it.
Whatever cannot be checked makes the verdict say so, never VALID; what names no badge (a
URL without a site, no such file) gets no verdict (targets.NothingToVerify). Unlike the 1EdTech validator
(openbadges-validator-core #236), a revoked assertion is never called valid.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from generator.issuer.targets import (
    BuiltSite,
    Invalid,
    Unchecked,
    built_site,
    json_file,
    needed,
    read_target,
    site_file,
)
from generator.openbadges import statuslist
from generator.openbadges.credential import status_entry, status_problem
from generator.openbadges.dataintegrity import ProofError, proof_of, verify
from generator.openbadges.multikey import decode_public_key
from generator.site.build import build_time
from generator.site.check.authority import prove_keys
from generator.site.check.credentials import check_credential
from generator.site.check.signatures import Refused, check_signature, parse_instant
from generator.site.load.network import load_network
from generator.site.model import SignedFile
from generator.site.problems import BuildFailed, Location, Problems
from generator.site.urls import Urls

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
        verdicts = [_verify_document(document, built, source) for document in documents]
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
    document: dict[str, Any], site: BuiltSite | None, source: Path | None
) -> Verdict:
    if "OpenBadgeCredential" in (document.get("type") or []):
        return _check_credential(document, site, source)
    if document.get("type") == "Assertion":
        return _verify_assertion(document, site, source)
    raise Invalid("neither an Open Badges 3.0 credential nor an Open Badges 2.0 assertion")


def _check_credential(
    document: dict[str, Any], site: BuiltSite | None, source: Path | None
) -> Verdict:
    now = build_time()
    name = str(document.get("name", ""))
    if site is not None:
        revoked_reason = _verify_with_site(document, site)
    else:
        revoked_reason = _verify_with_content(document, source, now)
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


def _verify_with_content(
    document: dict[str, Any], source: Path | None, now: datetime
) -> str | None:
    """Check the credential by every rule of the build, against the content repository that
    must hold it; the revocation reason, if it is revoked."""
    if source is None:
        raise Unchecked(
            f"no content repository in {Path.cwd()} nor above it to check the credential "
            "against; give --source the network's repository, or --site a site it built"
        )
    problems = Problems()
    network = None
    try:
        network = load_network(source, problems)
    except BuildFailed as failed:
        problems.extend(failed.problems)
    if network is None or problems.has_errors or not network.issuers:
        first = next((str(p) for p in problems.sorted() if p.severity == "error"), "no structure")
        raise Unchecked(
            f"no network's content in {source} to check the credential against ({first}); give "
            "--source the network's repository, or --site a site it built"
        )
    # A key history's errors do not stop the verdict: a key it does not prove signs nothing.
    network = prove_keys(network, Problems())
    urls = Urls(network.site.base_url, network.site.language)
    issuer_id = (
        document.get("issuer", {}).get("id") if isinstance(document.get("issuer"), dict) else None
    )
    issuer = next((i for slug, i in network.issuers.items() if urls.did(slug) == issuer_id), None)
    if issuer is None:
        raise Invalid(f"issuer '{issuer_id}' is not a structure of this network")
    credential_id = str(document.get("id", ""))
    path = urls.path_of(credential_id)
    award = urls.award_of_file(path) if path is not None else None
    if award is None or award[0] != issuer.slug:
        raise Invalid(
            f"id '{credential_id}' is not the URL of a credential of {issuer.slug} on this "
            f"network's site ({urls.base_url})"
        )
    # Not yet valid is a verdict of its own (below), not a refusal.
    valid_from = parse_instant(str(document.get("validFrom")), "validFrom")
    signed = SignedFile(*award, document, b"", Location(credential_id))
    check_credential(network, urls, max(now, valid_from), signed)
    held = network.credentials.get(award)
    if held is None or held.document != document:
        state = "does not hold" if held is None else "holds another version of"
        raise Invalid(
            f"the network {state} this credential (assertions/{award[0]}/{award[1]}.json): "
            "its site does not publish it"
        )
    revocation = network.revocations.get(award)
    if revocation is None:
        return None
    if revocation.document.get("credentialSubject", {}).get("id") != credential_id:
        raise Invalid(
            f"assertions/{award[0]}/revocations/{award[1]}.json revokes another credential: "
            "the build refuses the network (run build.py check)"
        )
    check_signature(revocation.document, issuer, urls)
    return str(revocation.document.get("description", ""))


def _dates_verdict(
    document: dict[str, Any], name: str, now: datetime, revoked: str | None
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
    assertion: dict[str, Any], site: BuiltSite | None, source: Path | None
) -> Verdict:
    """Hosted verification: the assertion at its id is the truth; its credential is checked too."""
    assertion_id = str(assertion.get("id", ""))
    site = needed(site, assertion_id)
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
    verdict = _check_credential(json_file(site_file(credential_url, site)), site, source)
    expires = hosted.get("expires")
    if (
        verdict.status == "valid"
        and expires
        and parse_instant(str(expires), "expires") <= build_time()
    ):
        return Verdict("expired", f"expired on {expires}", verdict.name)
    return verdict

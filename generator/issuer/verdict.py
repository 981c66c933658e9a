"""`build.py verify`: check one badge the way an outside verifier would, and say it plainly.

A target is a credential file, a hosted URL (mapped onto a built site with --site: this
tool never fetches from the network), or a baked PNG/SVG. A credential is VALID only where
every rule of the build holds: with --site, the site must publish this very credential at
its id (the build published it only after checking every rule) and the keys and status
come from the site; without it, the credential is checked by the build's own rules against
the content repository (--source), which must hold it. Whatever cannot be checked makes
the verdict say so, never VALID. Unlike the 1EdTech validator
(openbadges-validator-core #236), a revoked assertion is never called valid.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from generator.openbadges import statuslist
from generator.openbadges.baking import BakingError
from generator.openbadges.credential import status_entry, status_problem
from generator.openbadges.dataintegrity import ProofError, proof_of, verify
from generator.openbadges.multikey import decode_public_key
from generator.openbadges.png_baking import unbake_png
from generator.openbadges.svg_baking import unbake_svg
from generator.site.build import build_time
from generator.site.check.credentials import check_credential
from generator.site.check.signatures import Refused, check_signature, parse_instant
from generator.site.load.json_strict import JsonRefused, loads_strict
from generator.site.load.network import load_network
from generator.site.load.repository import MAX_FILE_BYTES
from generator.site.model import SignedFile
from generator.site.problems import BuildFailed, Location, Problems
from generator.site.urls import Urls

Status = Literal["valid", "revoked", "expired", "not yet valid", "invalid", "unchecked"]
# From the best to the worst: two verdicts on one badge (a PNG baked with both versions)
# give the worse.
_ORDER: tuple[Status, ...] = ("valid", "not yet valid", "expired", "revoked", "unchecked", "invalid")


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


class _Invalid(Exception):
    pass


class _Unchecked(Exception):
    """What the verdict could not check (no content repository...): never VALID."""


@dataclass(frozen=True)
class _Site:
    """A built site (--site): its folder, and the URL scheme of its base URL."""

    folder: Path
    urls: Urls


def verify_target(target: str, *, site: Path | None, source: Path) -> Verdict:
    """Check a credential file, hosted URL or baked image; never raise for a bad badge."""
    try:
        built = _built_site(site) if site is not None else None
        documents = _read_target(target, built)
        verdicts = [_verify_document(document, built, source) for document in documents]
        return max(verdicts, key=lambda verdict: _ORDER.index(verdict.status))
    except (_Invalid, Refused) as problem:
        return Verdict("invalid", str(problem))
    except _Unchecked as missing:
        return Verdict("unchecked", str(missing))
    except (AttributeError, TypeError, KeyError, IndexError, ValueError) as error:
        # A value of the wrong kind somewhere (a list where an object belongs...): no
        # verifier accepts it, and it is said as such, never as a crash.
        return Verdict("invalid", f"the document is malformed ({type(error).__name__}: {error})")


def _verify_document(document: dict[str, Any], site: _Site | None, source: Path) -> Verdict:
    if "OpenBadgeCredential" in (document.get("type") or []):
        return _check_credential(document, site, source)
    if document.get("type") == "Assertion":
        return _verify_assertion(document, site, source)
    raise _Invalid("neither an Open Badges 3.0 credential nor an Open Badges 2.0 assertion")


def _built_site(folder: Path) -> _Site:
    """The built site in folder, with the base URL its catalogue export names."""
    catalogue = folder / Urls.catalogue_export()
    try:
        base_url = json.loads(catalogue.read_text("utf-8"))["base_url"]
    except (OSError, ValueError, KeyError, TypeError):
        raise _Invalid(
            f"{folder} is not a built site (no base URL in {catalogue}); give --site the "
            "folder the build wrote"
        ) from None
    # The export does not name the default language, so Urls' default (fr) is assumed: it only
    # decides which language's award pages have no prefix ('awards/…/' or 'en/awards/…/').
    return _Site(folder, Urls(str(base_url)))


def _read_target(target: str, site: _Site | None) -> list[dict[str, Any]]:
    """The badge a target names: one document, or two baked in one image (then they must
    name the same award)."""
    if target.startswith(("https://", "http://")):
        return [_json(_site_file(target, site))]
    path = Path(target)
    data = _read_file(path, target)
    try:
        if path.suffix.lower() == ".png":
            baked = unbake_png(data)
        elif path.suffix.lower() == ".svg":
            baked = unbake_svg(data)
        else:
            return [_loads(data, target)]
    except BakingError as error:
        raise _Invalid(f"{target}: {error}") from None
    texts = [baked[name] for name in ("openbadgecredential", "openbadges") if baked.get(name)]
    if not texts:
        raise _Invalid(f"{target}: the image carries no baked badge")
    documents = [
        _json(_site_file(text, site))
        if text.startswith(("https://", "http://"))
        else _loads(text.encode("utf-8"), target)
        for text in texts
    ]
    awards = {_award_folder(document) for document in documents}
    if len(awards) > 1:
        raise _Invalid(
            f"{target}: the image carries two badges that disagree (an Open Badges 3.0 "
            f"credential of {sorted(awards)[0]} and a 2.0 assertion of {sorted(awards)[1]}); "
            "it was not baked by this site: ask the issuer for the badge again"
        )
    return documents


def _award_folder(document: dict[str, Any]) -> str:
    """The URL of the award a credential or assertion belongs to (its id's folder)."""
    return str(document.get("id", "")).rpartition("/")[0] or "(no id)"


def _read_file(path: Path, target: str) -> bytes:
    """A file's bytes: a regular file, of a sensible size, readable."""
    try:
        if not path.is_file():
            raise _Invalid(f"{target}: no such file (or not a regular file)")
        if path.stat().st_size > MAX_FILE_BYTES:
            raise _Invalid(f"{target}: more than {MAX_FILE_BYTES:,} bytes; not a badge")
        return path.read_bytes()
    except OSError as error:
        raise _Invalid(f"{target}: cannot be read ({error.strerror or error})") from None


def _json(path: Path) -> dict[str, Any]:
    return _loads(_read_file(path, str(path)), str(path))


def _loads(data: bytes, where: str) -> dict[str, Any]:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise _Invalid(f"{where}: not UTF-8 text (byte {error.start})") from None
    try:
        value = loads_strict(text)
    except json.JSONDecodeError as error:
        raise _Invalid(f"{where}: not JSON ({error.msg}, line {error.lineno})") from None
    except JsonRefused as refusal:
        raise _Invalid(f"{where}: JSON refused ({refusal})") from None
    if not isinstance(value, dict):
        raise _Invalid(f"{where}: not a JSON object")
    return value


def _site_file(url: str, site: _Site | None) -> Path:
    """The file of a built site that serves a URL; an award's page stands for its credential."""
    site = _needed(site, url)
    path = site.urls.path_of(url)
    if path is None:
        raise _Invalid(f"{url} is not under this site's base URL {site.urls.base_url}")
    award = site.urls.award_of_page(path)
    if award is not None:
        path = site.urls.credential(*award)
        if not (site.folder / path).is_file():
            # A revoked credential whose file was deleted: its page says so, and its hosted
            # assertion answers as revoked.
            path = site.urls.assertion(*award)
    file = site.folder / path
    if not file.resolve().is_relative_to(site.folder.resolve()):
        raise _Invalid(f"{url} leads outside the site {site.folder}")
    if not file.is_file():
        raise _Invalid(f"{url} is not published by this site (no {file})")
    return file


def _needed(site: _Site | None, url: str) -> _Site:
    """The built site, which a URL needs: nothing is fetched."""
    if site is None:
        raise _Invalid(f"{url}: give --site DIR (a built site) to resolve URLs; nothing is fetched")
    return site


def _check_credential(document: dict[str, Any], site: _Site | None, source: Path) -> Verdict:
    now = build_time()
    name = str(document.get("name", ""))
    if site is not None:
        revoked_reason = _verify_with_site(document, site)
    else:
        revoked_reason = _verify_with_content(document, source, now)
    return _dates_verdict(document, name, now, revoked_reason)


def _verify_with_site(document: dict[str, Any], site: _Site) -> str | None:
    """Check the proof with the key the site publishes; the revocation reason, if revoked.

    The DID document lists every key the issuer ever used, without their validity dates; the
    build published the credential only after checking those dates (and compromised keys),
    so a credential is valid here only if the site publishes this very credential at its id.
    """
    issuer = document.get("issuer", {})
    did = issuer.get("id", "") if isinstance(issuer, dict) else ""
    did_url = Urls.did_document_url(did)
    if did_url is None:
        raise _Invalid(f"issuer '{did}' is not a did:web identifier")
    did_document = _json(_site_file(did_url, site))
    try:
        method = proof_of(document)["verificationMethod"]
    except ProofError as error:
        raise _Invalid(str(error)) from None
    key = next(
        (m for m in did_document.get("verificationMethod", []) if m.get("id") == method), None
    )
    if (
        key is None
        or method not in did_document.get("assertionMethod", [])
        or key.get("controller") != did
    ):
        raise _Invalid(f"key {method} is not an assertion key of {did}")
    try:
        verify(document, decode_public_key(key["publicKeyMultibase"]))
    except (ProofError, ValueError) as error:
        raise _Invalid(str(error)) from None
    published = _json(_site_file(str(document.get("id", "")), site))
    if published != document:
        raise _Invalid("the site does not publish this credential at its id (the build refused it)")
    if problem := status_problem(document):
        raise _Invalid(problem)
    entry = status_entry(document)
    assert entry is not None, "status_problem accepts only an entry status_entry reads"
    status_list = _json(_site_file(entry[0], site))
    if status_list.get("issuer") != did:
        raise _Invalid("the status list is not issued by the credential's issuer")
    list_key = next(
        (
            m
            for m in did_document.get("verificationMethod", [])
            if m.get("id") == proof_of(status_list)["verificationMethod"]
        ),
        None,
    )
    if list_key is None:
        raise _Invalid("the status list is not signed by a key of the issuer")
    try:
        verify(status_list, decode_public_key(list_key["publicKeyMultibase"]))
    except (ProofError, ValueError) as error:
        raise _Invalid(f"status list: {error}") from None
    if not statuslist.is_set(str(status_list["credentialSubject"]["encodedList"]), entry[1]):
        return None
    return _revocation_reason(document, site)


def _revocation_reason(document: dict[str, Any], site: _Site) -> str:
    """The reason published in the issuer's 1EdTech revocation list."""
    path = site.urls.path_of(str(document.get("id", "")))
    award = site.urls.award_of_file(path) if path is not None else None
    if award is None:
        return "no reason given"
    listed = _json(_site_file(site.urls.absolute(site.urls.revocation_list(award[0])), site))
    for item in listed.get("revokedCredentials", []):
        if item.get("id") == document.get("id"):
            return str(item.get("revocationReason", "no reason given"))
    return "no reason given"


def _verify_with_content(document: dict[str, Any], source: Path, now: datetime) -> str | None:
    """Check the credential by every rule of the build, against the content repository that
    must hold it; the revocation reason, if it is revoked."""
    problems = Problems()
    network = None
    try:
        network = load_network(source, problems)
    except BuildFailed as failed:
        problems.extend(failed.problems)
    if network is None or problems.has_errors or not network.issuers:
        first = next((str(p) for p in problems.sorted() if p.severity == "error"), "no structure")
        raise _Unchecked(
            f"no network's content in {source} to check the credential against ({first}); give "
            "--source the network's repository, or --site a site it built"
        )
    urls = Urls(network.site.base_url, network.site.language)
    issuer_id = (
        document.get("issuer", {}).get("id") if isinstance(document.get("issuer"), dict) else None
    )
    issuer = next((i for slug, i in network.issuers.items() if urls.did(slug) == issuer_id), None)
    if issuer is None:
        raise _Invalid(f"issuer '{issuer_id}' is not a structure of this network")
    credential_id = str(document.get("id", ""))
    path = urls.path_of(credential_id)
    award = urls.award_of_file(path) if path is not None else None
    if award is None or award[0] != issuer.slug:
        raise _Invalid(
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
        raise _Invalid(
            f"the network {state} this credential (assertions/{award[0]}/{award[1]}.json): "
            "its site does not publish it"
        )
    revocation = network.revocations.get(award)
    if revocation is None:
        return None
    if revocation.document.get("credentialSubject", {}).get("id") != credential_id:
        raise _Invalid(
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


def _verify_assertion(assertion: dict[str, Any], site: _Site | None, source: Path) -> Verdict:
    """Hosted verification: the assertion at its id is the truth; its credential is checked too."""
    assertion_id = str(assertion.get("id", ""))
    site = _needed(site, assertion_id)
    hosted = _json(_site_file(assertion_id, site))
    if hosted.get("id") != assertion_id:
        raise _Invalid(f"the hosted assertion declares another id, {hosted.get('id')}")
    if hosted.get("revoked") is True:
        return Verdict(
            "revoked", f"revoked by its issuer: {hosted.get('revocationReason', 'no reason given')}"
        )
    path = site.urls.path_of(assertion_id)
    award = site.urls.award_of_file(path) if path is not None else None
    if award is None:
        raise _Invalid(f"{assertion_id} is not the assertion of an award of this site")
    credential_url = site.urls.absolute(site.urls.credential(*award))
    verdict = _check_credential(_json(_site_file(credential_url, site)), site, source)
    expires = hosted.get("expires")
    if (
        verdict.status == "valid"
        and expires
        and parse_instant(str(expires), "expires") <= build_time()
    ):
        return Verdict("expired", f"expired on {expires}", verdict.name)
    return verdict

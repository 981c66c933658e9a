"""`verify` without --site: a badge judged against the content repository, by the build's
own rules (check_credential, check_status, check_revocations_match), with the keys, status
lists and revocation records the build would publish. A credential passes only if the
repository holds this very file; an Open Badges 2.0 assertion (baked beside the credential
in a PNG, or alone in an SVG) only if it is the one the build derives from it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from generator.issuer.targets import Invalid, NothingToVerify, Unchecked
from generator.openbadges.credential import revoked_assertion
from generator.site.check.authority import prove_keys
from generator.site.check.credentials import check_credential
from generator.site.check.signatures import parse_instant
from generator.site.check.status import check_revocations_match, check_status
from generator.site.draw.badge_images import image_path
from generator.site.load.network import load_network
from generator.site.model.awards import Award, Revocation
from generator.site.model.network import Network
from generator.site.model.problems import BuildFailed, Location, Problems
from generator.site.model.signed import SignedFile
from generator.site.model.urls import Urls
from generator.site.render.award_files import assertion_document


@dataclass(frozen=True)
class Content:
    """The content repository's network, as the build loads it, and its URL scheme."""

    network: Network
    urls: Urls


def load_content(target: str, source: Path | None) -> Content:
    """The network to judge a badge against; a usage error outside any repository, and
    UNCHECKED when its content does not load (no verdict can be trusted then)."""
    if source is None:
        raise NothingToVerify(
            f"{target}: no content repository in {Path.cwd()} nor above it to check it "
            "against (its keys and status lists); run verify inside the network's repository, "
            "or give --source DIR, the repository, or --site DIR, a site built from it"
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
    return Content(network, Urls(network.site.base_url, network.site.language))


def checked_credential(document: Mapping[str, Any], content: Content, now: datetime) -> str | None:
    """Check a credential by every rule of the build against the repository that must hold
    it; the reason of its revocation, if it is revoked (Invalid, or Refused, if not valid)."""
    award = _checked_award(document, content, now)
    return award.revocation.reason if award.revocation else None


def checked_assertion(
    assertion: dict[str, Any], content: Content, now: datetime
) -> tuple[Mapping[str, Any] | None, str | None]:
    """The credential an Open Badges 2.0 assertion derives from (None once deleted after its
    revocation) and the reason of its revocation; Invalid unless the assertion is the very
    one the build publishes for that award."""
    urls, network = content.urls, content.network
    assertion_id = str(assertion.get("id", ""))
    path = urls.path_of(assertion_id)
    key = urls.award_of_file(path) if path is not None else None
    if key is None or path != urls.assertion(*key):
        raise Invalid(f"{assertion_id} is not the assertion of an award of this network")
    held = network.credentials.get(key)
    if held is None:
        revocation = _revocation(content, key, None)
        if revocation is None:
            raise Invalid(
                f"the network holds no credential {key[0]}/{key[1]}: it publishes no {assertion_id}"
            )
        expected: dict[str, Any] = revoked_assertion(assertion_id, revocation.reason)
    else:
        award = _checked_award(held.document, content, now)
        expected = assertion_document(award, urls, image_path(award.badge))
        revocation = award.revocation
    if assertion != expected:
        raise Invalid(
            f"its Open Badges 2.0 assertion is not the one the network publishes at "
            f"{assertion_id}: it was changed after the build baked it"
        )
    return (held.document if held else None), (revocation.reason if revocation else None)


def _checked_award(document: Mapping[str, Any], content: Content, now: datetime) -> Award:
    """The award of a credential the repository holds (or held, if revoked since), checked
    by the build's rules, with its revocation."""
    network, urls = content.network, content.urls
    issuer_id = (
        document.get("issuer", {}).get("id") if isinstance(document.get("issuer"), dict) else None
    )
    issuer = next((i for slug, i in network.issuers.items() if urls.did(slug) == issuer_id), None)
    if issuer is None:
        raise Invalid(f"issuer '{issuer_id}' is not a structure of this network")
    credential_id = str(document.get("id", ""))
    path = urls.path_of(credential_id)
    key = urls.award_of_file(path) if path is not None else None
    if key is None or key[0] != issuer.slug:
        raise Invalid(
            f"id '{credential_id}' is not the URL of a credential of {issuer.slug} on this "
            f"network's site ({urls.base_url})"
        )
    # Not yet valid is a verdict of its own, not a refusal.
    valid_from = parse_instant(str(document.get("validFrom")), "validFrom")
    award = check_credential(
        network,
        urls,
        max(now, valid_from),
        SignedFile(*key, document, b"", Location(credential_id)),
    )
    held = network.credentials.get(key)
    if (held is None and key not in network.revocations) or (held and held.document != document):
        state = "does not hold" if held is None else "holds another version of"
        raise Invalid(
            f"the network {state} this credential (assertions/{key[0]}/{key[1]}.json): "
            "its site does not publish it"
        )
    return replace(award, revocation=_revocation(content, key, award))


def _revocation(content: Content, key: tuple[str, str], award: Award | None) -> Revocation | None:
    """The award's revocation, if any, by the build's rules: its issuer's signed status list
    and its signed revocation record, telling the same story (Invalid if they do not)."""
    network = content.network
    status, record = network.status_lists.get(key[0]), network.revocations.get(key)
    alone = replace(
        network,
        status_lists={key[0]: status} if status else {},
        revocations={key: record} if record else {},
    )
    problems = Problems()
    revoked = check_status(alone, content.urls, problems, None)
    if award is not None:
        check_revocations_match(alone, {key: award}, revoked, problems)
    refused = [p for p in problems.sorted() if p.severity == "error"]
    if refused:
        raise Invalid(f"{refused[0].location}: {refused[0].message}")
    return revoked.get(key)

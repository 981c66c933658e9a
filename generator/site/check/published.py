"""URLs are forever: what a revision of the content published, against what it publishes now
(`check --since` and `build --since`).

Earners put their badges' addresses on CVs, and every credential names its own. So a thing
published once keeps its addresses: a badge is retired, not deleted; a credential revoked,
not deleted; and what must go anyway (a withdrawn portfolio, a revoked credential's file)
leaves a "no longer published" page behind (render/withdrawn.py).

One mechanism for every kind: each published thing lists its addresses, as urls.py makes
them, with the file it comes from; an address the revision published and the content no
longer does is an error at that file (as it was at the revision), with what to do instead.
A renamed file is a removed one: its old addresses are lost.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Literal

from generator.site.model.frameworks import page_segments
from generator.site.model.network import Network
from generator.site.model.problems import Location, Problems
from generator.site.model.urls import Urls

Kind = Literal[
    "site",
    "credential",
    "revocation",
    "badge",
    "aligned",
    "structure",
    "page",
    "person",
    "earlier",
    "endorsement",
    "endorser",
]


@dataclass(frozen=True)
class Published:
    """A thing whose addresses are promised for good, and the file it comes from."""

    kind: Kind
    name: str
    source: Location
    addresses: tuple[str, ...]
    """Output paths (urls.py): its pages in every language, and the documents verifiers fetch."""


def published(network: Network) -> Iterator[Published]:
    """Everything a network publishes for good, with its addresses; an address kept by a "no
    longer published" page counts as published."""
    site = network.site
    urls = Urls(site.base_url, site.language)

    def pages(page: Callable[[str], str]) -> tuple[str, ...]:
        return tuple(page(language) for language in site.languages)

    yield Published("site", site.name, site.source, pages(urls.home))

    def award(issuer: str, slug: str) -> tuple[str, ...]:
        return (*pages(partial(urls.award_page, issuer, slug)), urls.assertion(issuer, slug))

    for (issuer, slug), signed in sorted(network.credentials.items()):
        yield Published("credential", f"{issuer}/{slug}", signed.source, award(issuer, slug))
    for issuer, slug in network.revoked_and_deleted:
        record = network.revocations[(issuer, slug)]
        yield Published("revocation", f"{issuer}/{slug}", record.source, award(issuer, slug))
    for slug, badge in sorted(network.badges.items()):
        if badge.status != "proposed":
            addresses = (*pages(partial(urls.badge_page, slug)), urls.achievement(slug))
            yield Published("badge", slug, badge.source, addresses)
    yield from _aligned(network, urls, pages)
    for slug, structure in sorted(network.issuers.items()):
        addresses = (
            *pages(partial(urls.issuer_page, slug)),
            urls.issuer_profile_ob2(slug),
            urls.issuer_profile_ob3(slug),
        )
        yield Published("structure", slug, structure.source, addresses)
    for slug, page in sorted(network.pages.items()):
        if slug != "index":  # the home page's text: the home page is the site's
            yield Published("page", slug, page.source, pages(partial(urls.page, slug)))
    for slug, person in sorted(network.people.items()):
        if person.allows("portfolio") or person.portfolio_gone:
            yield Published("person", slug, person.source, pages(partial(urls.portfolio, slug)))
    for (issuer, slug), earlier in sorted(network.earlier.items()):
        addresses = pages(partial(urls.earlier_award, issuer, slug))
        yield Published("earlier", f"{issuer}/{slug}", earlier.source, addresses)
    yield from _endorsements(network, urls)


def _aligned(
    network: Network, urls: Urls, pages: Callable[[Callable[[str], str]], tuple[str, ...]]
) -> Iterator[Published]:
    """The skills map's page of each entry a published badge aligns with: employers' and
    training organisations' systems link it."""
    for _, badge in sorted(network.badges.items()):
        if badge.status == "proposed":
            continue
        for alignment in badge.alignments:
            segments = page_segments(alignment.framework, alignment.code)
            if segments is not None:
                addresses = pages(partial(urls.aligned_page, *segments))
                name = f"{alignment.framework} {alignment.code}"
                yield Published("aligned", name, badge.source, addresses)


def _endorsements(network: Network, urls: Urls) -> Iterator[Published]:
    """Each endorsement's credential and its endorser's status list (wallets and the Achievements
    and Profiles that embed it name them), and what an outside endorser's endorsements name:
    its logo, and the DID document and key history the site hosts for it."""
    for (endorser, slug), signed in sorted(network.endorsements.credentials.items()):
        addresses = (urls.endorsement(slug), urls.endorsement_status_list(endorser))
        yield Published("endorsement", f"{endorser}/{slug}", signed.source, addresses)
    histories = network.authority.histories
    for slug, outside in sorted(network.endorsers.items()):
        logo = (urls.endorser_logo(slug, outside.logo.extension),) if outside.logo else ()
        hosted = (
            (urls.endorser_did_document(slug), urls.endorser_key_history(slug))
            if not outside.did and slug in histories
            else ()
        )
        if logo or hosted:
            yield Published("endorser", slug, outside.source, (*logo, *hosted))


def check_published_since(
    before: Network | None, now: Network, revision: str, problems: Problems
) -> None:
    """Report, at its file, every thing `before` (the content at `revision`) published whose
    addresses `now` would lose, with what to do instead."""
    if before is None:
        return  # nothing was published at that revision
    kept = {address for thing in published(now) for address in thing.addresses}
    lost = [
        (thing, missing)
        for thing in published(before)
        if (missing := [address for address in thing.addresses if address not in kept])
    ]
    site = next(((thing, missing) for thing, missing in lost if thing.kind == "site"), None)
    if site is not None:
        # Every address in a language moves: one error, not one per page.
        problems.error(
            now.site.source,
            f"the site's languages changed since {revision}: {site[1][0] or '/'} and every "
            f"address under it would disappear; keep 'language' and every entry of "
            f"'languages' as they were at {revision}",
        )
        return
    fields = _fields(now)
    aligned = {badge.source.path: badge.at("alignment") for badge in now.badges.values()}
    broken = {problem.location.path for problem in problems.items if problem.severity == "error"}
    for thing, missing in lost:
        path = thing.source.path
        where = (aligned if thing.kind == "aligned" else fields).get(path)
        if where is None and path in broken:
            continue  # the file is there but cannot be read: its own error says what to fix
        location = where if where is not None else Location(path)
        problems.error(
            location, _advice(thing, missing[0], revision, still_there=where is not None)
        )


def _fields(network: Network) -> dict[str, Location]:
    """For each file the content holds now, where to point at when its addresses go (the
    field that withdrew them, when there is one)."""
    located = {signed.source.path: signed.source for signed in network.credentials.values()}
    located |= {signed.source.path: signed.source for signed in network.revocations.values()}
    located |= {issuer.source.path: issuer.source for issuer in network.issuers.values()}
    located |= {page.source.path: page.source for page in network.pages.values()}
    located |= {earlier.source.path: earlier.source for earlier in network.earlier.values()}
    located |= {badge.source.path: badge.at("status") for badge in network.badges.values()}
    located |= {
        signed.source.path: signed.source for signed in network.endorsements.credentials.values()
    }
    located |= {endorser.source.path: endorser.at() for endorser in network.endorsers.values()}
    located |= {
        person.source.path: person.at("consent", "portfolio") for person in network.people.values()
    }
    return located


def _advice(thing: Published, address: str, revision: str, still_there: bool) -> str:
    """What is lost, and what to do instead, for one kind of thing."""
    name, since = thing.name, f"published at {revision} ({address})"
    gone = f"{since} and now deleted or renamed"
    consent = f"'build.py consent {name} --withdraw portfolio'"
    if thing.kind == "credential":
        return (
            f"credential {gone}: earners keep its address on their CVs; restore the file, and "
            "revoke it with 'build.py revoke' instead (a published credential is never "
            "deleted; once revoked, its file may go: the revocation record keeps the address "
            "answering, as revoked)"
        )
    if thing.kind == "revocation":
        return (
            f"this revocation record keeps the address of a deleted credential answering, as "
            f"revoked; it was {gone}: restore it (the address is on its earner's CV)"
        )
    if thing.kind == "badge" and still_there:
        return (
            f"badge '{name}' was {since} and is no longer approved; an approved badge is never "
            "withdrawn: retire it instead (status: retired, with retired_on)"
        )
    if thing.kind == "badge":
        return (
            f"badge '{name}' {gone}; restore the file: a badge that is no longer awarded is "
            "retired instead (status: retired, with retired_on), its page stays published and "
            "its awards keep verifying"
        )
    if thing.kind == "aligned" and still_there:
        return (
            f"the skills map's page of {name} was {since}, and no published badge aligns with "
            "it any more: keep this alignment (systems that know the code link the page; a "
            "badge that no longer fits is retired, and keeps its alignments)"
        )
    if thing.kind == "aligned":
        return (
            f"the skills map's page of {name} was {since}, from this badge, now deleted or "
            "renamed; restore the badge's file (a badge no longer awarded is retired, and "
            "keeps its alignments)"
        )
    if thing.kind == "endorsement":
        return (
            f"endorsement {gone}: wallets and the documents that embedded it name its address; "
            "restore the file, and revoke it with 'build.py revoke-endorsement' instead (a "
            "revoked endorsement stays published, marked revoked)"
        )
    if thing.kind == "endorser" and still_there:
        return (
            f"endorser '{name}' was {since}, and its endorsements name that address (its logo, "
            "or the DID document and key history the site hosts for it): keep its logo (and its "
            "file type), its key history, and the 'did:' it signed with"
        )
    if thing.kind == "endorser":
        return (
            f"endorser '{name}' {gone}; keep its file (and its logo and key history): its "
            "endorsements name their addresses"
        )
    if thing.kind == "structure":
        return (
            f"structure '{name}' {gone}; keep its file: its page and profiles are named by "
            "every credential it signed"
        )
    if thing.kind == "earlier":
        return (
            f"earlier award {gone}: its page may be on its earner's CV; restore the file (a "
            "revoked one is marked 'revoked: true', never deleted)"
        )
    if thing.kind == "page":
        return f"page '{name}' {gone}; restore the file (edit it, or take it out of the menu)"
    if thing.kind == "person" and still_there:
        return (
            f"the portfolio of '{name}' was {since} and its consent is withdrawn by hand, which "
            f"leaves a dead address; set 'portfolio: true' back and run {consent}, which "
            "records the withdrawal (the address then answers 'no longer published')"
        )
    if thing.kind == "person":
        return (
            f"the portfolio of '{name}' was {gone}; keep the file, and withdraw the consent with "
            f"{consent} (the address then answers 'no longer published')"
        )
    return f"{address} was published at {revision} and would disappear; URLs are forever"

"""`issue --from-earlier`: sign an Open Badges 3.0 credential for the earner of an earlier
award (one another platform published, recorded by `build.py import`), once the address the
issuer gives matches the original's salted hash. The credential links the original award in
its evidence, so the earner keeps the old link and gains a credential of the network."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

from generator.clock import build_time
from generator.issuer.issuing import IssuedAward, issue
from generator.issuer.recipients import recipient
from generator.issuer.tools import ToolError, load_checked_network
from generator.site.model.imported import EarlierAward, EarlierRecipient
from generator.site.model.problems import Location, Problems


def matches(earner: EarlierRecipient, email: str) -> bool:
    """Whether an address is the one the original hashed (OB 2.0: hex digest of address +
    salt; platforms lower-case the address first, so both forms are tried)."""
    algorithm, _, digest = earner.identity.partition("$")
    for address in dict.fromkeys((email.strip().lower(), email.strip())):
        found = hashlib.new(algorithm, (address + earner.salt).encode("utf-8")).hexdigest()
        if found == digest.lower():
            return True
    return False


def issue_from_earlier(source: Path, record: Path, email: str, key_file: Path) -> IssuedAward:
    """Sign a credential for the earner of an earlier award (or say the one they have);
    refuse, signing nothing, when the record is not one, was revoked or has expired, or
    names another recipient."""
    network = load_checked_network(source)
    award = _earlier_award(source, record, network.earlier.values())
    if award.revoked:
        raise ToolError(f"{record}: the original award was revoked; it cannot be issued again")
    now = build_time()
    if award.status(now) == "expired":
        raise ToolError(
            f"{record}: the original award expired; earning the badge again is a new award: "
            "use 'issue --issuer … --badge …'"
        )
    if award.recipient is None or award.recipient.type != "email":
        raise ToolError(f"{record}: the original names no email recipient to check; nothing signed")
    if not matches(award.recipient, email):
        raise ToolError(
            f"{record}: '{email}' is not the address of the original award's recipient (its "
            "salted hash differs); nothing was signed: check the address with the earner"
        )
    problems = Problems()
    item = recipient(
        email,
        award.original,
        f"Délivré d'abord sur {award.platform} le {award.issued_on.date().isoformat()}.",
        None,
        None,
        Location(str(record)),
        problems,
    )
    problems.raise_if_errors()
    (issued,) = issue(source, award.issuer, award.badge, key_file, [item])
    return issued


def _earlier_award(source: Path, record: Path, awards: Iterable[EarlierAward]) -> EarlierAward:
    try:
        wanted = record.resolve().relative_to(source.resolve()).as_posix()
    except ValueError:
        wanted = record.as_posix()
    for award in awards:
        if award.source.path == wanted:
            return award
    raise ToolError(
        f"{record} is no earlier award of the repository; give a file of "
        "assertions/<structure>/earlier/ written by 'build.py import'"
    )

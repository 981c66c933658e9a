"""A person is never changed by accident: `issue --person` refuses to rename a person, or to
add to their portfolio an award for an address that is not theirs, unless the issuer says
that it is the same person (`--same-person`).

A person file holds no address (the build refuses one): what tells a person's address is
the salted hash in each credential of their awards. An address that matches none of them
is another address; a person whose awards carry no hash this repository holds (all deleted)
cannot be told apart, and is not refused.
"""

from __future__ import annotations

from collections.abc import Sequence

from generator.issuer.recipients import Recipient
from generator.openbadges.credential import identity_hash, recipient_identity
from generator.site.model.network import Network, Person
from generator.site.model.problems import Location, Problems

SAME_PERSON = "--same-person"


def check_people(
    network: Network, recipients: Sequence[Recipient], same_person: bool, problems: Problems
) -> None:
    """Report every recipient linked to a person who seems to be someone else: a person file
    with another name, awards of the person issued to another address, two rows naming one
    person with two names or (without same_person) two addresses."""
    first: dict[str, Recipient] = {}
    for item in recipients:
        if not item.person:
            continue
        earlier = first.setdefault(item.person, item)
        if earlier is not item:
            _check_rows(earlier, item, same_person, problems)
        person = network.people.get(item.person)
        if person is not None and not same_person:
            _check_name(person, item, problems)
            _check_address(network, person, item, problems)


def _check_rows(earlier: Recipient, item: Recipient, same_person: bool, problems: Problems) -> None:
    """Two rows of one CSV linked to one person."""
    line = f"line {earlier.where.line}" if earlier.where.line else str(earlier.where)
    if earlier.name and item.name and earlier.name != item.name:
        problems.error(
            item.where,
            f"person '{item.person}' is named '{item.name}' here but '{earlier.name}' on {line}: "
            "one person has one name; give the same name on both lines, or give one of them "
            "another person slug",
        )
    if earlier.email != item.email and not same_person:
        problems.error(
            item.where,
            f"person '{item.person}' has another address here than on {line}: two people "
            "under one slug would share one portfolio; give each person a slug of their own, "
            f"or, if both addresses are this person's, run again with {SAME_PERSON}",
        )


def _check_name(person: Person, item: Recipient, problems: Problems) -> None:
    if not item.name or not person.name or item.name == person.name:
        return
    field = person.at("name")
    given = "--name" if item.where.line is None else "this row"
    _report(
        problems,
        field,
        item,
        f"person '{person.slug}' is named '{person.name}' {{}}, not '{item.name}' as {given} "
        f"says: a person is never renamed by accident; if '{item.name}' is this same person, "
        f"run again with {SAME_PERSON}; if not, {_another_slug(item)}",
    )


def _check_address(network: Network, person: Person, item: Recipient, problems: Problems) -> None:
    identities = [
        (index, f"{issuer}/{award}", identity)
        for index, (issuer, award) in enumerate(person.awards)
        if (held := network.credentials.get((issuer, award))) is not None
        and (identity := recipient_identity(held.document)) is not None
    ]
    if not identities or any(identity_hash(item.email, s) == h for _, _, (s, h) in identities):
        return
    index, award, _ = identities[0]
    given = "--recipient" if item.where.line is None else "this row's address"
    _report(
        problems,
        person.at("awards", index),
        item,
        f"person '{person.slug}' received {award} {{}} at another address than {given}: an "
        "award for someone else is never added by accident to a person's portfolio, under "
        f"the consent they gave; if both addresses are this person's, run again with "
        f"{SAME_PERSON}; if not, {_another_slug(item)}",
    )


def _report(problems: Problems, field: Location, item: Recipient, message: str) -> None:
    """A conflict, at the row of a CSV (the message naming the person file's field where its
    '{}' is), or, given on the command line, at that field itself ('here')."""
    if item.where.line is None:
        problems.error(field, message.format("here"))
    else:
        problems.error(item.where, message.format(f"in {field}"))


def _another_slug(item: Recipient) -> str:
    return (
        "give --person another slug"
        if item.where.line is None
        else "give this row another person slug"
    )

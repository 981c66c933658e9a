"""Open Badge Factory's awards, as its API lists them in JSON lines: events (one badge sent
to a list of addresses at once) and the assertions of an event (one award each).

An event names its recipients by address only, and no award's URL: nothing of it can
become an earlier award's record, and it is reported, never echoed. An assertion becomes a
record: its original address is the URL it names (`json_url`, `assertion_url` or `url`),
else the public Open Badges 2.0 assertion OBF hosts for its id,
https://openbadgefactory.com/v1/assertion/<id>.json (an address built here: the import says
so, to be checked by opening one before merging). OBF gives the recipient's address, not a
hash it published: no recipient is kept (see award_csv.py for why nothing is hashed here).
"""

from __future__ import annotations

from typing import Any

from generator.importing.messages import said
from generator.importing.ob2 import Reader
from generator.site.model.urls import is_web_link

OBF_BADGE_CLASS = "https://openbadgefactory.com/v1/badge/_/{id}.json"
OBF_ASSERTION = "https://openbadgefactory.com/v1/assertion/{id}.json"
URL_FIELDS = ("json_url", "assertion_url", "url")


def read_obf_award(value: dict[str, Any], reader: Reader) -> None:
    """One line of OBF's events or assertions: an assertion becomes an award."""
    badge, identifier = value.get("badge_id"), value.get("id")
    wrong = [
        f"no '{name}'" if given is None else f"'{name}' {said(given)}"
        for name, given in (("id", identifier), ("badge_id", badge))
        if not _obf_id(given)
    ]
    if wrong:
        reader.error(
            f"an OBF award with {' and '.join(wrong)}: each is an OBF identifier (letters and "
            "digits); export it again from Open Badge Factory"
        )
        return
    if isinstance(value.get("recipient"), list):
        reader.problems.warning(
            reader.location,
            f"OBF event {identifier} ({len(value['recipient'])} recipient(s)) names its "
            "recipients by address, not its awards by URL: nothing imported from it; export "
            "the event's assertions (GET /v1/event/{client_id}/{event_id}/assertion) and "
            "import those",
        )
        return
    url = next((value[f] for f in URL_FIELDS if is_web_link(value.get(f))), None)
    if url is None:
        url = OBF_ASSERTION.format(id=identifier)
        reader.problems.warning(
            reader.location,
            f"the assertion names no URL: its original is taken to be {url}; open it to "
            "check that it answers before merging",
        )
    reader.recipient_required = False
    revoked = value.get("revoked")
    reader.award(
        {
            "type": "Assertion",
            "id": url,
            "badge": OBF_BADGE_CLASS.format(id=badge),
            "issuedOn": value.get("issued_on"),
            "expires": value.get("expires") or None,
            # OBF marks a revoked award with true, or with the moment it was revoked.
            "revoked": revoked is True or (isinstance(revoked, int) and revoked > 1),
            "revocationReason": value.get("revocation_reason"),
            "evidence": value.get("evidence_url") or None,
            "recipient": None,
        }
    )


def _obf_id(value: Any) -> bool:
    return isinstance(value, str) and value.isalnum()

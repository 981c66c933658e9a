"""What a JSON object from a platform is, by its shape, whatever the file it came in was
named: an Open Badges 2.0 object (it has a `type`), an Open Badge Factory badge (`criteria_html`,
as its API answers for one badge, GET /v1/badge/{client}/{badge}, or lists them, one per
line), an OBF event or assertion (`badge_id`), or what a revoked award's address answers
(`revoked`, with or without `type`: Badgr's public API, and the 410 body of hosted badges).
"""

from __future__ import annotations

from typing import Any

from generator.importing.ob2 import Reader
from generator.importing.obf import read_obf_badge
from generator.importing.obf_awards import read_obf_award
from generator.site.model.urls import is_web_link


def read_objects(value: Any, reader: Reader) -> None:
    """One JSON value of a source (an object, or a list of them), each object by its shape."""
    for item in value if isinstance(value, list) else [value]:
        if not isinstance(item, dict) or "type" in item:
            reader.read(item)
        elif "criteria_html" in item:
            read_obf_badge(item, reader)
        elif "badge_id" in item:
            read_obf_award(item, reader)
        elif "revoked" in item:
            _revoked_answer(item, reader)
        else:
            reader.read(item)


def _revoked_answer(item: dict[str, Any], reader: Reader) -> None:
    """`{"id": …, "revoked": true, "revocationReason": …}`: the award at that id is revoked."""
    if not is_web_link(item.get("id")):
        reader.error(
            "this is what a revoked award's address answers, but it names no award (no "
            "http(s) 'id'); import the award's own JSON too, or write into this file, as "
            '"id", the address you opened'
        )
        return
    reader.award({**item, "type": "Assertion"})

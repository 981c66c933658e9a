"""What rendering produces: files of the site as (path, bytes), before anything is written."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, TypeVar


@dataclass(frozen=True)
class Output:
    """One file of the site: where it goes, relative to the output folder, and its bytes."""

    path: str
    data: bytes


@dataclass(frozen=True)
class Written:
    """A file a worker process already wrote into the new site's folder (see write.SiteFolder),
    with the email addresses found in it on the way (for the privacy guard)."""

    path: str
    addresses: tuple[str, ...] = ()


# Outputs in memory, files already written, or a stream of both (for functions that pass
# what they are given on, as it is).
AnyOutput = TypeVar("AnyOutput", Output, Written, Output | Written)


def json_bytes(document: Any) -> bytes:
    """Stable, readable JSON: the same document always gives the same bytes."""
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")

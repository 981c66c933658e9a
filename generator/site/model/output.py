"""What rendering produces: files of the site as (path, bytes), before anything is written."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Output:
    """One file of the site: where it goes, relative to the output folder, and its bytes."""

    path: str
    data: bytes


def json_bytes(document: Any) -> bytes:
    """Stable, readable JSON: the same document always gives the same bytes."""
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")

"""The build's clock: the one place that reads the time, so that two builds of one input at
one SOURCE_DATE_EPOCH give the same bytes (https://reproducible-builds.org/specs/source-date-epoch/)."""

from __future__ import annotations

import os
from datetime import UTC, datetime


def build_time() -> datetime:
    """Now, or SOURCE_DATE_EPOCH when set, so that two builds of one input give the same bytes."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return datetime.fromtimestamp(int(epoch), UTC)
    return datetime.now(UTC).replace(microsecond=0)

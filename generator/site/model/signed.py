"""Signed JSON documents of assertions/, as read (parsed, not yet verified): a structure's
credentials, status list and revocation records, and the endorsements an endorser signed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from generator.site.model.json_lines import JsonPath, json_lines
from generator.site.model.problems import Location


@dataclass(frozen=True)
class SignedFile:
    """A signed JSON document of assertions/<issuer>/: a credential, status list or revocation."""

    issuer: str
    slug: str
    document: Mapping[str, Any]
    data: bytes
    source: Location

    def at(self, path: JsonPath) -> Location:
        """Where the value at path (or its nearest parent) sits in the file: its line, read
        from the bytes only when a problem is reported."""
        return self.source.at(json_lines(self.data.decode("utf-8")).line_of(path))


@dataclass(frozen=True)
class SignedEndorsements:
    """assertions/<endorser>/endorsements/: the EndorsementCredentials an endorser signed, by
    (endorser slug, endorsement id), its status list, and its revocation records."""

    credentials: Mapping[tuple[str, str], SignedFile] = field(default_factory=dict)
    status_lists: Mapping[str, SignedFile] = field(default_factory=dict)
    revocations: Mapping[tuple[str, str], SignedFile] = field(default_factory=dict)

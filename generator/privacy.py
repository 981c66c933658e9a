"""The last guard before writing: no recipient's email address may be published.

The build never knows recipients' addresses, only their salted hashes; so every address-like
string in the output is hashed with each credential's salt and compared. A match means a
person's address slipped into some content (a narrative, a page, a person's display name).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from .model import SignedFile
from .openbadges.credential import identity_hash, recipient_identity
from .outputs import Output
from .problems import Problems

_ADDRESS = re.compile(rb"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")


def check_no_recipient_email(
    outputs: Iterable[Output], credentials: Mapping[tuple[str, str], SignedFile], problems: Problems
) -> None:
    """Report every output that contains the email address of a credential's recipient."""
    found: dict[str, set[str]] = {}
    for output in outputs:
        for match in _ADDRESS.finditer(output.data):
            address = match.group().decode("ascii", "replace").lower()
            found.setdefault(address, set()).add(output.path)
    if not found:
        return
    identities = [
        (signed, identity)
        for signed in credentials.values()
        if (identity := recipient_identity(signed.document)) is not None
    ]
    for address, paths in sorted(found.items()):
        for signed, (salt, hashed) in identities:
            if identity_hash(address, salt) == hashed:
                shown = ", ".join(sorted(paths)[:3]) + (" …" if len(paths) > 3 else "")
                problems.error(
                    signed.source,
                    f"the recipient's email address would be published in {shown}; remove it from "
                    "the page or person file that shows it (a narrative is signed: delete this "
                    "credential and issue it again without the address)",
                )

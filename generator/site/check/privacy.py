"""The last guard before the site is swapped in: no recipient's email address may be published.

The build never knows recipients' addresses, only their salted hashes; so every address-like
string in the output is hashed with each credential's salt and compared. A match means a
person's address slipped into some content (a narrative, a page, a person's display name).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Set

from generator.openbadges.credential import identity_hash, recipient_identity
from generator.openbadges.png_baking import png_metadata
from generator.site.model import SignedFile
from generator.site.outputs import Output
from generator.site.problems import Problems

# An address is found from its "@domain" (a literal first character lets the regex engine
# skip ahead quickly), then its local part is read backwards from the "@": scanning every
# position for a local part was most of this stage's time.
_DOMAIN = re.compile(rb"@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_LOCAL_PART_REVERSED = re.compile(rb"[A-Za-z0-9._%+-]{1,254}")


def addresses(data: bytes) -> Iterator[bytes]:
    """Every email address in data (at most 254 characters, as in RFC 5321)."""
    for domain in _DOMAIN.finditer(data):
        at = domain.start()
        local = _LOCAL_PART_REVERSED.match(data[max(0, at - 254) : at][::-1])
        if local:
            yield data[at - local.end() : domain.end()]


class RecipientEmailGuard:
    """Reports the recipients whose address was found in the outputs (see addresses_in).

    Checking an address means hashing it with the salt of every credential. `serve` checks
    the same published addresses (structures' contacts) at every rebuild: it passes the
    addresses an earlier check cleared, and those are checked against the changed
    credentials only.
    """

    def __init__(
        self,
        credentials: Mapping[tuple[str, str], SignedFile],
        cleared: Set[str] = frozenset(),
        changed: Set[tuple[str, str]] = frozenset(),
    ) -> None:
        self._credentials = credentials
        self._cleared = cleared
        self._changed = changed
        self.cleared: set[str] = set()
        """After report(): the addresses found that belong to no recipient."""

    def report(self, found: Mapping[str, Iterable[str]], problems: Problems) -> None:
        """An error for every recipient whose address was found (found: the addresses in
        each output, by path), at their credential."""
        paths_of: dict[str, set[str]] = {}
        for path, addresses_found in found.items():
            for address in addresses_found:
                paths_of.setdefault(address, set()).add(path)
        identities: dict[tuple[str, str], tuple[str, str] | None] = {}
        for address, paths in sorted(paths_of.items()):
            # A cleared address only needs checking against the credentials that changed.
            keys = self._changed if address in self._cleared else self._credentials.keys()
            leaked = False
            for key in keys:
                signed = self._credentials.get(key)
                if signed is None:
                    continue
                if key not in identities:
                    identities[key] = recipient_identity(signed.document)
                identity = identities[key]
                if identity is not None and identity_hash(address, identity[0]) == identity[1]:
                    leaked = True
                    shown = ", ".join(sorted(paths)[:3]) + (" …" if len(paths) > 3 else "")
                    problems.error(
                        signed.source,
                        f"the recipient's email address would be published in {shown}; remove it "
                        "from the page or person file that shows it (a narrative is signed: delete "
                        "this credential and issue it again without the address)",
                    )
            if not leaked:
                self.cleared.add(address)


def addresses_in(output: Output) -> tuple[str, ...]:
    """The email addresses in an output, lower-cased (what the guard compares)."""
    return tuple(found.decode("ascii", "replace").lower() for found in addresses(_text_of(output)))


def _text_of(output: Output) -> bytes:
    """What of an output can hold text: all of it, but a PNG's compressed pixels."""
    if output.path.endswith(".png"):
        return png_metadata(output.data)
    return output.data

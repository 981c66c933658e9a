"""The last guard before the site is swapped in: no recipient's email address and no private
key may be published, in any form a reader or a tool can decode (see decoded_text).

The build never knows recipients' addresses, only their salted hashes; so every address-like
string in the output is hashed with each credential's salt and compared. A match means a
person's address slipped into some content (a narrative, a page, a person's display name).
Private key material (see key_material) is refused wherever it is, at the repository file
that holds it when one does.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence, Set
from pathlib import Path

from generator.openbadges.credential import identity_hash, recipient_identity
from generator.site.check.decoded_text import decoded_texts, without_markup
from generator.site.check.key_material import key_material_in, may_hold_key_material
from generator.site.model.imported import EarlierAward
from generator.site.model.output import Output
from generator.site.model.problems import Location, Problems
from generator.site.model.signed import SignedFile

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
    """Reports the recipients whose address was found in the outputs, the private keys
    found in them and the outputs it could not read whole (see findings_in).

    Checking an address means hashing it with the salt of every credential. `serve` checks
    the same published addresses (structures' contacts) at every rebuild: it passes the
    addresses an earlier check cleared, and those are checked against the changed
    credentials only. Key material is looked for in the repository's files (`sources`: the
    root and the folders the site is made from) to say which one holds it.
    """

    def __init__(
        self,
        credentials: Mapping[tuple[str, str], SignedFile],
        cleared: Set[str] = frozenset(),
        changed: Set[tuple[str, str]] = frozenset(),
        sources: tuple[Path, Sequence[Path]] | None = None,
        earlier: Mapping[tuple[str, str], EarlierAward] | None = None,
    ) -> None:
        self._credentials = credentials
        # Earlier awards' recipients too (build.py import kept their salted hashes).
        self._earlier = sorted((earlier or {}).values(), key=lambda award: award.source)
        self._cleared = cleared
        self._changed = changed
        self._sources = sources
        self.cleared: set[str] = set()
        """After report(): the addresses found that belong to no recipient."""

    def report(self, found: Mapping[str, Iterable[str]], problems: Problems) -> None:
        """An error for every recipient whose address was found, at their credential; for
        every private key found, and every output not read whole (found: what findings_in
        found in each output, by path)."""
        paths_of: dict[str, set[str]] = {}
        for path, findings in found.items():
            for finding in findings:
                paths_of.setdefault(finding, set()).add(path)
        identities: dict[tuple[str, str], tuple[str, str] | None] = {}
        for address, paths in sorted(paths_of.items()):
            if address.startswith(_NOTE):
                self._report_note(address, paths, problems)
                continue
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
                    problems.error(
                        signed.source,
                        f"the recipient's email address would be published in {_shown(paths)}; "
                        "remove it from the page or person file that shows it (a narrative is "
                        "signed: delete this credential and issue it again without the address)",
                    )
            if address not in self._cleared and self._earlier_leaked(address, paths, problems):
                leaked = True
            if not leaked:
                self.cleared.add(address)

    def _earlier_leaked(self, address: str, paths: set[str], problems: Problems) -> bool:
        """Report the earlier awards whose recipient the address is; whether there was one."""
        leaked = False
        for award in self._earlier:
            earner = award.recipient
            if earner is not None and identity_hash(address, earner.salt) == earner.identity:
                leaked = True
                problems.error(
                    award.source,
                    f"the recipient's email address of this earlier award would be published "
                    f"in {_shown(paths)}; remove it from the page or file that shows it",
                )
        return leaked

    def _report_note(self, note: str, paths: set[str], problems: Problems) -> None:
        _, kind, what, evidence = note.split(_NOTE, 3)
        if kind == _UNREAD:
            for path in sorted(paths):
                problems.error(
                    self._copied_from(evidence) or Location(path),
                    f"this file of the site cannot be read whole: {what}, so it cannot be checked "
                    "for email addresses and private keys; make it smaller (export it again)",
                )
            return
        location = self._holding(evidence.encode("latin-1")) or Location(min(paths))
        problems.error(
            location,
            f"private key material ({what}) would be published in {_shown(paths)}; a private "
            "key must never be published: remove it, and consider the key compromised: "
            "replace it ('build.py keygen', then mark the old key compromised_at; see the "
            "README, 'If a private key leaks')",
        )

    def _files(self) -> Iterator[tuple[Path, str]]:
        """The repository's files the site is made from, sorted, as diagnostics name them."""
        if self._sources is not None:
            root, folders = self._sources
            for folder in folders:
                for path in sorted(_regular_files(folder)):
                    yield path, _shown_path(path, root)

    def _holding(self, evidence: bytes) -> Location | None:
        """The first file of the repository that holds the evidence, as written (with its
        line), or else once decoded."""
        for path, shown in self._files():
            data = _read(path)
            if (at := data.find(evidence)) >= 0:
                return Location(shown, data.count(b"\n", 0, at) + 1)
        for path, shown in self._files():
            if any(evidence in text for text in decoded_texts(path.name, _read(path)).texts):
                return Location(shown)
        return None

    def _copied_from(self, digest: str) -> Location | None:
        """The file of the repository published as it is with this SHA-256, if any."""
        for path, shown in self._files():
            if hashlib.sha256(_read(path)).hexdigest() == digest:
                return Location(shown)
        return None


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""  # gone or unreadable since the build read it: not the one


def _regular_files(folder: Path) -> Iterator[Path]:
    """The regular files under a folder, no link followed, hidden folders left out."""
    if folder.is_symlink() or not folder.is_dir():
        return
    for path in folder.iterdir():
        if path.is_symlink() or path.name.startswith("."):
            continue
        if path.is_dir():
            yield from _regular_files(path)
        elif path.is_file():
            yield path


def _shown_path(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


def _shown(paths: Iterable[str]) -> str:
    ordered = sorted(paths)
    return ", ".join(ordered[:3]) + (" …" if len(ordered) > 3 else "")


def findings_in(output: Output) -> tuple[str, ...]:
    """What the guard finds in an output: the addresses a reader can find in it, and notes
    of the private key material it holds and of what of it could not be read whole (see
    RecipientEmailGuard.report). Sorted, each once."""
    decoded = decoded_texts(output.path, output.data)
    digest = hashlib.sha256(output.data).hexdigest().encode() if decoded.unread else b""
    found = {_note(_UNREAD, reason, digest) for reason in decoded.unread}
    for text in decoded.texts:
        found.update(address.decode("ascii", "replace").lower() for address in addresses(text))
    keys: dict[bytes, str] = {}  # one note for each key, though it may match two forms
    for text in decoded.decoded:
        if may_hold_key_material(text):
            for whole in (text, without_markup(text)) if b"<" in text else (text,):
                keys.update((key.evidence, key.kind) for key in key_material_in(whole))
    found.update(_note(_KEY, kind, evidence) for evidence, kind in keys.items())
    return tuple(sorted(found))


# Notes start with a character no address holds (addresses are found by the regex above).
_NOTE = "\x00"
_KEY = "key"
_UNREAD = "unread"


def _note(kind: str, what: str, evidence: bytes = b"") -> str:
    return _NOTE.join(("", kind, what, evidence.decode("latin-1")))

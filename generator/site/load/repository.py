"""The content repository being read: its folders, paths to Locations, files to text and
schema-checked YAML, and the dates its files hold."""

from __future__ import annotations

import errno
import os
import re
import stat
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from generator.site.load.parsing import Document, read_yaml
from generator.site.model.network import (
    Asset,
)
from generator.site.model.problems import Location, Problems

# Read-only, and never waiting for a writer at the other end of a FIFO.
_OPEN = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
# Larger than any file a person writes or signs here (badge images are limited further).
MAX_FILE_BYTES = 10 * 1024 * 1024

CONTENT = "content"
BADGES = "badges"
ASSERTIONS = "assertions"
THEME = "theme"
# The folders people write, and the only ones a build reads.
SOURCE_FOLDERS = (CONTENT, BADGES, ASSERTIONS, THEME)
TRANSLATION = re.compile(r"^(?P<slug>.+)\.(?P<lang>[a-z]{2})$")


class Repository:
    """The content repository being read: paths in, Locations out."""

    def __init__(self, root: Path, problems: Problems) -> None:
        self.root = root
        self.problems = problems
        self._real_root = root.resolve()
        self._real_folders: dict[Path, Path] = {}

    def location(self, path: Path, line: int | None = None) -> Location:
        """The Location of a file under the root, as printed in diagnostics."""
        return Location(path.relative_to(self.root).as_posix(), line)

    def read_bytes(self, path: Path) -> bytes | None:
        """A file's bytes, or None (reported) when it is not a regular file of the repository
        of a sensible size: a link out of the repository, a FIFO or a device is never read.

        One open and one fstat, as reading it would cost anyway (thousands of credentials):
        the file is opened without following a last link and without blocking on a FIFO;
        only a link, or a folder seen for the first time, is resolved."""
        try:
            inside = self._real_folder(path.parent).is_relative_to(self._real_root)
            try:
                handle = os.open(path, _OPEN | getattr(os, "O_NOFOLLOW", 0)) if inside else -1
            except OSError as error:
                if error.errno != errno.ELOOP:
                    raise
                inside = path.resolve().is_relative_to(self._real_root)
                handle = os.open(path, _OPEN) if inside else -1
            if not inside:
                self.problems.error(
                    self.location(path),
                    "is a link to a file outside the repository; put the file itself here",
                )
                return None
            with open(handle, "rb") as file:
                status = os.fstat(handle)
                if not stat.S_ISREG(status.st_mode):
                    self.problems.error(
                        self.location(path),
                        "is not a regular file (a FIFO, device or socket); replace it",
                    )
                    return None
                if status.st_size > MAX_FILE_BYTES:
                    self.problems.error(
                        self.location(path),
                        f"is {status.st_size:,} bytes, more than the {MAX_FILE_BYTES:,} a file "
                        "of the repository may hold; make it smaller",
                    )
                    return None
                return file.read()
        except OSError as error:
            self.problems.error(
                self.location(path),
                f"cannot be read: {error.strerror or error}; check its permissions",
            )
            return None

    def files_below(self, folder: Path, *, hidden: bool = False) -> list[Path]:
        """Every file below a folder, sorted, for read_bytes to read (and refuse): links to
        folders are followed only inside the repository (one outside is reported), each
        real folder once; names starting with '.' are left out unless hidden is asked for."""
        found: list[Path] = []
        seen: set[Path] = set()
        if not folder.is_dir():
            return found  # no such folder: nothing of it to read
        if not folder.resolve().is_relative_to(self._real_root):
            self.problems.error(
                self.location(folder),
                "is a link to a folder outside the repository; put the files themselves here",
            )
            return found
        pending = [folder]
        while pending:
            current = pending.pop()
            try:
                real = current.resolve()
                if real in seen:
                    continue
                seen.add(real)
                entries = sorted(os.scandir(current), key=lambda entry: entry.name)
            except OSError as error:
                self.problems.error(
                    self.location(current),
                    f"cannot be read: {error.strerror or error}; check its permissions",
                )
                continue
            for entry in entries:
                path = current / entry.name
                if entry.name.startswith(".") and not hidden:
                    continue
                if not entry.is_dir():
                    found.append(path)  # a link, a FIFO…: read_bytes says what is wrong
                elif not entry.is_symlink() or path.resolve().is_relative_to(self._real_root):
                    pending.append(path)
                else:
                    self.problems.error(
                        self.location(path),
                        "is a link to a folder outside the repository; put the files themselves here",
                    )
        return sorted(found)

    def _real_folder(self, folder: Path) -> Path:
        """Where a folder really is, links followed (found once per folder)."""
        real = self._real_folders.get(folder)
        if real is None:
            real = self._real_folders[folder] = folder.resolve()
        return real

    def read_text(self, path: Path) -> str | None:
        """A file's text, or None (reported) when it cannot be read or is not valid UTF-8."""
        data = self.read_bytes(path)
        if data is None:
            return None
        try:
            # utf-8-sig: editors on Windows often start files with a byte-order mark.
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = data.count(b"\n", 0, error.start) + 1
            self.problems.error(
                self.location(path, line), f"not valid UTF-8 ({error.reason}); save it as UTF-8"
            )
            return None

    def yaml(self, path: Path, kind: str, *, partial: bool = False) -> Document | None:
        """A YAML file parsed and checked against its schema, or None when unusable.

        With partial, a mapping that breaks its schema is still returned, without the
        fields the schema refused (named in its `broken`), so that what the rest of the file
        says can be checked in the same run: its schema problems are reported, and the file
        counts as not loaded for everything else.
        """
        text = self.read_text(path)
        if text is None:
            return None
        before = len(self.problems.items)
        document = read_yaml(text, self.location(path), self.problems)
        if document.value is None and len(self.problems.items) == before:
            self.problems.error(
                document.location, f"the file is empty; see generator/schemas/{kind}.schema.json"
            )
        if document.value is None:
            return None
        # Imported here: the validator (jsonschema, a tenth of a second) is needed once a YAML
        # file is read, and the build that finds nothing changed reads none.
        from generator.site.load import schema

        broken = schema.broken_parts(document, kind, self.problems)
        if broken is None or (broken and (not partial or schema.WHOLE_FILE in broken)):
            return None
        if broken:
            return replace(
                document,
                value=_without(document.value, broken),
                broken=frozenset(part[0] for part in broken),
            )
        return document

    def asset(
        self, folder: Path, name: str, document: Document, field: tuple[str, ...]
    ) -> Asset | None:
        """A file named in a YAML field, relative to that YAML file's folder."""
        path = (folder / name).resolve()
        location = document.at(field)
        if not path.is_relative_to(self.root.resolve()):
            self.problems.error(
                location, f"'{name}' points outside the repository; keep files inside it"
            )
            return None
        if not path.is_file():
            self.problems.error(
                location,
                f"file '{name}' not found next to {document.location.path}; add it or fix the name",
            )
            return None
        data = self.read_bytes(path)
        if data is None:
            return None
        return Asset(path.relative_to(self.root.resolve()).as_posix(), data, location)


def _without(value: dict[str, Any], broken: frozenset[tuple[str, ...]]) -> dict[str, Any]:
    """A file's fields without its broken parts: a broken field is left out, and so is a
    broken entry of a field that maps names to entries (one machine, not all of them)."""
    kept: dict[str, Any] = {}
    for name, item in value.items():
        if (name,) in broken:
            continue
        entries = {part[1] for part in broken if len(part) == 2 and part[0] == name}
        kept[name] = (
            {key: entry for key, entry in item.items() if key not in entries} if entries else item
        )
    return kept


def parse_datetime(
    text: str, document: Document, field: tuple[str | int, ...], problems: Problems
) -> datetime:
    """A timezone-aware datetime from an ISO 8601 string checked by the schema."""
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        problems.error(
            document.at(field),
            f"'{text}' is not a valid date and time; write e.g. 2026-01-31T10:00:00Z",
        )
        return datetime.min


def parse_date(document: Document, field: str, problems: Problems) -> date | None:
    text = document.value.get(field)
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        problems.error(
            document.at((field,)), f"'{text}' is not a valid date; write it as YYYY-MM-DD"
        )
        return None


def listed_files(
    folder: Path, suffix: str, source: Repository, unreadable: set[str], kind: str
) -> list[Path]:
    """The files of a folder with a suffix, sorted; a .yml file is reported (and unreadable)."""
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or path.is_dir():
            continue
        if path.suffix == ".yml" and suffix == ".yaml":
            source.problems.error(
                source.location(path), "use the .yaml extension, not .yml; rename the file"
            )
            unreadable.add(f"{kind}:{path.stem}")
        elif path.suffix == suffix:
            found.append(path)
    return found

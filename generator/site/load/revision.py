"""The content as it was at a git revision (for `--since`): its source folders read from git
into a temporary folder, and loaded like the content itself.

The source folder may be anywhere inside a git work tree; the revision is read from that
repository's history (a commit, branch or tag), so uncommitted edits are never mistaken for
what was published.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path, PurePosixPath

from generator.site.load.network import load_network
from generator.site.load.repository import ASSERTIONS, BADGES, CONTENT
from generator.site.model.network import Network
from generator.site.model.problems import BuildFailed, Problems

# What load_network reads; the theme publishes no address of its own.
LOADED_FOLDERS = (CONTENT, BADGES, ASSERTIONS)
_REGULAR_FILES = (b"100644", b"100755")  # links (120000) and submodules (160000) are not content


class RevisionUnavailable(Exception):
    """--since names nothing git can give; the message says why and what to do."""


def load_revision(source: Path, revision: str) -> Network | None:
    """The network as it was at a git revision (its own problems ignored: only what it
    published matters), or None if the source folder held no site then."""
    top, prefix = _work_tree(source, revision)
    commit = _commit(top, revision)
    listing = _git(
        top, "ls-tree", "-r", "-z", commit, "--", *(prefix + folder for folder in LOADED_FOLDERS)
    )
    entries = []
    for line in listing.split(b"\0"):
        info, _, name = line.partition(b"\t")
        mode, kind, object_id = [*info.split(b" "), b"", b""][:3]
        if kind == b"blob" and mode in _REGULAR_FILES:
            entries.append((object_id, _relative(os.fsdecode(name), prefix)))
    with tempfile.TemporaryDirectory(prefix="fababrest-since-") as folder:
        root = Path(folder)
        blobs = _blobs(top, [object_id for object_id, _ in entries])
        for (_, relative), data in zip(entries, blobs, strict=True):
            if relative is not None:
                path = root / relative
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
        if not (root / CONTENT / "site.yaml").is_file():
            return None
        try:
            return load_network(root, Problems())
        except BuildFailed:
            return None  # no readable site settings at that revision: it published nothing


def _work_tree(source: Path, revision: str) -> tuple[Path, str]:
    """The work tree holding the source folder, and the source's path in it ('' or 'a/b/')."""
    if not source.is_dir():
        raise RevisionUnavailable(f"--since {revision}: {source} is not a folder")
    try:
        result = _run(source, "rev-parse", "--show-toplevel", "--show-prefix")
    except subprocess.CalledProcessError as error:
        raise RevisionUnavailable(
            f"--since {revision}: {source} is not in a git repository "
            f"({_first_line(error.stderr)}); --since compares the content with a git revision"
        ) from None
    top, prefix = os.fsdecode(result).split("\n")[:2]
    return Path(top), prefix


def _commit(top: Path, revision: str) -> str:
    """The commit a revision names; refused with advice if there is none."""
    if not revision or revision.startswith("-"):
        raise RevisionUnavailable(f"--since '{revision}' is not a git revision")
    try:
        commit = _run(top, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    except subprocess.CalledProcessError:
        raise RevisionUnavailable(
            f"--since {revision}: no such commit, branch or tag in the git repository at {top}; "
            "give one that exists (in CI, fetch the history: actions/checkout with "
            "fetch-depth: 0)"
        ) from None
    return commit.decode("ascii").strip()


def _relative(name: str, prefix: str) -> PurePosixPath | None:
    """A path of the tree relative to the source folder; None if it could leave it."""
    path = PurePosixPath(name[len(prefix) :]) if name.startswith(prefix) else None
    if path is None or path.is_absolute() or any(p in ("", ".", "..") for p in path.parts):
        return None
    return path


def _blobs(top: Path, object_ids: list[bytes]) -> list[bytes]:
    """The contents of some blobs, in order, read by one `git cat-file --batch`."""
    if not object_ids:
        return []
    output = _git(top, "cat-file", "--batch", stdin=b"".join(oid + b"\n" for oid in object_ids))
    contents, position = [], 0
    for _ in object_ids:
        header_end = output.index(b"\n", position)
        size = int(output[position:header_end].split(b" ")[2])
        contents.append(output[header_end + 1 : header_end + 1 + size])
        position = header_end + 1 + size + 1  # the contents end with a newline
    return contents


def _git(folder: Path, *args: str, stdin: bytes | None = None) -> bytes:
    """The output of a git command that must succeed (a failure here is a bug, or a broken
    repository: it is said in one line)."""
    try:
        return _run(folder, *args, stdin=stdin)
    except subprocess.CalledProcessError as error:
        raise RevisionUnavailable(
            f"git {args[0]} failed in {folder}: {_first_line(error.stderr)}"
        ) from None


def _run(folder: Path, *args: str, stdin: bytes | None = None) -> bytes:
    try:
        result = subprocess.run(
            ["git", "-C", str(folder), *args], input=stdin, capture_output=True, check=True
        )
    except FileNotFoundError:
        raise RevisionUnavailable(
            "--since needs git, which is not installed (or not on PATH)"
        ) from None
    return result.stdout


def _first_line(stderr: bytes) -> str:
    lines = os.fsdecode(stderr).strip().splitlines()
    return lines[0].removeprefix("fatal: ") if lines else "no message from git"

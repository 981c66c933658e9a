"""Files that must never be committed: issuers' private keys, lists of recipients' email
addresses. The issuer tools accept one outside the repository, or inside its git work tree
under a name git ignores; never in a folder the build reads, and never anywhere in a
repository folder that is no git work tree (nothing there tells what will be committed)."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from generator.site.load.repository import SOURCE_FOLDERS
from generator.site.model.problems import Location, Problems


@dataclass(frozen=True)
class PrivateFile:
    """A kind of file that must never be committed, as the messages that refuse it say."""

    what: str
    """What the file is: 'a private key'."""
    it: str
    """The file named again in a sentence: 'the key'."""
    instead: str
    """Where to put it instead: 'write it outside the repository, e.g. …'."""
    ignored: str
    """A name .gitignore ignores: '*.pem'."""


def private_key(issuer_slug: str) -> PrivateFile:
    """An issuer's private key, which keygen writes."""
    return PrivateFile(
        what="a private key",
        it="the key",
        instead=f"write it outside the repository, e.g. --key-file ~/.fababrest/{issuer_slug}.pem",
        ignored="*.pem",
    )


def recipients_list(path: Path) -> PrivateFile:
    """A CSV of recipients, which `issue --csv` reads."""
    return PrivateFile(
        what="a list of recipients' email addresses",
        it="the list",
        instead=f"move it outside the repository, e.g. ~/fababrest/{path.name}",
        ignored="*.csv",
    )


def check_private_location(source: Path, path: Path, kind: PrivateFile, problems: Problems) -> None:
    """Refuse a private file that could be published or committed: inside a folder the build
    reads (even if git ignores it), inside the git work tree holding the repository unless
    git ignores it, or inside the repository when it is no git work tree (or git is missing)."""
    where = Location(str(path))
    target, root = path.expanduser().resolve(), source.resolve()
    folder = next((f for f in SOURCE_FOLDERS if target.is_relative_to((root / f).resolve())), None)
    tree = _work_tree(root)
    if folder is not None:
        problems.error(
            where,
            f"{kind.what} must never be inside {folder}/ (it would be published or "
            f"committed); {kind.instead}",
        )
    elif tree is not None and target.is_relative_to(tree) and not _ignored(tree, target):
        problems.error(
            where,
            f"{kind.what} inside the repository ({tree}) must be ignored by git, or one "
            f"'git add -A' commits and publishes it; {kind.instead} (or give it a name "
            f".gitignore ignores, such as {kind.ignored})",
        )
    elif tree is None and target.is_relative_to(root):
        problems.error(
            where,
            f"{kind.what} must not be inside the repository ({root}): it is not a git work "
            f"tree (or git is missing), so nothing tells whether {kind.it} would be committed "
            f"or shared; {kind.instead}",
        )


def _work_tree(folder: Path) -> Path | None:
    """The top of the git work tree holding a folder; None outside one (or without git)."""
    top = _git(folder, "rev-parse", "--show-toplevel")
    return Path(os.fsdecode(top.stdout.strip())).resolve() if top and top.returncode == 0 else None


def _ignored(tree: Path, path: Path) -> bool:
    """Whether git ignores a path of its work tree (`git add -A` would leave it out)."""
    answer = _git(tree, "check-ignore", "--quiet", "--", str(path))
    return answer is not None and answer.returncode == 0


def _git(folder: Path, *args: str) -> subprocess.CompletedProcess[bytes] | None:
    """A git command's result (its failures are answers too); None without git or folder."""
    try:
        return subprocess.run(["git", "-C", str(folder), *args], capture_output=True, check=False)
    except OSError:
        return None

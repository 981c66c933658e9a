"""Exit 1 unless this environment holds only what a lock pins, at the lock's versions.

.ci/run installs the test lock (`pip install --require-hashes -r requirements/test.txt`),
then runs README's test command, which must find every dependency already there. A
distribution that the lock does not pin, or at another version, came in with no hash to
vouch for it; one the lock pins but that is missing means the lock was not installed whole.

    python .ci/installed_matches_lock.py requirements/test.txt
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from importlib import metadata
from pathlib import Path

# What no lock pins: the virtual environment's own pip (it comes with Python, as venv makes
# it) and this project, installed from the working tree by README's command.
NOT_LOCKED = frozenset({"pip", "fababrest-badges"})
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)", re.MULTILINE)


def canonical_name(name: str) -> str:
    """A distribution's name as packaging compares it (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def read_lock(text: str) -> dict[str, str]:
    """The lock's pins: canonical name -> version."""
    return {canonical_name(name): version for name, version in PIN.findall(text)}


def installed_distributions() -> dict[str, str]:
    """Every distribution this Python can import from: canonical name -> version."""
    return {
        canonical_name(distribution.metadata["Name"]): distribution.version
        for distribution in metadata.distributions()
    }


def mismatches(lock: Mapping[str, str], installed: Mapping[str, str]) -> list[str]:
    """What differs between the lock and the environment, one sentence each, sorted."""
    problems = []
    for name, version in sorted(installed.items()):
        if name in NOT_LOCKED:
            continue
        if name not in lock:
            problems.append(f"{name} {version} is installed, but the lock does not pin it")
        elif lock[name] != version:
            problems.append(f"{name} {version} is installed, but the lock pins {lock[name]}")
    problems.extend(
        f"{name} {lock[name]} is pinned by the lock, but not installed"
        for name in sorted(lock.keys() - installed.keys())
    )
    return problems


def main(arguments: list[str]) -> int:
    """Print each mismatch as `lock: error: ...` and return 1 if there is any."""
    lock_path = Path(arguments[0])
    problems = mismatches(
        read_lock(lock_path.read_text(encoding="utf-8")), installed_distributions()
    )
    for problem in problems:
        print(
            f"{lock_path}: error: {problem}; install only from the lock "
            f"(pip install --require-hashes -r {lock_path}); a new dependency goes in "
            "pyproject.toml, then the locks are compiled again (README, Development)",
            file=sys.stderr,
        )
    if problems:
        print(f"{len(problems)} error(s)", file=sys.stderr)
        return 1
    print(f"{lock_path}: every installed distribution is the one the lock pins")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

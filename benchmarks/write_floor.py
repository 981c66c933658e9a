"""The floor of a build on this disk: the time to write a built site's files, nothing else.

python benchmarks/write_floor.py SITE DESTINATION

Reads every file of SITE into memory, then times creating DESTINATION with the same folders
and files (the same names and bytes), as plainly as Python can: os.makedirs and one write a
file, no checking, no rendering, no temporary names. Prints the seconds on its last line. A
build that writes the same files cannot take less (benchmarks/bench.py measures it beside
the builds, in the same conditions).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path


def read_site(site: Path) -> list[tuple[str, bytes]]:
    """Every file of a site: its path inside it, and its bytes."""
    files = []
    for folder, _, names in os.walk(site):
        for name in names:
            path = Path(folder, name)
            files.append((path.relative_to(site).as_posix(), path.read_bytes()))
    return files


def write_site(files: list[tuple[str, bytes]], destination: Path) -> float:
    """Write the files under destination (which must not exist); the seconds it took."""
    started = time.perf_counter()
    made: set[str] = set()
    for relative, data in files:
        folder = os.path.dirname(relative)
        if folder not in made:
            os.makedirs(destination / folder, exist_ok=True)
            made.add(folder)
        with open(destination / relative, "wb") as file:
            file.write(data)
    return time.perf_counter() - started


def main(argv: list[str]) -> int:
    site, destination = Path(argv[0]), Path(argv[1])
    if destination.exists():
        print(f"error: {destination} exists; give a folder to create", file=sys.stderr)
        return 2
    print(f"{write_site(read_site(site), destination):.4f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

"""What `serve` does after an issuer edits one credential: python benchmarks/serve_edit.py SOURCE OUT RUNS.

Builds SOURCE into OUT as `serve` does at its start, then, RUNS times, rewrites one
credential with other formatting (other bytes, same signed content: it must be verified
again) and times the build of what changed that `serve` runs when it sees the change, until the files are
written and the browser may be told to reload. Prints one JSON line: the seconds of each
rebuild and the files each wrote. The original file is restored at the end.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from generator.site.build import build  # noqa: E402
from generator.site.built import Built  # noqa: E402
from generator.site.load.assertions import STATUS_LIST_FILE  # noqa: E402
from generator.site.load.repository import ASSERTIONS  # noqa: E402


def main(source: Path, out: Path, runs: int) -> dict[str, list[float]]:
    """Time `runs` one-credential rebuilds; return their seconds and files written."""
    last: Built = build(source, out)
    credential = next(
        path
        for path in sorted((source / ASSERTIONS).glob("*/*.json"))
        if path.name != STATUS_LIST_FILE
    )
    original = credential.read_bytes()
    document = json.loads(original)
    seconds: list[float] = []
    files: list[float] = []
    try:
        for run in range(runs):
            credential.write_text(json.dumps(document, indent=3 + run % 2), "utf-8")
            started = time.perf_counter()
            last = build(source, out, last=last)
            seconds.append(time.perf_counter() - started)
            files.append(last.report.files)
            if not last.report.incremental:
                raise SystemExit("the edit was not rebuilt incrementally")
    finally:
        credential.write_bytes(original)
        build(source, out, last=last)
    return {"seconds": seconds, "files": files}


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]))))

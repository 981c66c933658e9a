"""pyld (as the build uses it) against pyoxigraph: python benchmarks/canonicalization.py NETWORK.

For every signed file of a network (a benchmark network, or the example), canonicalizes the
document and its proof options (what eddsa-rdfc-2022 hashes) with the project's code
(`generator.openbadges.jsonld`, pyld with remembered contexts) and with pyoxigraph's RDFC-1.0
(the Rust library, given the bundled contexts inlined, since it fetches none). Prints the
median milliseconds per signed file for each, and whether every result is the same bytes.

pyoxigraph is not a dependency of the project: run this with a Python where it is installed,
for instance `python -m venv --system-site-packages /tmp/ox && /tmp/ox/bin/pip install
pyoxigraph && /tmp/ox/bin/python benchmarks/canonicalization.py NETWORK`.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import pyoxigraph  # noqa: E402

from generator.openbadges.jsonld import canonicalize, load_context  # noqa: E402


def inlined(document: dict[str, Any]) -> dict[str, Any]:
    """The document with each context URL replaced by the bundled context's content."""
    contexts = document["@context"]
    urls = contexts if isinstance(contexts, list) else [contexts]
    return {
        **document,
        "@context": [load_context(url)["@context"] if isinstance(url, str) else url for url in urls],
    }


def with_pyoxigraph(document: dict[str, Any]) -> str:
    """RDFC-1.0 canonical N-Quads by pyoxigraph."""
    quads = pyoxigraph.parse(json.dumps(inlined(document)), format=pyoxigraph.RdfFormat.JSON_LD)
    dataset = pyoxigraph.Dataset(quads)
    dataset.canonicalize(pyoxigraph.CanonicalizationAlgorithm.RDFC_1_0)
    lines = sorted(f"{quad} .\n" for quad in dataset)
    return "".join(lines)


def signed_parts(document: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The unsecured document, and each proof's options with the document's context."""
    proofs = document.get("proof", [])
    yield {key: value for key, value in document.items() if key != "proof"}
    for proof in proofs if isinstance(proofs, list) else [proofs]:
        options = {key: value for key, value in proof.items() if key != "proofValue"}
        yield {**options, "@context": document["@context"]}


def timed(function: Callable[[dict[str, Any]], str], parts: list[dict[str, Any]]) -> tuple[float, str]:
    started = time.perf_counter()
    result = "".join(function(part) for part in parts)
    return (time.perf_counter() - started) * 1000, result


def main(network: Path) -> None:
    files = sorted((network / "assertions").rglob("*.json"))
    ours_ms, theirs_ms, differ = [], [], []
    for path in files:
        parts = list(signed_parts(json.loads(path.read_text("utf-8"))))
        ours, expected = timed(canonicalize, parts)
        theirs, found = timed(with_pyoxigraph, parts)
        ours_ms.append(ours)
        theirs_ms.append(theirs)
        if found != expected:
            differ.append(path.relative_to(network).as_posix())
    print(f"{len(files)} signed files of {network}")
    print(f"pyld, remembered contexts: {statistics.median(ours_ms):.2f} ms per file (median)")
    print(f"pyoxigraph {pyoxigraph.__version__}: {statistics.median(theirs_ms):.2f} ms per file")
    print(f"same bytes: {len(files) - len(differ)} of {len(files)}" + (f"; differ: {differ[:5]}" if differ else ""))


if __name__ == "__main__":
    main(Path(sys.argv[1]))

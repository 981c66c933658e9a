"""The fast canonicalization path gives exactly the bytes of plain pyld.

`generator.openbadges.jsonld` remembers processed JSON-LD contexts across documents, through
an override of a private pyld method (about 2.5 times faster; see pyld_remembered_contexts.py).
These tests canonicalize the official test vector, every credential of the example network
and of a generated benchmark network, and documents with their own inline contexts,
interleaved so that the remembered contexts are reused across different documents, and
compare each result with a plain pyld call that remembers nothing of ours.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pyld import jsonld as pyld

from generator.openbadges import jsonld, pyld_remembered_contexts

from .conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))

import synthetic_network  # benchmarks/ is not a package

VECTORS = ROOT / "tests" / "vectors"


def plain_pyld(document: dict[str, Any]) -> str:
    """RDFC-1.0 N-Quads from pyld alone, with a fresh context cache for this one call."""
    from pyld.context_resolver import ContextResolver

    options = {
        "algorithm": "URDNA2015",
        "format": "application/n-quads",
        "documentLoader": jsonld.document_loader,
        "contextResolver": ContextResolver({}, jsonld.document_loader),
        "processingMode": "json-ld-1.1",
    }
    result: str = pyld.JsonLdProcessor().normalize(json.loads(json.dumps(document)), options)
    return result


def signed_parts(document: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """What eddsa-rdfc-2022 canonicalizes: the document without proof, each proof's options."""
    proofs = document.get("proof", [])
    yield {key: value for key, value in document.items() if key != "proof"}
    for proof in proofs if isinstance(proofs, list) else [proofs]:
        options = {key: value for key, value in proof.items() if key != "proofValue"}
        yield {**options, "@context": document["@context"]}


def signed_files(folder: Path) -> list[Path]:
    return sorted(path for path in (folder / "assertions").rglob("*.json"))


def assert_same_as_plain_pyld(documents: list[dict[str, Any]]) -> None:
    for document in documents:
        for part in signed_parts(document):
            assert jsonld.canonicalize(part) == plain_pyld(part), json.dumps(part)[:300]
    assert pyld_remembered_contexts.PROCESSED_CONTEXTS, "the fast path was taken"


def test_the_official_vector_and_the_example_network() -> None:
    files = [VECTORS / "obv3-signed-example.json", *signed_files(ROOT)]
    documents = [json.loads(path.read_text("utf-8")) for path in files]
    assert len(documents) > 5
    assert_same_as_plain_pyld(documents)
    vector = documents[0]
    document, proof = signed_parts(vector)
    assert jsonld.canonicalize(document) == (VECTORS / "obv3-document-canon.txt").read_text("utf-8")
    assert jsonld.canonicalize(proof) == (VECTORS / "obv3-proof-canon.txt").read_text("utf-8")


def test_every_credential_of_a_benchmark_network(tmp_path: Path) -> None:
    network = tmp_path / "network"
    synthetic_network.generate(network, 40, seed=5)
    documents = [json.loads(path.read_text("utf-8")) for path in signed_files(network)]
    assert len(documents) > 40  # credentials, status lists, revocation records
    assert_same_as_plain_pyld(documents)


def inline_context(term: str) -> dict[str, Any]:
    return {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            {"@vocab": "https://example.org/vocab#", term: {"@id": f"https://example.org/{term}"}},
        ],
        "type": ["VerifiableCredential"],
        "issuer": "did:web:example.org",
        "validFrom": "2024-01-01T00:00:00Z",
        "credentialSubject": {term: "value", "other": {"type": "Thing", term: 1}},
    }


@pytest.mark.parametrize("rounds", [3])
def test_documents_with_their_own_contexts_interleaved(rounds: int) -> None:
    vector = json.loads((VECTORS / "obv3-signed-example.json").read_text("utf-8"))
    documents = []
    for number in range(rounds):
        documents += [inline_context(f"term{number}"), vector, inline_context("shared")]
    assert_same_as_plain_pyld(documents)

"""Every JSON document of the example network and of each golden site: its `id` is the URL
at which it is served (README, "The URL scheme"), and every JSON-LD document passes safe-mode
expansion, by our own check and by Digital Bazaar's jsonld.js (tests/interop/expand.mjs)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from generator.openbadges.jsonld import undefined_terms
from generator.site.model.urls import Urls

INTEROP = Path(__file__).resolve().parent / "interop"
SITE_NAMES = ["example", "minimal", "signed"]


def json_documents(site: Path) -> dict[str, Any]:
    """path inside the site -> parsed JSON, for every .json file it publishes (but the search
    index's, which Pagefind makes for its own script: no document of ours)."""
    return {
        path.relative_to(site).as_posix(): json.loads(path.read_text("utf-8"))
        for path in sorted(site.rglob("*.json"))
        if path.relative_to(site).parts[0] != "pagefind"
    }


def identifier_problem(path: str, document: Any, urls: Urls) -> str | None:
    """How a document's id differs from its URL, or None. A JSON Schema names itself with
    `$id`; a DID document's `id` is the DID that resolves to its URL."""
    url = urls.absolute(path)
    if not isinstance(document, dict):
        return "not a JSON object"
    if path.startswith("schemas/"):
        return None if document.get("$id") == url else f"$id is {document.get('$id')!r}"
    if path.endswith("/did.json"):
        did = str(document.get("id"))
        return None if Urls.did_document_url(did) == url else f"DID {did} resolves elsewhere"
    return None if document.get("id") == url else f"id is {document.get('id')!r}, not {url}"


@pytest.mark.parametrize("name", SITE_NAMES)
def test_every_json_document_has_its_url_as_id(name: str, published_sites: dict[str, Path]) -> None:
    site = published_sites[name]
    documents = json_documents(site)
    urls = Urls(documents["data/badges.json"]["base_url"])
    assert {"data/badges.json", "data/skills-map.json"} <= set(documents)
    problems = {
        path: problem
        for path, document in documents.items()
        if (problem := identifier_problem(path, document, urls))
    }
    assert problems == {}


@pytest.mark.parametrize("name", SITE_NAMES)
def test_every_json_ld_document_passes_safe_mode(
    name: str, published_sites: dict[str, Path]
) -> None:
    site = published_sites[name]
    linked = {
        path: document
        for path, document in json_documents(site).items()
        if isinstance(document, dict) and "@context" in document
    }
    # the kinds the URL scheme publishes as JSON-LD (revocation lists where awards are signed)
    assert any(path.endswith("/profile.json") for path in linked)
    if name != "minimal":
        assert any(path.endswith("/status/revocation-list.json") for path in linked)
    ours = {
        path: terms for path, document in linked.items() if (terms := undefined_terms(document))
    }
    assert ours == {}
    node = shutil.which("node")
    if node is None or not (INTEROP / "node_modules" / "jsonld").is_dir():
        pytest.skip("jsonld.js needs Node.js and `npm ci --prefix tests/interop`")
    done = subprocess.run(
        [node, str(INTEROP / "expand.mjs"), *(str(site / path) for path in linked)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    reports = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    assert len(reports) == len(linked), done.stderr
    assert {r["file"]: r["error"] for r in reports if not r["expanded"]} == {}
    assert done.returncode == 0


def test_safe_mode_refuses_a_document_without_context(tmp_path: Path) -> None:
    """Negative controls: the revocation list as it was published before it had a @context,
    and a term a context does not define, are safe-mode errors."""
    node = shutil.which("node")
    if node is None or not (INTEROP / "node_modules" / "jsonld").is_dir():
        pytest.skip("jsonld.js needs Node.js and `npm ci --prefix tests/interop`")
    bare = tmp_path / "bare.json"
    bare.write_text(json.dumps({"id": "https://example.org/l.json", "revokedCredentials": []}))
    undefined = tmp_path / "undefined.json"
    undefined.write_text(
        json.dumps({"@context": {"id": "@id"}, "id": "https://example.org/l.json", "colour": 1})
    )
    done = subprocess.run(
        [node, str(INTEROP / "expand.mjs"), str(bare), str(undefined)],
        capture_output=True,
        text=True,
        check=False,
    )
    reports = [json.loads(line) for line in done.stdout.splitlines()]
    assert [(r["expanded"], r["error"][:20]) for r in reports] == [
        (False, "Safe mode validation"),
        (False, "Safe mode validation"),
    ]
    assert '"property":"id"' in reports[0]["error"]
    assert '"property":"colour"' in reports[1]["error"]
    assert done.returncode == 1

"""The search index the build writes (generator/site/write/search_index.py): what it holds and
never holds, that the privacy guard reads it, and that a build reuses it when the indexed
pages did not change. The browser's side is tests/test_search_browser.py."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.cache import Store
from generator.cli.commands import main
from generator.site.build import build
from generator.site.check.privacy import addresses, findings_in
from generator.site.model.output import Output
from generator.site.write import search_index
from generator.site.write.search_index import indexed_part

from .conftest import ROOT, copy_example


def index_texts(site: Path) -> dict[str, bytes]:
    """Every file of the site's search index, inflated when it is gzip (as the guard reads it)."""
    texts = {}
    for path in sorted((site / "pagefind").rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            texts[path.relative_to(site).as_posix()] = (
                gzip.decompress(data) if data.startswith(b"\x1f\x8b") else data
            )
    return texts


def holding(site: Path, text: str) -> list[str]:
    return [path for path, data in index_texts(site).items() if text.encode() in data]


@pytest.fixture
def example(tmp_path: Path, example_cache: Callable[[Path], Path]) -> Path:
    """A copy of the example network with the session's cache store."""
    return example_cache(copy_example(tmp_path / "source"))


def test_the_example_index_holds_the_pages_people_look_for_and_no_award(
    example_site: Path,
) -> None:
    texts = index_texts(example_site)
    assert "pagefind/pagefind.js" in texts and "pagefind/pagefind-entry.json" in texts
    assert not any("-ui." in path for path in texts)  # Pagefind's own interfaces left out
    fragments = b"".join(data for path, data in texts.items() if "/fragment/" in path)
    for url in (
        b'"/badges/decoupe-laser-premiers-pas/"',
        b'"/en/badges/decoupe-laser-premiers-pas/"',
        b'"/issuers/fablab-exemple-port/"',
        b'"/issuers/fablab-exemple-port/machines/laser-co2/"',
        b'"/pages/charte/"',
        b'"/map/decoupe-laser/"',
    ):
        assert url in fragments, url
    assert b'"/awards/' not in fragments and b'"/en/awards/' not in fragments
    assert b'"/people/' not in fragments  # portfolios: another consent than "resource"
    assert list(addresses(fragments)) == []  # no structure's contact address either
    assert holding(example_site, "Ève Quéré")  # consented to be listed as a resource person
    assert not holding(example_site, "Alice Martin") and not holding(example_site, "Bob Le Gall")


def test_breton_pages_have_an_index_of_their_own_without_stemming(example_site: Path) -> None:
    # Pagefind has no Breton stemmer: it indexes the Breton pages apart all the same, words as
    # written, and the browser loads its language-neutral WebAssembly for them.
    entry = json.loads((example_site / "pagefind" / "pagefind-entry.json").read_bytes())
    breton = entry["languages"]["br"]
    assert breton["wasm"] is None and breton["page_count"] == entry["languages"]["fr"]["page_count"]
    assert (example_site / "pagefind" / "wasm.unknown.pagefind").is_file()
    texts = index_texts(example_site)
    fragments = b"".join(data for path, data in texts.items() if "/fragment/" in path)
    assert b'"/br/badges/decoupe-laser-premiers-pas/"' in fragments
    assert "Troc\u2019hañ laser".encode() in fragments  # a Breton badge's name
    assert b'"/br/awards/' not in fragments


def test_a_withdrawn_consent_leaves_every_index_file_at_the_next_build(
    example: Path, tmp_path: Path
) -> None:
    out = tmp_path / "site"
    build(example, out)
    assert holding(out, "Ève Quéré")
    person = example / "content" / "people" / "eve-q.yaml"
    person.write_text(person.read_text().replace("resource: true", "resource: false"))
    charte = example / "content" / "pages" / "charte.md"
    charte.write_text(charte.read_text().replace("title:", "search: false\ntitle:", 1))
    build(example, out)
    assert holding(out, "Ève Quéré") == [] and holding(out, "Quéré") == []
    assert holding(out, '"/pages/charte/"') == []  # front matter `search: false`
    assert holding(out, '"/pages/la-demarche/"')


def test_a_warm_build_with_the_same_indexed_pages_runs_no_pagefind(
    example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runs: list[int] = []
    run = search_index._run_pagefind

    def counted(pages: dict[str, bytes]) -> list[tuple[str, bytes]]:
        runs.append(len(pages))
        return run(pages)

    monkeypatch.setattr(search_index, "_run_pagefind", counted)
    build(example, tmp_path / "first")  # the session's build of the example kept its index
    build(example, tmp_path / "second")
    assert runs == []
    badge = example / "badges" / "decoupe-laser-premiers-pas.yaml"
    badge.write_text(badge.read_text().replace("accompagné", "guidé", 1))
    build(example, tmp_path / "third")
    assert runs == [36 * 3]  # the 36 indexed pages, in French, English and Breton
    assert holding(tmp_path / "third", "guidé")


def test_the_privacy_guard_reads_the_inflated_index() -> None:
    page = (
        '<!doctype html><html lang="fr"><head><title>t</title></head><body>'
        "<main data-pagefind-body><h1>Badge</h1><p>écrire à alice.martin@example.org</p></main>"
        "</body></html>"
    ).encode()
    files = search_index.search_index({"badges/x/index.html": page}, Store(None))
    fragments = [Output(path, data) for path, data in files if path.startswith("fragment/")]
    assert fragments and all(output.data.startswith(b"\x1f\x8b") for output in fragments)
    assert any("alice.martin@example.org" in findings_in(output) for output in fragments)


def test_a_count_left_out_of_the_index_does_not_change_its_key() -> None:
    def page(count: int, text: str = "Découpe") -> bytes:
        return (
            f"<main data-pagefind-body><h1>{text}</h1><p><span data-pagefind-ignore>{count} "
            f"titulaires</span></p></main>"
        ).encode()

    assert indexed_part(page(3)) == indexed_part(page(12))
    assert indexed_part(page(3)) != indexed_part(page(3, "Soudure"))
    # what Pagefind still reads in an ignored element (a filter, a meta) stays in the key
    filtered = b'<span data-pagefind-ignore><b data-pagefind-filter="town">Brest</b></span>'
    assert indexed_part(filtered) == filtered


def test_serve_updates_the_index_when_a_revocation_removes_a_resource_person(
    example: Path, tmp_path: Path
) -> None:
    out = tmp_path / "served"
    last = build(example, out)
    assert holding(out, "Ève Quéré")
    credential = example / "assertions" / "fablab-exemple-port" / "20250201-53010f32.json"
    key = ROOT / "tests" / "keys" / "fablab-exemple-port.test-only-2.pem"
    arguments = ["revoke", str(credential), "--source", str(example), "--reason", "Erreur"]
    revoked = main([*arguments, "--key-file", str(key)])
    assert revoked == 0
    updated = build(example, out, last=last)  # what serve does at each edit
    assert updated.report.incremental
    assert holding(out, "Quéré") == []  # no longer a resource person: gone from the index
    full = tmp_path / "full"
    build(example, full)
    assert index_texts(out) == index_texts(full)  # no stale file of the earlier index left


@pytest.mark.parametrize(
    ("program", "reason"),
    [
        ("/bin/false", "Pagefind ended with 1"),
        ("/nonexistent/pagefind", "No such file or directory"),
    ],
)
def test_a_pagefind_that_fails_is_one_line_and_nothing_is_kept(
    program: str, reason: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", program)
    page = b'<html lang="fr"><body><main data-pagefind-body><h1>Badge</h1></main></body></html>'
    with pytest.raises(search_index.SearchIndexFailed) as failed:
        search_index.search_index({"badges/x/index.html": page}, Store(None))
    assert str(failed.value).startswith("cannot make the search index: ")
    assert reason in str(failed.value) and "\n" not in str(failed.value)


def test_two_indexings_of_the_same_pages_give_the_same_files() -> None:
    """Pagefind writes a filter's values in a hash map's order, which changes at each run:
    the build puts them in order and names the files by their bytes."""
    pages = {
        f"badges/b{number}/index.html": (
            f'<html lang="fr"><body><main data-pagefind-body><h1>Badge {number}</h1>'
            f'<p data-pagefind-filter="domain">Domaine {number % 5}</p>'
            f'<p data-pagefind-filter="town">Ville {number % 7}</p></main></body></html>'
        ).encode()
        for number in range(30)
    }
    first = search_index.search_index(pages, Store(None))
    assert any(path.startswith("filter/") for path, _ in first)
    for _ in range(3):
        assert search_index.search_index(pages, Store(None)) == first

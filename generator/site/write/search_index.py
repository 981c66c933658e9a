"""The site's search index: Pagefind (https://pagefind.app) run offline over the rendered
pages marked for it, its files published with the site under pagefind/.

A page is indexed when its HTML carries `data-pagefind-body` (the templates put it on the
pages people look for: badges, structures, machines, editorial pages, the skills map's
domains; never on an award's page, which is noindex). Pagefind splits the index by each
page's `lang`, with that language's stemming, and the browser loads only the chunks a query
needs (theme/static/search.js).

Why in the write stage: Pagefind is a program (pagefind_bin's binary, from its wheel), and
rendering starts no process; its files are outputs like any other, so they stream through
the writer, which passes each through the privacy guard (the guard inflates the gzip
fragments and reads their text) and writes or, for `check`, only inspects them: `check`
refuses what `build` refuses. Pagefind's Python API (`PagefindIndex.add_html_file`) would
index from memory, but it polls its process every 0.1 s for each answer (8.6 s for the
example's 85 pages against 0.16 s for the command line), so the pages are written to a
temporary folder, never the output, and the command line indexes them there.

Reuse: the index is kept in the cache store, keyed by what Pagefind reads of the pages (see
indexed_part), so a build whose indexed pages did not change (a warm build, serve after a
credential that only changes a count) runs no Pagefind.
"""

from __future__ import annotations

import base64
import binascii
import gzip
import hashlib
import json
import logging
import os
import re
import subprocess
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from generator.cache import SEARCH_INDEX, Store, entry_key
from generator.site.model.output import Output
from generator.site.write.output_folder import SiteNotWritten

log = logging.getLogger(__name__)

MARK = b"data-pagefind-body"
# What the site's script uses of Pagefind's bundle: its JS API (and the worker it starts),
# the languages' entry, WebAssembly and index. Its own search interfaces are left out.
_LEFT_OUT = re.compile(r"pagefind-(component-ui|modular-ui|ui|highlight)\.(js|css)")
_TIMEOUT_SECONDS = 300


class SearchIndexFailed(SiteNotWritten):
    """Pagefind could not index the site (not installed, or it failed): nothing is written."""


def with_search_index(outputs: Iterable[Output], store: Store, folder: str) -> Iterator[Output]:
    """The outputs as they come, then the search index (under `folder`) of the pages among
    them that are marked for it."""
    pages: dict[str, bytes] = {}
    for output in outputs:
        if output.path.endswith(".html") and MARK in output.data:
            pages[output.path] = output.data
        yield output
    yield from (Output(folder + path, data) for path, data in search_index(pages, store))


def search_index(pages: Mapping[str, bytes], store: Store) -> list[tuple[str, bytes]]:
    """Pagefind's bundle for these pages (path in the site -> HTML): its files, sorted; none
    when no page is indexed. From the cache store when the indexed parts are unchanged."""
    if not pages:
        return []
    key = entry_key(
        SEARCH_INDEX,
        *(part for path in sorted(pages) for part in (path, indexed_part(pages[path]))),
    )
    record = store.get(SEARCH_INDEX, key)
    kept = unpack(record) if record is not None else None
    if kept is not None:
        return kept
    files = _run_pagefind(pages)
    for earlier in store.keys(SEARCH_INDEX):  # one index is kept: the last one made
        store.delete(SEARCH_INDEX, earlier)
    store.put(SEARCH_INDEX, key, pack(files))
    return files


# An element Pagefind leaves out of the index (data-pagefind-ignore), with an end tag HTML
# never omits: the non-greedy match ends at or before the element's own end, so the key never
# misses a change to what is indexed. One holding a filter, a meta or an anchor (an id) stays
# in the key: Pagefind still reads those.
_IGNORED = re.compile(
    rb"<(span|div|section|ul|ol|table|aside|dl|small|strong|em|b|i)\b"
    rb"([^>]*\bdata-pagefind-ignore\b[^>]*)>(.*?)</\1>",
    re.DOTALL,
)


def indexed_part(html: bytes) -> bytes:
    """The page as the key of its index sees it: whole, but for the simple elements marked
    data-pagefind-ignore (counts of awards, which change with every credential)."""
    if b"data-pagefind-ignore" not in html:
        return html

    def kept(match: re.Match[bytes]) -> bytes:
        whole, attributes, inner = match.group(0), match.group(2), match.group(3)
        if b" id=" in attributes or b"data-pagefind-" in inner or b" id=" in inner:
            return whole
        return b"<" + match.group(1) + b" data-pagefind-ignore>"

    return _IGNORED.sub(kept, html)


def _run_pagefind(pages: Mapping[str, bytes]) -> list[tuple[str, bytes]]:
    """Index the pages with Pagefind's command line, in a temporary folder; its files."""
    from pagefind.service import get_executable

    executable = get_executable()
    if executable is None:
        raise SearchIndexFailed(
            "cannot make the search index: Pagefind's program is not installed; install the "
            "project's dependencies again (pip install -e .)"
        )
    with tempfile.TemporaryDirectory(prefix="fababrest-search-", dir=_memory_folder()) as temporary:
        site, bundle = Path(temporary, "site"), Path(temporary, "bundle")
        for path, data in pages.items():
            target = site / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        command = [str(executable), "--site", str(site), "--output-path", str(bundle), "--silent"]
        try:
            done = subprocess.run(
                command, capture_output=True, timeout=_TIMEOUT_SECONDS, check=False, cwd=temporary
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            raise SearchIndexFailed(f"cannot make the search index: {error}") from None
        if done.returncode != 0:
            said = (done.stderr or done.stdout).decode("utf-8", "replace").strip()
            reason = f"Pagefind said: {said}" if said else f"Pagefind ended with {done.returncode}"
            raise SearchIndexFailed(f"cannot make the search index: {reason}")
        files = _bundle_files(bundle)
    log.info("search index: %d pages, %d files", len(pages), len(files))
    return files


def _memory_folder() -> str | None:
    """A folder held in memory (Linux's /dev/shm) for Pagefind's temporary files, if there is
    one: removing them from a disk took 0.35 s, twice as long as indexing (ext4); else the
    system's temporary folder."""
    shared = "/dev/shm"
    return shared if os.path.isdir(shared) and os.access(shared, os.W_OK | os.X_OK) else None


def _bundle_files(bundle: Path) -> list[tuple[str, bytes]]:
    """The files of Pagefind's bundle the site serves, sorted, in a stable form (see
    _stable_filters)."""
    files = []
    for folder, subfolders, names in os.walk(bundle):
        subfolders.sort()
        for name in sorted(names):
            path = Path(folder, name)
            relative = path.relative_to(bundle).as_posix()
            if _LEFT_OUT.fullmatch(relative):
                continue
            data = path.read_bytes()
            files.append((relative, data))
    languages = json.loads(dict(files).get("pagefind-entry.json", b"{}")).get("languages", {})
    # A language Pagefind has no stemmer for (Breton) is indexed apart all the same, words as
    # written, its entry's wasm null: the browser then loads the language-neutral
    # wasm.unknown.pagefind (pagefind.js: `index.wasm ? index.wasm : "unknown"`).
    wasm = {f"wasm.{entry.get('wasm') or 'unknown'}.pagefind" for entry in languages.values()}
    return _stable_filters(
        [
            (path, data)
            for path, data in files
            if not (path.startswith("wasm.") and path.endswith(".pagefind")) or path in wasm
        ]
    )


# Pagefind writes each filter's values in the order of a Rust HashMap, which changes from one
# run to the next, and names each file, and the language's meta file that lists them, by a hash
# of its bytes: two builds of the same pages would differ. Each filter file's values are put in
# order, then the files renamed by a hash of their bytes, in the meta file too (the names have
# the same length, so its CBOR stays valid), itself renamed, in the entry's JSON too.
_PREFIX = b"pagefind_dcd"
_FILTER = re.compile(r"filter/(?P<name>[a-z-]+_[0-9a-f]+)\.pf_filter")
_META = re.compile(r"pagefind\.(?P<name>[a-z-]+_[0-9a-f]+)\.pf_meta")


def _stable_filters(files: list[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    """The bundle with its filter and meta files in a stable form, and named by their bytes."""
    renamed: dict[str, str] = {}
    stable: dict[str, bytes] = {}
    for path, data in files:
        found = _FILTER.fullmatch(path)
        if found is None:
            stable[path] = data
            continue
        data = _gzipped(_sorted_filter(gzip.decompress(data)))
        name = found["name"]
        renamed[name] = (
            f"{name.split('_')[0]}_{hashlib.sha256(data).hexdigest()[: len(name.split('_')[1])]}"
        )
        stable[f"filter/{renamed[name]}.pf_filter"] = data
    entry = json.loads(stable.get("pagefind-entry.json", b"{}"))
    metas = {path: found["name"] for path in stable if (found := _META.fullmatch(path))}
    for path, name in metas.items():
        meta = gzip.decompress(stable.pop(path))
        for old, new in renamed.items():
            meta = meta.replace(old.encode(), new.encode())
        data = _gzipped(_sorted_meta(meta))
        language, digits = name.split("_")
        new_name = f"{language}_{hashlib.sha256(data).hexdigest()[: len(digits)]}"
        stable[f"pagefind.{new_name}.pf_meta"] = data
        for described in entry.get("languages", {}).values():
            if described.get("hash") == name:
                described["hash"] = new_name
    if "pagefind-entry.json" in stable:
        stable["pagefind-entry.json"] = json.dumps(
            entry, sort_keys=True, ensure_ascii=False
        ).encode()
    return sorted(stable.items())


def _gzipped(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=9, mtime=0)


def _sorted_filter(data: bytes) -> bytes:
    """A filter file's bytes (after Pagefind's prefix, CBOR: [name, [[value, [page, ...]], ...]])
    with its values in order; the same bytes if they are not of that shape."""
    body = data[len(_PREFIX) :]
    try:
        if not data.startswith(_PREFIX) or body[:1] != b"\x82":
            return data
        name_end = _skip(body, 1)
        count, position = _head(body, name_end, 4)
        entries = []
        for _ in range(count):
            end = _skip(body, position)
            entries.append(body[position:end])
            position = end
        if position != len(body):
            return data
    except (IndexError, ValueError):
        return data
    return _PREFIX + body[:name_end] + _header(4, count) + b"".join(sorted(entries))


def _sorted_meta(data: bytes) -> bytes:
    """A language's meta file (after Pagefind's prefix, a CBOR array) with its lists of
    [name, file] pairs (its filters) in order; the same bytes if it is not of that shape."""
    body = data[len(_PREFIX) :]
    try:
        if not data.startswith(_PREFIX):
            return data
        count, position = _head(body, 0, 4)
        items = []
        for _ in range(count):
            end = _skip(body, position)
            items.append(_sorted_pairs(body[position:end]))
            position = end
        if position != len(body):
            return data
    except (IndexError, ValueError):
        return data
    return _PREFIX + _header(4, count) + b"".join(items)


def _sorted_pairs(item: bytes) -> bytes:
    """A CBOR array of [text, text] pairs in order; any other item as it is."""
    if item[0] >> 5 != 4:
        return item
    count, position = _head(item, 0, 4)
    pairs = []
    for _ in range(count):
        end = _skip(item, position)
        pair = item[position:end]
        if pair[:1] != b"\x82" or pair[1] >> 5 != 3 or pair[_skip(pair, 1)] >> 5 != 3:
            return item
        pairs.append(pair)
        position = end
    return _header(4, count) + b"".join(sorted(pairs))


def _head(data: bytes, position: int, major: int) -> tuple[int, int]:
    """The argument of the CBOR item at position, of this major type, and where it ends."""
    initial = data[position]
    if initial >> 5 != major:
        raise ValueError(f"CBOR major type {initial >> 5}, not {major}")
    info = initial & 0x1F
    if info < 24:
        return info, position + 1
    size = {24: 1, 25: 2, 26: 4, 27: 8}.get(info)
    if size is None:
        raise ValueError("indefinite CBOR length")
    return int.from_bytes(data[position + 1 : position + 1 + size], "big"), position + 1 + size


def _skip(data: bytes, position: int) -> int:
    """Where the CBOR item at position ends (integers, texts, byte strings and arrays)."""
    major = data[position] >> 5
    argument, position = _head(data, position, major)
    if major in (0, 1):
        return position
    if major in (2, 3):
        if position + argument > len(data):
            raise ValueError("truncated CBOR string")
        return position + argument
    if major == 4:
        for _ in range(argument):
            position = _skip(data, position)
        return position
    raise ValueError(f"CBOR major type {major}")


def _header(major: int, argument: int) -> bytes:
    if argument < 24:
        return bytes([major << 5 | argument])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if argument < 1 << (8 * size):
            return bytes([major << 5 | info]) + argument.to_bytes(size, "big")
    raise ValueError("CBOR argument too large")


def pack(files: list[tuple[str, bytes]]) -> bytes:
    """The bundle as one value of the cache store (JSON: each path, its bytes in base64)."""
    return json.dumps({path: base64.b64encode(data).decode() for path, data in files}).encode()


def unpack(record: Mapping[str, Any]) -> list[tuple[str, bytes]] | None:
    """The bundle a value of the cache store holds; None if it is not one (made again)."""
    files = []
    for path, encoded in sorted(record.items()):
        if not isinstance(encoded, str) or not path or path.startswith("/") or ".." in path:
            return None
        try:
            files.append((path, base64.b64decode(encoded, validate=True)))
        except binascii.Error:
            return None
    return files


def remove_stale(out_dir: Path, folder: str, outputs: Iterable[Output]) -> int:
    """Remove from a site updated in place (serve) the files of its search index that the new
    index no longer has (a fragment of a page that changed); return how many."""
    kept = {output.path for output in outputs if output.path.startswith(folder)}
    removed = 0
    for path in sorted((out_dir / folder).rglob("*")):
        if path.is_file() and path.relative_to(out_dir).as_posix() not in kept:
            path.unlink(missing_ok=True)
            removed += 1
    return removed

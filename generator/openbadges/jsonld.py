"""JSON-LD processing with bundled contexts only: loading, safe-mode checks, canonicalization.

pyld is told, in every call, to load contexts through `document_loader`, which reads the
copies in `contexts/` and never touches the network. pyld has no "safe mode" (jsonld.js has
one, and real verifiers use it): a term that no context defines is silently dropped from the
signed RDF graph. `undefined_terms` finds those terms so that we can refuse such documents.
"""

from __future__ import annotations

import copy
import functools
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from pyld import jsonld as pyld
from pyld.context_resolver import ContextResolver

from generator.openbadges.pyld_remembered_contexts import RememberingProcessor

_T = TypeVar("_T")

_CONTEXTS_DIR = Path(__file__).with_name("contexts")


class JsonLdError(ValueError):
    """A document or context that cannot be processed; the message says what to do."""


class UndefinedTermsError(JsonLdError):
    """A document using terms (or IRIs) that expansion would drop; `paths` lists them."""

    def __init__(self, paths: list[str]) -> None:
        super().__init__(
            f"these terms are not defined by the document's @context: {', '.join(paths)}; "
            "rename or remove them, or add a bundled context that defines them "
            "(anything no context defines is left out of what is signed)"
        )
        self.paths = tuple(paths)


@functools.cache
def _bundled_files() -> dict[str, str]:
    """Map each bundled context URL to its file name in `contexts/`."""
    with (_CONTEXTS_DIR / "index.json").open(encoding="utf-8") as index_file:
        index: dict[str, dict[str, str]] = json.load(index_file)
    return {url: entry["file"] for url, entry in index.items()}


@functools.cache
def _parsed_context(url: str) -> dict[str, Any]:
    """Read and parse a bundled context once; callers get copies."""
    files = _bundled_files()
    if url not in files:
        raise JsonLdError(
            f"context URL {url!r} is not bundled; use one of: {', '.join(sorted(files))}"
        )
    with (_CONTEXTS_DIR / files[url]).open(encoding="utf-8") as context_file:
        document: dict[str, Any] = json.load(context_file)
    return document


def load_context(url: str) -> dict[str, Any]:
    """Return the bundled JSON-LD context document for `url`; JsonLdError if not bundled."""
    # A copy, so that nothing (pyld resolves relative URLs in place) can change the cache.
    return copy.deepcopy(_parsed_context(url))


def document_loader(url: str, options: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Return the pyld RemoteDocument for a bundled context; never uses the network."""
    return {
        "contentType": "application/ld+json",
        "contextUrl": None,
        "documentUrl": url,
        "document": load_context(url),
        # "static" lets pyld keep the resolved (and processed) context in the shared
        # cache across calls instead of only for one operation: this is most of the speed.
        "tag": "static",
    }


class _ResolvedContextCache(dict[str, Any]):
    """pyld's shared resolved-context cache, ours alone, bounded in a simple way."""

    _MAX_ENTRIES = 256

    def __setitem__(self, key: str, value: Any) -> None:
        # Inline contexts are cached under their canonical JSON; don't grow without end.
        if len(self) >= self._MAX_ENTRIES and key not in self:
            self.clear()
        super().__setitem__(key, value)


# Our own cache rather than pyld's module-level one, so that nothing another caller in
# the same process resolved (perhaps from the network) can ever leak into our results.
_RESOLVED_CONTEXTS = _ResolvedContextCache()


def _pyld_options(**extra: Any) -> dict[str, Any]:
    """Options for every pyld call: bundled contexts only, JSON-LD 1.1."""
    return {
        "documentLoader": document_loader,
        "contextResolver": ContextResolver(_RESOLVED_CONTEXTS, document_loader),
        "processingMode": "json-ld-1.1",
        **extra,
    }


def _is_absolute_iri(value: Any) -> bool:
    # pyld's own test (a scheme, then no whitespace); blank node labels "_:" pass too.
    return bool(pyld._is_absolute_iri(value))


def _child_path(parent: str, key: str) -> str:
    return f"{parent}.{key}" if parent else key


class _SafeModeProcessor(RememberingProcessor):
    """A pyld processor that records what expansion would silently drop.

    The checks run on the active context that pyld itself computes for each node (with
    type-scoped, property-scoped and @protected contexts applied), so they agree with the
    expansion exactly. This hooks two private methods of pyld 3.x: `_expand_object`, which
    expands one JSON object, and `_expand_value`, which expands one scalar. Processed
    contexts are remembered across documents (pyld_remembered_contexts.py).
    """

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        # (path, element) of the JSON objects being expanded, innermost last.
        self._stack: list[tuple[str, Mapping[str, Any]]] = []

    def _path_of(self, element: Mapping[str, Any], active_property: str | None) -> str:
        if not self._stack or active_property is None:
            return ""
        parent_path, parent = self._stack[-1]
        path = _child_path(parent_path, active_property)
        value = parent.get(active_property)
        if isinstance(value, list):
            for index, item in enumerate(value):
                if item is element:
                    return f"{path}[{index}]"
        return path

    def _expand_object(
        self,
        active_ctx: Any,
        active_property: str | None,
        expanded_active_property: Any,
        element: Mapping[str, Any],
        expanded_parent: Any,
        options: Any,
        inside_list: bool = False,
        type_key: str | None = None,
        type_scoped_ctx: Any = None,
    ) -> Any:
        path = self._path_of(element, active_property)
        self._check_keys(active_ctx, type_scoped_ctx or active_ctx, element, path)
        self._stack.append((path, element))
        try:
            return super()._expand_object(
                active_ctx,
                active_property,
                expanded_active_property,
                element,
                expanded_parent,
                options,
                inside_list,
                type_key,
                type_scoped_ctx,
            )
        finally:
            self._stack.pop()

    def _is_relative(self, active_ctx: Any, reference: str, vocab: bool) -> bool:
        """Whether an IRI reference stays relative once the context has been applied."""
        # Not base="" as pyld's own expansion does: pyld 3.x then resolves against
        # http://example.org/base/ and signs that made-up IRI, where jsonld.js keeps the
        # reference relative and its safe mode rejects the document.
        base = None if active_ctx.get("@base") is None else ""
        return not _is_absolute_iri(self._expand_iri(active_ctx, reference, vocab=vocab, base=base))

    def _check_keys(
        self, active_ctx: Any, type_ctx: Any, element: Mapping[str, Any], path: str
    ) -> None:
        for key, value in element.items():
            if key == "@context":
                continue
            expanded = self._expand_iri(active_ctx, key, vocab=True)
            # The very test pyld uses before dropping a key: step 13.3 of
            # https://www.w3.org/TR/json-ld11-api/#expansion-algorithm
            if expanded is None or not (_is_absolute_iri(expanded) or pyld._is_keyword(expanded)):
                self.problems.append(_child_path(path, key))
            elif expanded == "@type":
                # Type values are expanded with the context in force before type-scoped
                # contexts apply: step 13.4.4 of the same algorithm.
                for type_ in value if isinstance(value, list) else [value]:
                    if isinstance(type_, str) and self._is_relative(type_ctx, type_, vocab=True):
                        self.problems.append(f"{_child_path(path, key)} {json.dumps(type_)}")
            elif (
                expanded == "@id"
                and isinstance(value, str)
                and self._is_relative(active_ctx, value, vocab=False)
            ):
                self.problems.append(f"{_child_path(path, key)} {json.dumps(value)}")

    def _expand_value(self, active_ctx: Any, active_property: str, value: Any, options: Any) -> Any:
        expanded = super()._expand_value(active_ctx, active_property, value, options)
        # A string coerced to an IRI ("@type": "@id" or "@vocab") must not stay relative.
        if isinstance(expanded, dict) and "@id" in expanded and isinstance(value, str):
            coercion = self.get_context_value(active_ctx, active_property, "@type")
            if self._is_relative(active_ctx, value, vocab=coercion == "@vocab"):
                parent_path = self._stack[-1][0] if self._stack else ""
                self.problems.append(
                    f"{_child_path(parent_path, active_property)} {json.dumps(value)}"
                )
        return expanded


def _as_json(document: Mapping[str, Any]) -> dict[str, Any]:
    """A plain-JSON copy of the document, so pyld never sees (or changes) the caller's."""
    try:
        plain: dict[str, Any] = json.loads(json.dumps(document))
    except (TypeError, ValueError) as error:
        raise JsonLdError(
            f"the document is not plain JSON ({error}); use only dicts, lists, strings, "
            "numbers, booleans and None"
        ) from None
    return plain


def _run(operation: str, run: Callable[[], _T]) -> _T:
    """Run a pyld operation, turning its errors into a JsonLdError a person can act on."""
    try:
        return run()
    except pyld.JsonLdError as error:
        cause: BaseException | None = error
        while cause is not None:
            if isinstance(cause, JsonLdError):
                raise cause from None
            cause = cause.__cause__
        # pyld wraps the error that says what is wrong in more general ones.
        innermost = error
        while isinstance(innermost.__cause__, pyld.JsonLdError):
            innermost = innermost.__cause__
        reason = str(innermost.args[0]).rstrip(".") if innermost.args else innermost.type
        raise JsonLdError(
            f"cannot {operation} the document: {reason}; fix the JSON-LD syntax or @context"
        ) from error


def undefined_terms(document: Mapping[str, Any]) -> list[str]:
    """Return the paths of keys, types and IRIs that JSON-LD expansion would drop."""
    processor = _SafeModeProcessor()
    _run("expand", lambda: processor.expand(_as_json(document), _pyld_options()))
    return sorted(set(processor.problems))


def canonicalize(document: Mapping[str, Any]) -> str:
    """Return the RDFC-1.0 (URDNA2015) canonical N-Quads; UndefinedTermsError if unsafe."""
    processor = _SafeModeProcessor()
    # normalize() expands the document with this same processor, so the safe-mode check
    # and the canonicalization share one expansion (half the work of doing them apart).
    # pyld's default algorithm is URGNA2012: name RDFC-1.0 (alias URDNA2015) explicitly.
    options = _pyld_options(algorithm="URDNA2015", format="application/n-quads")
    nquads: str = _run("canonicalize", lambda: processor.normalize(_as_json(document), options))
    if processor.problems:
        raise UndefinedTermsError(sorted(set(processor.problems)))
    return nquads

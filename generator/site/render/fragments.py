"""Parts of pages rendered once and reused within a build, like Hugo's partialCached or
Jekyll's include_cached (see the cache store's doc, generator/cache.py, for everything a
build reuses)."""

from __future__ import annotations

from collections.abc import Callable

from markupsafe import Markup


class Fragments:
    """Parts of pages rendered once and reused, like Hugo's partialCached or Jekyll's include_cached.

    Most of an award page is the same on every award of the badge (criteria, pathway) or on
    every page of the language (header, footer). A template wraps such a part in
    `{% call cached('name', key, ...) %}...{% endcall %}`, where the key names everything the
    part depends on besides the language; the first page renders it, the others reuse it.
    With enabled=False every part is rendered every time: the simple path, which the tests
    compare byte for byte with the cached one.
    """

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled
        self.reused = 0
        self._parts: dict[tuple[object, ...], Markup] = {}

    def for_language(self, language: str) -> Callable[..., Markup]:
        """The `cached` function the templates of one language call."""

        def cached(*key: object, caller: Callable[[], Markup]) -> Markup:
            if not self.enabled:
                return caller()
            full_key = (language, *key)
            part = self._parts.get(full_key)
            if part is None:
                part = self._parts[full_key] = caller()
            else:
                self.reused += 1
            return part

        return cached

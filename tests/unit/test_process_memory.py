"""A process that builds again draws no picture twice, whichever store its builds use, and
still verifies every signature again when told `--no-cache`."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import jinja2
import pytest

from generator.process_memory import Made
from generator.site.check import signatures
from generator.site.draw import badge_images, share_images
from generator.site.load.theme import SHIPPED_THEME
from generator.site.render import sharing, theme

from ..conftest import copy_site
from ..credential_fixtures import SignedNetwork, ok


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_a_later_build_in_the_same_process_draws_nothing_again(
    network: SignedNetwork, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (network.site / "badges" / "laser-debutant.png").unlink()  # its image is drawn by default
    monkeypatch.setenv("FABABREST_CACHE_DIR", str(tmp_path / "a-cache"))
    ok("build", "--source", network.site, "--out", tmp_path / "first")

    def again(*_: object, **__: object) -> Any:
        raise AssertionError("drawn again by the process that drew it")

    monkeypatch.setattr(sharing, "qr_png", again)
    monkeypatch.setattr(share_images, "share_card_png", again)
    monkeypatch.setattr(share_images, "stamped_card_png", again)
    monkeypatch.setattr(badge_images, "default_badge_pngs", again)
    verified = []
    verify = signatures.verify
    monkeypatch.setattr(signatures, "verify", lambda *a, **k: verified.append(1) or verify(*a, **k))

    monkeypatch.setenv("FABABREST_CACHE_DIR", str(tmp_path / "another-cache"))  # empty
    ok("build", "--source", network.site, "--out", tmp_path / "second")
    assert verified, "a store that knows no proof, yet nothing verified"
    verified.clear()
    ok("build", "--source", network.site, "--out", tmp_path / "third", "--no-cache")
    assert verified, "--no-cache took verified proofs from memory"
    first = _files(tmp_path / "first")
    assert _files(tmp_path / "second") == first
    assert _files(tmp_path / "third") == first


def test_the_memory_keeps_the_most_recently_used_within_its_size() -> None:
    drawn = Made(limit=10)
    drawn.put("a", b"aaaa")
    drawn.put("b", b"bbbb")
    assert drawn.get("a") == b"aaaa"  # now the most recent
    drawn.put("c", b"cccc")  # 12 bytes: the least recent, b, goes
    assert (drawn.get("a"), drawn.get("b"), drawn.get("c")) == (b"aaaa", None, b"cccc")
    drawn.put("a", b"AAAAAAAA")  # replaced: 12 bytes again, c goes
    assert (drawn.get("a"), drawn.get("c")) == (b"AAAAAAAA", None)
    drawn.put("big", b"x" * 11)  # larger than the whole memory: nothing is kept
    assert (drawn.get("big"), drawn.get("a")) == (None, None)


def test_a_later_build_neither_compiles_nor_reads_a_template_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """It takes the theme's environments as they are, templates loaded, whichever store it
    has, or none (`--no-cache`)."""
    site = copy_site("minimal", tmp_path / "site")
    ok("check", "--source", site)

    def again(*_: object, **__: object) -> Any:
        raise AssertionError("a template compiled or read again by the process that had it")

    monkeypatch.setattr(jinja2.Environment, "compile", again)
    monkeypatch.setattr(theme._StoredTemplates, "load_bytecode", again)
    monkeypatch.setenv("FABABREST_CACHE_DIR", str(tmp_path / "another-cache"))
    ok("check", "--source", site)
    ok("check", "--source", site, "--no-cache")


def test_an_edited_template_is_compiled_again_by_a_process_that_had_it(tmp_path: Path) -> None:
    site = copy_site("minimal", tmp_path / "site")
    ok("build", "--source", site, "--out", tmp_path / "before")
    shutil.copytree(SHIPPED_THEME, site / "theme")  # the site's own theme, the same for now
    footer = site / "theme" / "templates" / "base.html"
    footer.write_text(footer.read_text("utf-8").replace("</footer>", "edited</footer>"), "utf-8")
    ok("build", "--source", site, "--out", tmp_path / "after")
    assert b"edited</footer>" in (tmp_path / "after" / "index.html").read_bytes()
    assert b"edited</footer>" not in (tmp_path / "before" / "index.html").read_bytes()

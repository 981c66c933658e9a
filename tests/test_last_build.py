"""A build with nothing to do stops early, and only then: any changed input, a passing
expiry date, warnings or --no-cache make a real build."""

from __future__ import annotations

import os

from generator.cache import FILE_NAME, cache_folder

from .credential_fixtures import BUILD_AT, SignedNetwork, issue, ok, snapshot

LATER = "2026-07-01T00:00:00Z"  # after the award that expires on 2026-06-01


def build(network: SignedNetwork, *options: str, at: str = BUILD_AT) -> str:
    result = ok("build", "--source", network.site, "--out", network.out, *options, at=at)
    return result.out + result.err


def test_a_second_build_of_the_same_input_writes_nothing(network: SignedNetwork) -> None:
    assert "built" in build(network)
    before = {path: (network.out / path).stat().st_ino for path in snapshot(network.out)}
    assert "nothing changed since the last build" in build(network)
    assert {path: (network.out / path).stat().st_ino for path in before} == before


def test_any_changed_input_builds_again(network: SignedNetwork) -> None:
    build(network)
    page = network.site / "content" / "pages" / "a-propos.md"
    page.write_text(page.read_text("utf-8") + "\nUne phrase de plus.\n", "utf-8")
    assert "built" in build(network)
    assert "Une phrase de plus." in (network.out / "pages" / "a-propos" / "index.html").read_text(
        "utf-8"
    )


def test_a_passing_expiry_date_builds_again(network: SignedNetwork) -> None:
    soon = issue(
        network.site,
        "laser-debutant",
        network.key_file,
        "2025-06-01T10:00:00Z",
        "--recipient",
        "erwan.le-bras-3310@example.net",
        "--expires",
        "2026-06-01",
    )
    page = network.out / "awards" / "atelier" / soon.stem / "index.html"
    build(network)
    assert "Badge valide" in page.read_text("utf-8")
    # The first award to expire after BUILD_AT is the laser badge, on 2026-03-10.
    assert "nothing changed" in build(network, at="2026-03-10T09:59:59Z")
    assert "built" in build(network, at="2026-03-10T10:00:00Z")
    assert "Badge valide" in page.read_text("utf-8")
    assert "nothing changed" in build(network, at="2026-05-31T23:59:59Z")
    assert "built" in build(network, at=LATER)
    assert "Badge expiré" in page.read_text("utf-8")


def test_no_cache_always_builds(network: SignedNetwork) -> None:
    build(network)
    assert "built" in build(network, "--no-cache")


def test_a_damaged_cache_builds_again_and_records_again(network: SignedNetwork) -> None:
    build(network)
    (cache_folder(network.site) / FILE_NAME).write_bytes(b"not a database")
    assert "built" in build(network)
    assert "nothing changed since the last build" in build(network)


def test_each_output_folder_has_its_own_record(network: SignedNetwork) -> None:
    build(network)
    other = ok(
        "build", "--source", network.site, "--out", network.out.parent / "other", at=BUILD_AT
    )
    assert "built" in other.out + other.err
    assert "nothing changed since the last build" in build(network)


def test_an_output_changed_since_builds_again(network: SignedNetwork) -> None:
    """The record holds the output folder as the build left it: a page edited in place (its
    modification time put back), removed, or a folder added there, and the next build
    writes the site again."""
    build(network)
    page = network.out / "index.html"
    written = page.read_bytes()
    times = page.stat()
    page.write_bytes(written.replace(b"</body>", b"<p>edited</p></body>"))
    os.utime(page, ns=(times.st_atime_ns, times.st_mtime_ns))
    assert "built" in build(network)
    assert page.read_bytes() == written
    assert "nothing changed since the last build" in build(network)
    page.unlink()
    assert "built" in build(network)
    assert page.read_bytes() == written
    (network.out / "awards" / "stray").mkdir()
    assert "built" in build(network)
    assert "nothing changed since the last build" in build(network)

"""A build given the last one (what `serve` does on every edit) rebuilds what the edit touches:
a new or changed credential, status list or revocation record updates the site without a full
build, and the site is then exactly what a full build makes of the same source at that moment."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from markupsafe import escape

from generator.site.build import build
from generator.site.built import BuildReport, Built
from generator.site.model.problems import BuildFailed

from .credential_fixtures import (
    BUILD_AT,
    SignedNetwork,
    issue,
    read_json,
    simulated_time,
    snapshot,
    write_json,
)


def full_build(network: SignedNetwork, out: Path) -> dict[str, bytes]:
    with simulated_time(BUILD_AT):
        build(network.site, out)
    return snapshot(out)


class LiveSite:
    """A site kept up to date as `serve` keeps it: each build is given the last one."""

    def __init__(self, source: Path, out_dir: Path) -> None:
        self.source, self.out_dir = source, out_dir
        self.last: Built | None = None

    def rebuild(self) -> BuildReport:
        self.last = build(self.source, self.out_dir, last=self.last)
        return self.last.report


@pytest.fixture
def live(network: SignedNetwork, tmp_path: Path) -> LiveSite:
    site = LiveSite(network.site, tmp_path / "live")
    with simulated_time(BUILD_AT):
        assert not site.rebuild().incremental  # the first build is a full one
    return site


def rebuild(live: LiveSite) -> tuple[bool, int]:
    with simulated_time(BUILD_AT):
        report = live.rebuild()
    return report.incremental, report.files


def test_a_new_credential_is_published_without_a_full_build(
    network: SignedNetwork, live: LiveSite, tmp_path: Path
) -> None:
    new = issue(
        network.site,
        "laser-debutant",
        network.key_file,
        "2025-06-01T10:00:00Z",
        "--recipient",
        "dave.moal-4410@example.net",
    )
    incremental, written = rebuild(live)
    assert incremental
    assert 4 <= written < 100  # its files and pages, and the pages that count awards
    assert (live.out_dir / "awards" / "atelier" / new.stem / "index.html").is_file()
    assert snapshot(live.out_dir) == full_build(network, tmp_path / "full")


def test_nothing_changed_writes_nothing(live: LiveSite) -> None:
    before = snapshot(live.out_dir)
    assert rebuild(live) == (True, 0)
    assert snapshot(live.out_dir) == before


def test_a_reformatted_credential_is_verified_and_published_again(
    network: SignedNetwork, live: LiveSite, tmp_path: Path
) -> None:
    # Same signed content, other bytes: the verbatim copy changes (the baked image, which
    # carries the credential compact, does not).
    before = network.laser.read_bytes()
    network.laser.write_text(json.dumps(read_json(network.laser), indent=4), "utf-8")
    assert network.laser.read_bytes() != before
    incremental, written = rebuild(live)
    assert incremental and written >= 1
    assert snapshot(live.out_dir) == full_build(network, tmp_path / "full")


def test_a_forged_credential_fails_and_the_site_stays_as_it_was(
    network: SignedNetwork, live: LiveSite
) -> None:
    before = snapshot(live.out_dir)
    original = network.laser.read_bytes()
    forged = read_json(network.laser)
    forged["credentialSubject"]["achievement"]["name"] = "Découpe laser - expert"
    write_json(network.laser, forged)
    with pytest.raises(BuildFailed) as failed, simulated_time(BUILD_AT):
        live.rebuild()
    assert any(network.relative(network.laser) in str(p) for p in failed.value.problems)
    assert snapshot(live.out_dir) == before
    network.laser.write_bytes(original)
    incremental, _ = rebuild(live)
    assert incremental
    assert snapshot(live.out_dir) == before


def test_other_edits_rebuild_the_whole_site(
    network: SignedNetwork, live: LiveSite, tmp_path: Path
) -> None:
    network.accueil.unlink()  # a removed credential: its URLs and the counts change
    incremental, _ = rebuild(live)
    assert not incremental
    assert snapshot(live.out_dir) == full_build(network, tmp_path / "full")


def test_a_new_credential_to_an_address_the_site_shows_fails(
    network: SignedNetwork, live: LiveSite
) -> None:
    # The structure's contact address is on its page: the first build found it on the way
    # and cleared it (no recipient had it). A credential to that address is then a leak.
    assert live.last is not None and live.last.state is not None
    assert "contact@atelier.example.org" in live.last.state.cleared_addresses
    before = snapshot(live.out_dir)
    issue(
        network.site,
        "laser-debutant",
        network.key_file,
        "2025-06-01T10:00:00Z",
        "--recipient",
        "contact@atelier.example.org",
    )
    with pytest.raises(BuildFailed) as failed, simulated_time(BUILD_AT):
        live.rebuild()
    assert any("email address would be published" in str(p) for p in failed.value.problems)
    assert snapshot(live.out_dir) == before


def test_a_credential_issued_after_serve_started_is_published(
    network: SignedNetwork, live: LiveSite, tmp_path: Path
) -> None:
    # serve started on BUILD_AT; a day later a credential is issued, and seen a minute after.
    new = issue(
        network.site,
        "laser-debutant",
        network.key_file,
        "2026-01-02T10:00:00Z",
        "--recipient",
        "erwan.tanguy-3307@example.net",
    )
    with simulated_time("2026-01-02T10:01:00Z"):
        assert live.rebuild().incremental
    assert (live.out_dir / "awards" / "atelier" / new.stem / "index.html").is_file()
    with simulated_time("2026-01-02T10:01:00Z"):
        build(network.site, tmp_path / "full")
    assert snapshot(live.out_dir) == snapshot(tmp_path / "full")


def test_a_revocation_during_serve_updates_the_award_pages(
    network: SignedNetwork, live: LiveSite, tmp_path: Path
) -> None:
    from .test_revocation import REASON, revoke

    revoke(network, network.laser)
    incremental, written = rebuild(live)
    assert incremental
    assert written >= 3  # the status list, the 1EdTech list, the award's pages and assertion
    award = network.award_dir(network.laser).relative_to(network.out)
    assert str(escape(REASON)) in (live.out_dir / award / "index.html").read_text("utf-8")
    assert read_json(live.out_dir / award / "assertion.json")["revoked"] is True
    # its share card says so (drawn by the update: no award of this badge was revoked before)
    page = (live.out_dir / award / "index.html").read_text("utf-8")
    card = re.search(r'<meta property="og:image" content="[^"]*/(badges/[^"]+)">', page)
    assert card is not None and card[1].endswith("/share-revoked-fr.png"), card
    assert (live.out_dir / card[1]).is_file()
    assert snapshot(live.out_dir) == full_build(network, tmp_path / "full")


def test_a_status_list_touched_during_serve_is_not_taken_for_a_credential(
    network: SignedNetwork, live: LiveSite
) -> None:
    before = snapshot(live.out_dir)
    network.status_list.write_bytes(network.status_list.read_bytes())
    os.utime(network.status_list, ns=(1, 1))
    incremental, written = rebuild(live)
    assert (incremental, written) == (True, 0)
    assert snapshot(live.out_dir) == before

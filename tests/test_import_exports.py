"""`build.py import` of Badgr's exports (its API v2 entities, as "Export Issuer" nests them;
its CSV list of awards) and of Open Badge Factory's events and assertions: earlier awards
recorded from what the platform published, and never a recipient's address."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from generator.cli.commands import main

from .conftest import ROOT

MakeSite = Callable[..., Path]
SOURCES = ROOT / "tests" / "importing"
EXPORT = SOURCES / "badgr-export"
CSV = SOURCES / "badgr-csv"
EARLIER = "assertions/le-petit-atelier/earlier"
ADDRESSES = (
    "camille.martin@",
    "dominique@",
    "sacha@",
    "anne.staff@",
    "lou.bernard@",
    "noa.petit@",
    "alex.durand@",
    "eden.leroy@",
    "lea.morel@",
    "yann.guen@",
    "maelle.tanguy@",
)


def written(site: Path) -> str:
    """Every text file of a repository, lower-cased, to look for addresses in."""
    return "\n".join(
        p.read_text("utf-8", "replace").lower() for p in sorted(site.rglob("*")) if p.is_file()
    )


def run(site: Path, *args: str) -> int:
    return main(["import", "--source", str(site), *args])


def test_badgr_issuer_export_nests_api_v2_entities(
    minimal_site: MakeSite, capsys: pytest.CaptureFixture[str]
) -> None:
    site = minimal_site()
    assert run(site, str(EXPORT)) == 0
    out = capsys.readouterr().out
    assert "content/issuers/le-petit-atelier.yaml: new: NEW STRUCTURE 'Le Petit Atelier'" in out
    badge = (site / "badges/soudure-electronique.yaml").read_text()
    assert "valid_for:\n  years: 2\n" in badge
    assert "url: https://api.eu.badgr.io/public/badges/Tb5wQx1Kc8NvLr4Pz7MhJA" in badge
    assert (site / "badges/soudure-electronique.svg").read_bytes().startswith(b"<svg")
    criteria = (site / "badges/soudure-electronique.md").read_text()
    for hostile in ("<", "onerror", "[voir](javascript"):  # the link stays text, escaped
        assert hostile not in criteria
    records = sorted(p.name for p in (site / EARLIER).iterdir())
    assert records == ["20230510-660205b5.yaml", "20240201-488740c9.yaml", "20251120-3815f0d7.yaml"]
    valid = (site / EARLIER / "20230510-660205b5.yaml").read_text()
    assert "original: https://api.eu.badgr.io/public/assertions/Ra1sVb2Nc3Md4Fe5Gh6JkA\n" in valid
    assert "salt: 9f1e2d3c4b5a6978" in valid  # the hash Badgr published, for re-issuing
    revoked = (site / EARLIER / "20240201-488740c9.yaml").read_text()
    assert "revoked: true\nrevocation_reason: Attribué au mauvais compte\n" in revoked
    # Badgr's plaintextIdentity and its staff's addresses are never written.
    text = written(site)
    assert not any(address in text for address in ADDRESSES)
    assert main(["check", "--source", str(site)]) == 0


def test_badgr_award_csv_rows_with_their_original_url(
    minimal_site: MakeSite, capsys: pytest.CaptureFixture[str]
) -> None:
    site = minimal_site()
    assert run(site, str(EXPORT), str(CSV / "awards.csv")) == 0
    captured = capsys.readouterr()
    records = sorted(p.name for p in (site / EARLIER).iterdir())
    assert "20220315-492532e3.yaml" in records and "20211002-db17ee32.yaml" in records
    assert len(records) == 5  # the row without an award URL is not imported
    row = (site / EARLIER / "20220315-492532e3.yaml").read_text()
    assert "original: https://api.eu.badgr.io/public/assertions/Rq1Ws2Ed3Rf4Tg5Yh6UjIA\n" in row
    assert "revoked: true\nrevocation_reason: Doublon\n" in row
    assert "recipient" not in row  # an address alone: neither written nor hashed here
    # A row the JSON export also gives keeps the hash Badgr published.
    assert "salt: 9f1e2d3c4b5a6978" in (site / EARLIER / "20230510-660205b5.yaml").read_text()
    assert f"{CSV / 'awards.csv'}: warning: 1 row(s) not imported (line(s) 5): no award URL" in (
        captured.err
    )
    assert "award(s) recorded without their recipient" in captured.err
    for address in ADDRESSES:
        assert address not in captured.out.lower() + captured.err.lower()
    assert not any(address in written(site) for address in ADDRESSES)
    assert main(["check", "--source", str(site)]) == 0


def test_a_csv_of_addresses_alone_imports_nothing(
    minimal_site: MakeSite, capsys: pytest.CaptureFixture[str]
) -> None:
    """Badgr's bulk-award CSV lists what was sent to Badgr, not what it published."""
    site = minimal_site()
    before = written(site)
    assert run(site, str(CSV / "bulk-award.csv"), str(EXPORT)) == 1
    err = capsys.readouterr().err
    assert err.startswith(
        f"{CSV / 'bulk-award.csv'}: error: nothing to import: 2 row(s) not imported "
        "(line(s) 2, 3): no award URL"
    )
    assert "eden" not in err.lower()
    assert written(site) == before


def test_open_badge_factory_assertions_and_events(
    minimal_site: MakeSite, capsys: pytest.CaptureFixture[str]
) -> None:
    site = minimal_site()
    assert run(site, str(SOURCES / "obf"), "--issuer", "atelier") == 0
    err = capsys.readouterr().err
    events = SOURCES / "obf" / "events.jsonl"
    assert f"{events}:1: warning: OBF event EV3K9M2P7Q1R (2 recipient(s)) names its" in err
    assert (
        f"{events}:3: warning: the assertion names no URL: its original is taken to be "
        "https://openbadgefactory.com/v1/assertion/AS6G7H8J9K0L.json" in err
    )
    folder = site / "assertions/atelier/earlier"
    assert sorted(p.name for p in folder.iterdir()) == [
        "20210503-1a3a9f68.yaml",
        "20220501-b16d2523.yaml",
        "20220501-ba048970.yaml",
    ]
    named = (folder / "20220501-ba048970.yaml").read_text()
    assert "original: https://openbadgefactory.com/v1/assertion/AS1B2C3D4E5F.json\n" in named
    assert "platform: Open Badge Factory\nbadge: modelisation-3d\n" in named
    assert "revoked: true" in (folder / "20220501-b16d2523.yaml").read_text()
    assert not any(address in written(site) + err.lower() for address in ADDRESSES)
    assert main(["check", "--source", str(site)]) == 0


def test_a_structure_page_lists_its_earlier_awards_apart(
    minimal_site: MakeSite, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = minimal_site()
    assert run(site, str(EXPORT)) == 0
    out = tmp_path / "built"
    assert main(["build", "--source", str(site), "--out", str(out)]) == 0
    page = (out / "en/issuers/le-petit-atelier/index.html").read_text()
    section = page[page.index('<section aria-labelledby="earlier-title"') :]
    section = section[: section.index("</section>")]
    assert "Badges awarded before joining this site" in section
    items = section.split("<li")[1:]
    assert [item.count("earlier/le-petit-atelier/") for item in items] == [1, 1, 1]
    assert "20251120-3815f0d7/" in items[0] and "Revoked" not in items[0]
    assert "20240201-488740c9/" in items[1] and "<strong>Revoked badge</strong>" in items[1]
    assert "20230510-660205b5/" in items[2] and "<strong>Expired badge</strong>" in items[2]
    # Never counted as the structure's awards.
    assert 'id="awarded-title"' not in page
    french = (out / "issuers/le-petit-atelier/index.html").read_text()
    assert "Badges décernés avant l\u2019arrivée sur ce site" in french

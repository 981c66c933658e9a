"""`build.py import`: Badgr's public API objects (tests/importing/badgr/) into the minimal
network, as files for a pull request; the imported repository checks and builds, and its
earlier awards get pages that link the original URLs and show nothing of their recipients."""

from __future__ import annotations

import base64
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.cli.commands import main

from .conftest import ROOT

MakeSite = Callable[..., Path]
SOURCES = ROOT / "tests" / "importing"
BADGR = SOURCES / "badgr"
VALID = "https://api.badgr.io/public/assertions/Ab3dEf5gHi7jKl9mNo1pQr"
RECORD = "assertions/fablab-des-capucins/earlier/20250314-ec832f69.yaml"
REVOKED_RECORD = "assertions/fablab-des-capucins/earlier/20220110-912937c6.yaml"
SALTS = ("5e0a9c1f7b3d4e2a", "c0ffee12", "badc0de5")


def tree(root: Path) -> dict[str, bytes]:
    """Every file of a repository, by path (to compare before and after)."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".cache" not in p.parts
    }


def run(site: Path, *args: str) -> int:
    return main(["import", "--source", str(site), *args])


@pytest.fixture
def imported(minimal_site: MakeSite, capsys: pytest.CaptureFixture[str]) -> Path:
    site = minimal_site()
    assert run(site, str(BADGR)) == 0
    capsys.readouterr()
    return site


def test_import_writes_badges_structure_and_earlier_awards(
    minimal_site: MakeSite, capsys: pytest.CaptureFixture[str]
) -> None:
    site = minimal_site()
    before = tree(site)
    assert run(site, str(BADGR)) == 0
    out = capsys.readouterr().out
    added = sorted(set(tree(site)) - set(before))
    assert added == [
        "assertions/fablab-des-capucins/earlier/20210601-65d34f6a.yaml",
        REVOKED_RECORD,
        RECORD,
        "badges/impression-3d-autonome.md",
        "badges/impression-3d-autonome.png",
        "badges/impression-3d-autonome.yaml",
        "content/issuers/fablab-des-capucins.yaml",
    ]
    # The unknown issuer is flagged for the coordinators, in the file and in the output.
    assert "NEW STRUCTURE 'Fablab des Capucins'" in out
    assert (
        "# COORDINATORS: review it"
        in (site / "content/issuers/fablab-des-capucins.yaml").read_text()
    )
    # The laser badge class has the name of a network badge: mapped to it, no new badge.
    assert "matches the network's badge 'laser-debutant'; mapped to it, no new badge" in out
    assert "badge: laser-debutant" in (site / REVOKED_RECORD).read_text()
    badge = (site / "badges/impression-3d-autonome.yaml").read_text()
    assert "status: proposed" in badge
    assert (
        "url: https://api.badgr.io/public/badges/Qm7tLz2R4yWc9xNb3VdKpA\n  platform: Badgr" in badge
    )
    # The remote logo is reported, never fetched.
    assert "image not fetched (https://api.badgr.io/public/issuers/" in out
    # The data: URI image is the badge's image file, byte for byte.
    source = json.loads((BADGR / "badge-impression-3d.json").read_text())
    assert (site / "badges/impression-3d-autonome.png").read_bytes() == base64.b64decode(
        source["image"].split(",", 1)[1]
    )
    assert main(["check", "--source", str(site)]) == 0


def test_earlier_record_keeps_only_what_the_original_published(imported: Path) -> None:
    record = (imported / RECORD).read_text()
    assert f"original: {VALID}\n" in record
    assert "issued_on: '2025-03-14T10:00:00Z'" in record
    assert "expires: '2027-03-14T10:00:00Z'" in record
    assert "url: https://capucins.example.org/projets/vase" in record
    assert "narrative: A imprimé un vase en PLA." in record
    assert "salt: 5e0a9c1f7b3d4e2a" in record
    assert "@" not in record  # never an email
    revoked = (imported / REVOKED_RECORD).read_text()
    assert "revoked: true\nrevocation_reason: Délivré par erreur\n" in revoked


def test_hostile_criteria_html_becomes_clean_markdown(imported: Path) -> None:
    criteria = (imported / "badges/impression-3d-autonome.md").read_text()
    assert criteria.startswith("Avoir **préparé** un fichier.\n\n- Régler la *buse*\n")
    assert "[le wiki](https://wiki.example.org/impression)" in criteria
    for hostile in ("script", "alert", "javascript", "onclick", "onerror", "iframe", "style", "<"):
        assert hostile not in criteria


def test_importing_again_changes_nothing(
    imported: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = tree(imported)
    assert run(imported, str(BADGR)) == 0
    assert tree(imported) == before
    assert capsys.readouterr().out.splitlines()[-1].startswith("wrote 0 file(s), 3 unchanged")


def test_dry_run_writes_nothing(minimal_site: MakeSite, capsys: pytest.CaptureFixture[str]) -> None:
    site = minimal_site()
    before = tree(site)
    assert run(site, str(BADGR), "--dry-run") == 0
    assert tree(site) == before
    out = capsys.readouterr().out
    assert "badges/impression-3d-autonome.yaml: new: new badge" in out
    assert out.splitlines()[-1] == "would write 7 file(s), 0 unchanged; nothing written (--dry-run)"


def test_nothing_is_written_when_a_source_is_invalid(
    minimal_site: MakeSite, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = minimal_site()
    sources = shutil.copytree(BADGR, tmp_path / "export")
    (sources / "broken.json").write_text('{"type": "Assertion",\n "id": }\n')
    (sources / "duplicate.json").write_text('{"type": "Issuer", "type": "BadgeClass"}')
    lines = tmp_path / "badges.jsonl"
    lines.write_text('{"type": "Issuer", "id": "urn:uuid:1", "name": "X"}\n\n{"type": "Thing"}\n')
    before = tree(site)
    assert run(site, str(sources), str(lines)) == 1
    assert tree(site) == before
    err = capsys.readouterr().err
    assert f"{sources}/broken.json:2: error: JSON syntax error: Expecting value" in err
    assert f"{sources}/duplicate.json:1: error: JSON refused: duplicate key 'type'" in err
    assert f"{lines}:1: error: the issuer's id 'urn:uuid:1' is not an http(s) URL" in err
    assert f"{lines}:3: error: type 'Thing' is not an Open Badges 2.0 Issuer" in err


def test_a_revoked_answer_updates_the_earlier_record(
    imported: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(imported, str(SOURCES / "later" / "assertion-valid-revoked.json")) == 0
    assert f"{RECORD}: updated: earlier award of 'impression-3d-autonome' (revoked)" in (
        capsys.readouterr().out
    )
    record = (imported / RECORD).read_text()
    assert "badge: impression-3d-autonome" in record
    assert "revoked: true\nrevocation_reason: Badge retiré à la demande de la structure\n" in record
    assert "salt: 5e0a9c1f7b3d4e2a" in record  # kept for re-issuing


def test_unknown_badge_class_is_an_error(
    minimal_site: MakeSite, capsys: pytest.CaptureFixture[str]
) -> None:
    site = minimal_site()
    assert run(site, str(BADGR / "assertion-valid.json"), "--issuer", "atelier") == 1
    assert "assertion-valid.json: error: the badge class of " + VALID in capsys.readouterr().err


def test_imported_site_builds_earlier_award_pages(
    imported: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "built"
    assert main(["build", "--source", str(imported), "--out", str(out)]) == 0
    pages = {
        lang: out / prefix / "earlier/fablab-des-capucins/20250314-ec832f69/index.html"
        for lang, prefix in (("fr", ""), ("en", "en"))
    }
    french, english = (pages[lang].read_text() for lang in ("fr", "en"))
    assert f'href="{VALID}"' in french and f'href="{VALID}"' in english
    assert (
        "Ce site ne l\u2019a pas signé : c\u2019est l\u2019adresse d\u2019origine qui permet"
        in french
    )
    assert "This site did not sign it: its original address is the one that verifies it." in english
    assert "Badge awarded on Badgr" in english
    revoked = (out / "en/earlier/fablab-des-capucins/20220110-912937c6/index.html").read_text()
    assert "Revoked badge</strong> — Délivré par erreur" in revoked
    expired = (out / "en/earlier/fablab-des-capucins/20210601-65d34f6a/index.html").read_text()
    assert "Expired badge" in expired
    badge = (out / "en/badges/impression-3d-autonome/index.html").read_text()
    assert 'href="https://api.badgr.io/public/badges/Qm7tLz2R4yWc9xNb3VdKpA"' in badge
    # No recipient's hash or salt on any page or file of the site.
    published = b"".join(p.read_bytes() for p in out.rglob("*") if p.is_file())
    assert not any(salt.encode() in published for salt in SALTS)
    for name in ("assertion-valid.json", "assertion-expired.json", "assertion-revoked.json"):
        identity = json.loads((BADGR / name).read_text())["recipient"]["identity"]
        assert identity.split("$")[1].encode() not in published
    # Earlier awards are never counted as held (revoked and expired ones least of all).
    rows = json.loads((out / "data/skills-map.json").read_text())["rows"]
    assert {row["holders"] for row in rows} == {0}


def test_a_baked_png_is_imported_like_its_assertion(
    minimal_site: MakeSite, capsys: pytest.CaptureFixture[str]
) -> None:
    """Badgr bakes the assertion with its badge class and issuer expanded in it."""
    site = minimal_site()
    assert run(site, str(SOURCES / "baked" / "expired-laser.png")) == 0
    out = capsys.readouterr().out
    assert "content/issuers/fablab-des-capucins.yaml: new: NEW STRUCTURE" in out
    assert "matches the network's badge 'laser-debutant'" in out
    record = (site / "assertions/fablab-des-capucins/earlier/20210601-65d34f6a.yaml").read_text()
    assert "original: https://api.badgr.io/public/assertions/Ex2pIr4eDa6wAr8dSx0zYw\n" in record
    assert "expires: '2023-06-01T09:30:00Z'" in record


def test_a_baked_url_alone_is_not_fetched(
    minimal_site: MakeSite, capsys: pytest.CaptureFixture[str]
) -> None:
    site = minimal_site()
    svg = SOURCES / "baked" / "url-only.svg"
    assert run(site, str(svg)) == 1
    assert capsys.readouterr().err.startswith(
        f"{svg}: error: only the assertion's URL is baked "
        "(https://api.badgr.io/public/assertions/Ex2pIr4eDa6wAr8dSx0zYw): nothing is fetched; "
        "open it, save the JSON it answers, and import that file"
    )


def test_open_badge_factory_badges_as_json_lines(
    minimal_site: MakeSite, capsys: pytest.CaptureFixture[str]
) -> None:
    site = minimal_site()
    source = SOURCES / "obf" / "badges.jsonl"
    assert run(site, str(source), "--issuer", "atelier") == 0
    out = capsys.readouterr().out
    badge = (site / "badges/modelisation-3d.yaml").read_text()
    assert "name: Modélisation 3D\ndescription: A modélisé une pièce en 3D.\n" in badge
    assert "scope: atelier\nstatus: proposed\nvalid_for:\n  months: 24\n" in badge
    assert "url: https://openbadgefactory.com/v1/badge/_/PQ4T2XK9M1AB.json" in badge
    assert (site / "badges/modelisation-3d.md").read_text() == (
        "### Critères\n\n1. Dessiner une pièce cotée\n2. L'exporter en STL\n\nx\n"
    )
    assert (site / "badges/modelisation-3d.svg").read_bytes().startswith(b"<svg")
    assert "image not fetched (https://openbadgefactory.com/v1/badge/_/RS8K3LM2N0CD.png)" in out
    assert main(["check", "--source", str(site)]) == 0


def test_open_badge_factory_badges_need_a_structure(
    minimal_site: MakeSite, capsys: pytest.CaptureFixture[str]
) -> None:
    site = minimal_site()
    source = SOURCES / "obf" / "badges.jsonl"
    assert run(site, str(source)) == 1
    assert f"{source}:2: error: the issuer of badge class" in capsys.readouterr().err


def test_an_earlier_award_page_once_published_stays(imported: Path) -> None:
    from .test_since import check, commit, errors, git

    git(imported, "init", "-q")
    commit(imported, "imported from Badgr")
    (imported / RECORD).unlink()
    assert errors(check(imported)) == [
        f"{RECORD}: error: earlier award published at HEAD "
        "(earlier/fablab-des-capucins/20250314-ec832f69/) and now deleted or renamed: its page "
        "may be on its earner's CV; restore the file (a revoked one is marked 'revoked: true', "
        "never deleted)"
    ]


def test_an_earlier_recipient_address_is_never_published(
    imported: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = imported / "content/pages/a-propos.md"
    page.write_text(page.read_text() + "\nÉcrire à Alice@example.org.\n")
    assert main(["build", "--source", str(imported), "--out", str(tmp_path / "built")]) == 1
    # the page, and the search index that holds its words
    assert re.search(
        re.escape(f"{RECORD}: error: the recipient's email address of this earlier award would be ")
        + r"published in [^;]*pages/a-propos/index\.html",
        capsys.readouterr().err,
    )


def test_an_award_and_its_revoked_answer_in_one_import(
    minimal_site: MakeSite, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Read in either order, the full assertion and the revoked answer make one record."""
    site = minimal_site()
    export = shutil.copytree(BADGR, tmp_path / "export")
    shutil.copy(SOURCES / "later" / "assertion-valid-revoked.json", export / "0-answer.json")
    assert run(site, str(export)) == 0
    record = (site / RECORD).read_text()
    assert "badge: impression-3d-autonome" in record
    assert "revoked: true\nrevocation_reason: Badge retiré à la demande de la structure\n" in record


ACHIEVEMENT = {
    "@context": [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ],
    "id": "https://openbadgefactory.com/v1/badge/_/ZX81ACHIEVE3.json",
    "type": ["Achievement"],
    "achievementType": "MicroCredential",
    "humanCode": "FAB-101",
    "fieldOfStudy": "Fabrication numérique",
    "creditsAvailable": 1.5,
    "name": "Découpe laser avancée",
    "description": "A conduit une découpeuse laser en autonomie.",
    "criteria": {"narrative": "- A découpé trois pièces."},
    "tag": ["laser"],
    "alignment": [
        {
            "type": ["Alignment"],
            "targetName": "operate laser cutting equipment",
            "targetUrl": "http://data.europa.eu/esco/skill/45bef06d-dba9-4192-9805-2f7d27523638",
            "targetFramework": "ESCO",
            "targetCode": "http://data.europa.eu/esco/skill/45bef06d-dba9-4192-9805-2f7d27523638",
            "targetType": "ceasn:Competency",
        }
    ],
}
# What some platforms write: the framework's full name, the ESCO URI only as targetUrl.
ROME_AND_URL_ONLY = [
    {
        "type": ["Alignment"],
        "targetName": "Animation d'activités culturelles ou ludiques",
        "targetUrl": "https://candidat.francetravail.fr/metierscope/fiche-metier/G1202",
        "targetFramework": "ROME 4.0",
        "targetCode": "G1202",
    },
    {
        "type": ["Alignment"],
        "targetName": "communicate with a non-scientific audience",
        "targetUrl": "http://data.europa.eu/esco/skill/ff64e9fc-36dd-4035-872a-83aa41dc1ad9",
        "targetFramework": "esco",
        "targetCode": "ff64e9fc-36dd-4035-872a-83aa41dc1ad9",
    },
]


def test_an_ob3_achievement_keeps_its_alignment_and_ob3_fields(
    minimal_site: MakeSite, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An Open Badges 3.0 Achievement (as Open Badge Factory exports one) is imported as a
    badge class, its alignments (targetType too) and its OB 3.0 fields kept, and the imported
    badge's Achievement carries them again."""
    site = minimal_site()
    source = tmp_path / "achievement.json"
    source.write_text(json.dumps(ACHIEVEMENT), "utf-8")
    assert run(site, str(source), "--issuer", "atelier") == 0
    badge = (site / "badges/decoupe-laser-avancee.yaml").read_text()
    for line in (
        "achievement_type: MicroCredential\n",
        "human_code: FAB-101\n",
        "field_of_study: Fabrication numérique\n",
        "credits_available: 1.5\n",
        "  framework: esco\n",  # a known framework, as a badge file names it
        "  type: ceasn:Competency\n",
    ):
        assert line in badge
    assert main(["check", "--source", str(site)]) == 0
    out = tmp_path / "out"
    assert main(["build", "--source", str(site), "--out", str(out)]) == 0
    capsys.readouterr()
    built = json.loads((out / "badges/decoupe-laser-avancee/achievement.json").read_text())
    assert (built["achievementType"], built["humanCode"], built["creditsAvailable"]) == (
        "MicroCredential",
        "FAB-101",
        1.5,
    )
    assert built["alignment"] == ACHIEVEMENT["alignment"]


def test_ob3_fields_of_the_wrong_kind_are_reported(
    minimal_site: MakeSite, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = minimal_site()
    source = tmp_path / "achievement.json"
    wrong = {**ACHIEVEMENT, "creditsAvailable": "trois", "humanCode": 12}
    source.write_text(json.dumps(wrong), "utf-8")
    assert run(site, str(source), "--issuer", "atelier") == 1
    err = capsys.readouterr().err
    assert (
        f"{source}: error: the badge class's 'creditsAvailable' 'trois' is not a number of credits"
        in err
    )
    assert f"{source}: error: the badge class's 'humanCode' is a number, not a text" in err


def test_known_frameworks_are_named_as_badge_files_name_them(
    minimal_site: MakeSite, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = minimal_site()
    source = tmp_path / "achievement.json"
    source.write_text(json.dumps({**ACHIEVEMENT, "alignment": ROME_AND_URL_ONLY}), "utf-8")
    assert run(site, str(source), "--issuer", "atelier") == 0
    badge = (site / "badges/decoupe-laser-avancee.yaml").read_text()
    assert "  framework: rome\n  code: G1202\n" in badge
    esco = "http://data.europa.eu/esco/skill/ff64e9fc-36dd-4035-872a-83aa41dc1ad9"
    assert f"  framework: esco\n  code: {esco}\n" in badge
    assert main(["check", "--source", str(site)]) == 0

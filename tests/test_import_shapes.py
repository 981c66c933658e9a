"""`build.py import` reads what the platforms give, by its shape, whatever the file's name:
one Open Badge Factory badge saved as `.json` (what its API answers for one badge), JSON
lines in a `.json` file, what a revoked award's address answers without `type`; and its
messages quote the sources as JSON, never as Python (`None`, `['x']`, `{'a': 1}`)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from .test_import import RECORD, SOURCES, MakeSite, run

OBF_BADGES = SOURCES / "obf" / "badges.jsonl"
VALID = "https://api.badgr.io/public/assertions/Ab3dEf5gHi7jKl9mNo1pQr"


def test_one_obf_badge_saved_as_json_is_imported(
    minimal_site: MakeSite, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """GET /v1/badge/{client}/{badge} answers one object, which a person saves as .json."""
    badge = json.loads(OBF_BADGES.read_text("utf-8").splitlines()[0])
    source = tmp_path / "PQ4T2XK9M1AB.json"
    source.write_text(json.dumps(badge, ensure_ascii=False, indent=2), "utf-8")
    site = minimal_site()
    assert run(site, str(source), "--issuer", "atelier") == 0, capsys.readouterr().err
    assert "url: https://openbadgefactory.com/v1/badge/_/PQ4T2XK9M1AB.json" in (
        site / "badges/modelisation-3d.yaml"
    ).read_text("utf-8")


def test_json_lines_in_a_json_file_are_read_line_by_line(
    minimal_site: MakeSite, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "badges.json"
    source.write_text(OBF_BADGES.read_text("utf-8"), "utf-8")
    site = minimal_site()
    assert run(site, str(source), "--issuer", "atelier") == 0, capsys.readouterr().err
    assert (site / "badges/modelisation-3d.yaml").is_file()
    assert (site / "badges/brodeuse-numerique.yaml").is_file()


def test_a_revoked_answer_without_type_revokes_the_earlier_record(
    minimal_site: MakeSite, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = minimal_site()
    assert run(site, str(SOURCES / "badgr")) == 0
    answer = tmp_path / "answer.json"
    answer.write_text(
        json.dumps({"id": VALID, "revoked": True, "revocationReason": "Délivré par erreur"}),
        "utf-8",
    )
    capsys.readouterr()
    assert run(site, str(answer)) == 0, capsys.readouterr().err
    assert "revoked: true\nrevocation_reason: Délivré par erreur\n" in (site / RECORD).read_text()


PYTHON_VALUES = re.compile(r"\bNone\b|\bTrue\b|\bFalse\b|\['|\{'")


@pytest.mark.parametrize(
    "source",
    [
        '{"name": "Découpe laser"}',
        '{"type": ["Thing", "Other"], "id": "https://x.example/1"}',
        '{"type": "Issuer", "id": null, "name": "X"}',
        '{"type": "BadgeClass", "id": "https://x.example/b", "name": {"fr": "X"}, '
        '"description": "D", "criteria": "https://x.example/c", "issuer": ["https://x.example/i"], '
        '"expires": {"amount": null, "duration": "days"}, '
        '"alignment": [{"targetName": null, "targetUrl": "x"}]}',
        '{"type": "Assertion", "id": "https://x.example/a", "badge": {"a": 1}, "issuedOn": null, '
        '"evidence": [{"id": false}], "recipient": {"hashed": true, "identity": "x"}}',
        '{"type": "Assertion", "id": "https://x.example/a", "badge": "https://x.example/b", '
        '"issuedOn": ["2020"], "recipient": {"hashed": true, "identity": ["x"]}}',
        '{"criteria_html": "<p>x</p>", "name": "X", "id": null}',
        '{"badge_id": null, "id": 5}',
        '{"revoked": true, "revocationReason": null}',
        '{"status": {"success": false, "description": null}, "result": []}',
    ],
    ids=[
        "no-type", "type-list", "id-null", "badge-class-values", "assertion-values",
        "assertion-lists", "obf-badge-no-id", "obf-award-ids", "revoked-no-id", "badgr-error",
    ],
)  # fmt: skip
def test_messages_never_show_python_values(
    minimal_site: MakeSite, tmp_path: Path, capsys: pytest.CaptureFixture[str], source: str
) -> None:
    path = tmp_path / "source.json"
    path.write_text(source, "utf-8")
    assert run(minimal_site(), str(path), "--issuer", "atelier") == 1
    err = capsys.readouterr().err
    assert f"{path}: error: " in err
    assert PYTHON_VALUES.findall(err) == [], err


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ('{"name": "Découpe laser"}', "this JSON object has no 'type', and is none of the "
         "documents the platforms give (an Open Badges 2.0 Issuer, BadgeClass or Assertion, a "
         "Badgr entity, an Open Badge Factory badge, event or assertion); give one of them, as "
         "the platform answers it"),
        ('{"type": "Issuer", "id": null, "name": "X"}', "the issuer has no 'id': only hosted "
         "Open Badges 2.0 objects can be imported (their URL is what keeps verifying)"),
        ('{"type": ["Thing"]}', 'type ["Thing"] is not an Open Badges 2.0 Issuer, BadgeClass '
         "or Assertion; give the JSON of one of them, as the platform hosts it"),
        ('{"badge_id": null, "id": 5}', "an OBF award with 'id' 5 and no 'badge_id': each is "
         "an OBF identifier (letters and digits); export it again from Open Badge Factory"),
        ('{"revoked": true}', "this is what a revoked award's address answers, but it names no "
         "award (no http(s) 'id'); import the award's own JSON too, or write into this file, "
         'as "id", the address you opened'),
    ],
    ids=["no-type", "id-null", "type-list", "obf-award-ids", "revoked-no-id"],
)  # fmt: skip
def test_what_the_messages_say(
    minimal_site: MakeSite, tmp_path: Path, capsys: pytest.CaptureFixture[str], source: str,
    message: str,
) -> None:  # fmt: skip
    path = tmp_path / "source.json"
    path.write_text(source, "utf-8")
    assert run(minimal_site(), str(path), "--issuer", "atelier") == 1
    assert capsys.readouterr().err == f"{path}: error: {message}\n1 error, 0 warnings\n"

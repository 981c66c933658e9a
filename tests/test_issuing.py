"""The issuer tools, keygen and issue: what they write, and everything they refuse."""

from __future__ import annotations

import hashlib
import json
import stat
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest

from generator.issuer.issuing import add_duration
from generator.issuer.keys import read_private_key
from generator.openbadges import statuslist
from generator.openbadges.dataintegrity import sign
from generator.openbadges.multikey import public_key_multibase
from generator.site.model.network import Duration

from .credential_fixtures import (
    ALICE,
    ATELIER_DID,
    AWARD_SLUG,
    BOB,
    COORDINATORS,
    EVIDENCE_URL,
    LASER_AT,
    NARRATIVE,
    Run,
    SignedNetwork,
    approve,
    credential_url,
    history_keys,
    issue,
    keygen,
    line_of,
    network_site,
    ok,
    read_json,
    run,
    snapshot,
    write_json,
)

CREATED = '"created"'  # the proof's date: where a problem with the signing key points


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """The minimal site with a second structure, and no key yet."""
    return network_site(tmp_path / "site")


def atelier_keys(site: Path) -> list[dict[str, object]]:
    """atelier's keys, as the last entry of its key history states them."""
    return history_keys(site, "atelier")


# keygen ----------------------------------------------------------------------------------


def test_keygen_writes_a_pem_readable_by_its_owner_only(site: Path, tmp_path: Path) -> None:
    key_file = tmp_path / "keys" / "atelier.pem"
    result = keygen(site, "atelier", key_file, "2024-02-01T10:00:00Z")
    assert "created key 'key-1' for atelier" in result.out
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert key_file.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----\n")
    key = read_private_key(key_file)
    assert atelier_keys(site)[0]["publicKeyMultibase"] == public_key_multibase(key)


def test_keygen_writes_a_first_entry_and_leaves_the_structure_file_alone(
    site: Path, tmp_path: Path
) -> None:
    yaml_file = site / "content" / "issuers" / "atelier.yaml"
    original = yaml_file.read_bytes()
    result = run(
        "keygen", "atelier", "--source", site, "--key-file", tmp_path / "atelier.pem",
        at="2024-02-01T10:00:00Z",
    )  # fmt: skip
    assert result.code == 0, result.err
    assert "a first key: it is valid once 2 of the network's coordinators approve it" in result.out
    assert "'python build.py approve atelier --key-file THEIR-KEY.pem'" in result.out
    assert yaml_file.read_bytes() == original
    (line,) = (site / "content" / "issuers" / "atelier.keys.jsonl").read_text("utf-8").splitlines()
    entry = json.loads(line)
    multibase = public_key_multibase(read_private_key(tmp_path / "atelier.pem"))
    assert {key: entry[key] for key in ("type", "issuer", "version", "date", "keys")} == {
        "type": "KeyHistoryEntry",
        "issuer": "atelier",
        "version": 1,
        "date": "2024-02-01T10:00:00Z",
        "keys": [
            {"id": "key-1", "publicKeyMultibase": multibase, "validFrom": "2024-02-01T10:00:00Z"}
        ],
    }
    assert "previous" not in entry
    assert [proof["verificationMethod"] for proof in entry["proof"]] == [
        f"did:key:{multibase}#{multibase}"  # the new key's proof of possession, no approval yet
    ]
    approve(site, "atelier", "2024-02-01T11:00:00Z")
    assert ok("check", "--source", site).out == "content is valid\n"


@pytest.mark.parametrize("folder", ["content", "badges", "assertions", "theme"])
def test_keygen_refuses_a_key_file_inside_the_repository(site: Path, folder: str) -> None:
    before = snapshot(site)
    result = run("keygen", "atelier", "--source", site, "--key-file", site / folder / "key.pem")
    assert result.code == 1
    assert f"a private key must never be inside {folder}/" in result.err
    assert snapshot(site) == before


def test_keygen_never_overwrites_a_file(site: Path, tmp_path: Path) -> None:
    key_file = tmp_path / "existing.pem"
    key_file.write_text("keep me", "utf-8")
    before = snapshot(site)
    result = run("keygen", "atelier", "--source", site, "--key-file", key_file)
    assert result.code == 1
    assert (
        f"{key_file}: error: the file already exists; keygen never overwrites a key" in result.err
    )
    assert key_file.read_text("utf-8") == "keep me"
    assert snapshot(site) == before


def test_keygen_refuses_a_slug_that_is_no_structure(site: Path, tmp_path: Path) -> None:
    before = snapshot(site)
    result = run("keygen", "ateleir", "--source", site, "--key-file", tmp_path / "key.pem")
    assert result.code == 1
    assert (
        "error: unknown structure or endorser 'ateleir' (did you mean 'atelier'?); use one "
        "of: atelier, fablab, reseau" in result.err
    )
    assert not (tmp_path / "key.pem").exists()
    assert snapshot(site) == before


def test_the_network_holds_a_key_to_endorse_but_awards_nothing(site: Path, tmp_path: Path) -> None:
    """keygen makes the network's key (for endorsements, issue 25); issue still refuses it."""
    ok("keygen", "reseau", "--source", site, "--key-file", tmp_path / "key.pem")
    assert (site / "content" / "issuers" / "reseau.keys.jsonl").is_file()
    for coordinator in COORDINATORS[:2]:
        ok("approve", "reseau", "--source", site, "--key-file", coordinator)
    result = run(
        "issue", "--source", site, "--issuer", "reseau", "--badge", "laser-debutant",
        "--key-file", tmp_path / "key.pem", "--recipient", "a@example.org",
    )  # fmt: skip
    assert result.code == 1 and "it signs no award" in result.err


def test_keys_in_a_structure_file_are_refused_with_where_they_live_now(
    site: Path, tmp_path: Path
) -> None:
    yaml_file = site / "content" / "issuers" / "atelier.yaml"
    yaml_file.write_text(yaml_file.read_text("utf-8") + "keys:\n  - id: key-1\n", "utf-8")
    line = len(yaml_file.read_text("utf-8").splitlines()) - 1
    before = snapshot(site)
    result = run("keygen", "atelier", "--source", site, "--key-file", tmp_path / "key.pem")
    assert result.code == 1
    assert (
        f"content/issuers/atelier.yaml:{line}: error: keys: keys are no longer written here: a "
        "structure's keys live in its key history, content/issuers/<slug>.keys.jsonl, where each "
        "change is signed; a network that still has 'keys:' runs 'python build.py init-trust' "
        "once, which moves them there"
    ) in result.err
    assert snapshot(site) == before
    assert not (tmp_path / "key.pem").exists(), "a key whose public part was never published"


# rotation --------------------------------------------------------------------------------


ROTATED_AT = "2025-01-15T09:00:00Z"


@pytest.fixture
def rotated(network: SignedNetwork) -> SignedNetwork:
    """The signed network after atelier replaced key-1 with key-2 on 2025-01-15, signing
    the change with key-1."""
    new_key = network.keys.parent / "rotated" / "atelier-2.pem"
    keygen(network.site, "atelier", new_key, ROTATED_AT, current=network.key_file)
    return network


def test_rotation_adds_key_2_and_ends_key_1(rotated: SignedNetwork) -> None:
    keys = atelier_keys(rotated.site)
    assert [key["id"] for key in keys] == ["key-1", "key-2"]
    assert keys[0]["validUntil"] == keys[1]["validFrom"] == "2025-01-15T09:00:00Z"
    assert "validUntil" not in keys[1]
    new_key = read_private_key(rotated.keys.parent / "rotated" / "atelier-2.pem")
    assert keys[1]["publicKeyMultibase"] == public_key_multibase(new_key)


def test_credentials_signed_before_rotation_still_build(rotated: SignedNetwork) -> None:
    ok("build", "--source", rotated.site, "--out", rotated.out)
    did = read_json(rotated.out / "issuers" / "atelier" / "did.json")
    assert did["assertionMethod"] == [f"{ATELIER_DID}#key-1", f"{ATELIER_DID}#key-2"]
    for credential in rotated.credentials:
        published = rotated.award_dir(credential) / "credential.json"
        assert published.read_bytes() == credential.read_bytes()


def test_issue_refuses_the_old_key_file_after_rotation(rotated: SignedNetwork) -> None:
    before = snapshot(rotated.site)
    result = run(
        "issue", "--source", rotated.site, "--issuer", "atelier", "--badge", "laser-debutant",
        "--key-file", rotated.key_file, "--recipient", "new@example.net",
        at="2025-02-01T10:00:00Z",
    )  # fmt: skip
    assert result.code == 1
    assert (
        "error: this key file does not match atelier's current published key 'key-2'" in result.err
    )
    assert snapshot(rotated.site) == before


def test_issue_after_rotation_signs_with_key_2(rotated: SignedNetwork) -> None:
    new_key = rotated.keys.parent / "rotated" / "atelier-2.pem"
    path = issue(
        rotated.site,
        "laser-debutant",
        new_key,
        "2025-02-01T10:00:00Z",
        "--recipient",
        "n@example.net",
    )
    assert read_json(path)["proof"][0]["verificationMethod"] == f"{ATELIER_DID}#key-2"
    ok("check", "--source", rotated.site)


def test_a_proof_dated_after_the_old_key_ended_is_refused(rotated: SignedNetwork) -> None:
    """Someone holding the old key cannot back-fill a credential after the rotation."""
    document = read_json(rotated.laser)
    del document["proof"]
    forged = sign(
        document,
        read_private_key(rotated.key_file),
        f"{ATELIER_DID}#key-1",
        "2025-03-01T10:00:00Z",
    )
    write_json(rotated.laser, forged)
    result = run("check", "--source", rotated.site)
    assert result.code == 1
    assert (
        f"{rotated.relative(rotated.laser)}:{line_of(rotated.laser, CREATED)}: error: "
        "signed on 2025-03-01T10:00:00Z with key "
        "'key-1', which was not valid then (valid from 2024-02-01T10:00:00+00:00 until "
        "2025-01-15T09:00:00+00:00); this credential is not published"
    ) in result.err


# compromised keys ------------------------------------------------------------------------


def test_a_compromised_key_invalidates_what_it_signed_from_then_on(network: SignedNetwork) -> None:
    # LASER_AT (2024-03-10) is before the leak, ACCUEIL_AT (2024-04-02) and the expired
    # one (2024-05-01) after it.
    marked = ok(
        "mark-compromised", "atelier", "key-1", "--source", network.site, "--since",
        "2024-03-20T00:00:00Z", "--key-file", network.key_file, at="2025-01-10T00:00:00Z",
    )  # fmt: skip
    assert "signed by a key of the structure: valid at once" in marked.out
    assert atelier_keys(network.site)[0]["compromisedAt"] == "2024-03-20T00:00:00Z"
    result = run("check", "--source", network.site)
    assert result.code == 1
    refused = [network.accueil, network.expired]
    for credential in refused:
        assert (
            f"{network.relative(credential)}:{line_of(credential, CREATED)}: error: signed on "
            f"{read_json(credential)['proof'][0]['created']} with key 'key-1', compromised since "
            "2024-03-20T00:00:00+00:00; delete this file and issue the badge again with the new key"
        ) in result.err
    assert network.relative(network.laser) not in result.err
    assert "status-list.json" not in result.err  # signed with the first credential, before
    assert result.err.endswith("2 errors, 0 warnings\n")
    for credential in refused:
        credential.unlink()
    ok("build", "--source", network.site, "--out", network.out)
    assert (network.award_dir(network.laser) / "credential.json").exists()


def test_a_credential_refused_for_a_compromised_key_can_be_re_issued(
    network: SignedNetwork,
) -> None:
    new_key = network.keys / "atelier-2.pem"
    keygen(network.site, "atelier", new_key, "2025-01-15T09:00:00Z")  # a recovery: approved
    ok(
        "mark-compromised", "atelier", "key-1", "--source", network.site, "--since",
        "2024-03-20T00:00:00Z", "--key-file", new_key, at="2025-01-15T10:00:00Z",
    )  # fmt: skip
    result = run(
        "issue", "--source", network.site, "--issuer", "atelier", "--badge", "atelier-accueil",
        "--key-file", new_key, "--recipient", BOB, at="2025-01-16T00:00:00Z",
    )  # fmt: skip
    assert result.code == 0, result.err
    assert result.out.endswith("1 credential(s) issued, 0 skipped\n")


# issue: one recipient --------------------------------------------------------------------


def test_issue_writes_a_signed_credential(signed: SignedNetwork) -> None:
    assert signed.laser.parent == signed.site / "assertions" / "atelier"
    assert AWARD_SLUG.match(signed.laser.stem)
    assert signed.laser.stem.startswith("20240310-")
    document = read_json(signed.laser)
    assert document["id"] == credential_url(signed.laser)
    assert document["issuer"]["id"] == ATELIER_DID
    assert document["validFrom"] == LASER_AT
    assert document["awardedDate"] == LASER_AT
    assert document["validUntil"] == "2026-03-10T10:00:00Z"  # valid_for: 2 years
    assert isinstance(document["proof"], list)
    assert len(document["proof"]) == 1
    proof = document["proof"][0]
    assert proof["type"] == "DataIntegrityProof"
    assert proof["cryptosuite"] == "eddsa-rdfc-2022"
    assert proof["created"] == LASER_AT
    assert proof["verificationMethod"] == f"{ATELIER_DID}#key-1"
    assert document["evidence"] == [
        {"type": ["Evidence"], "id": EVIDENCE_URL, "narrative": NARRATIVE}
    ]
    assert document["credentialSubject"]["achievement"]["id"] == (
        "https://example.org/test-network/badges/laser-debutant/achievement.json"
    )


def test_the_recipient_is_a_salted_hash_of_the_normalised_email(signed: SignedNetwork) -> None:
    [identifier] = read_json(signed.laser)["credentialSubject"]["identifier"]
    salt = identifier["salt"]
    assert len(salt) >= 16
    expected = "sha256$" + hashlib.sha256((ALICE.lower() + salt).encode()).hexdigest()
    assert identifier == {
        "type": "IdentityObject",
        "identityType": "emailAddress",
        "hashed": True,
        "salt": salt,
        "identityHash": expected,
    }
    data = signed.laser.read_bytes().lower()
    assert ALICE.lower().encode() not in data
    assert ALICE.split("@")[0].lower().encode() not in data


def test_every_credential_has_its_own_salt_and_status_index(signed: SignedNetwork) -> None:
    documents = [read_json(path) for path in signed.credentials]
    salts = {d["credentialSubject"]["identifier"][0]["salt"] for d in documents}
    indexes = [d["credentialStatus"]["statusListIndex"] for d in documents]
    assert len(salts) == 3
    assert indexes == ["0", "1", "2"]


def test_issue_creates_a_signed_status_list_with_nothing_revoked(signed: SignedNetwork) -> None:
    status = read_json(signed.status_list)
    assert status["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert status["id"] == "https://example.org/test-network/issuers/atelier/status/revocation.json"
    assert status["issuer"] == ATELIER_DID
    assert status["proof"][0]["verificationMethod"] == f"{ATELIER_DID}#key-1"
    encoded = status["credentialSubject"]["encodedList"]
    assert not any(statuslist.is_set(encoded, index) for index in range(8))


def test_expires_overrides_the_badge_rule(signed: SignedNetwork) -> None:
    assert read_json(signed.expired)["validUntil"] == "2025-05-01T00:00:00Z"


def test_a_badge_without_expiry_rule_has_no_valid_until(signed: SignedNetwork) -> None:
    assert "validUntil" not in read_json(signed.accueil)


def test_issued_on_sets_the_award_date(network: SignedNetwork) -> None:
    path = issue(
        network.site, "laser-debutant", network.key_file, "2025-06-01T08:00:00Z",
        "--recipient", "late@example.net", "--issued-on", "2025-05-20",
    )  # fmt: skip
    document = read_json(path)
    assert path.stem.startswith("20250520-")
    assert document["validFrom"] == "2025-05-20T00:00:00Z"
    assert document["validUntil"] == "2027-05-20T00:00:00Z"
    assert document["proof"][0]["created"] == "2025-06-01T08:00:00Z"


@pytest.mark.parametrize(
    ("start", "duration", "end"),
    [
        ("2024-03-10", Duration(years=2), "2026-03-10"),
        ("2024-01-31", Duration(months=1), "2024-02-29"),
        ("2024-03-31", Duration(months=1), "2024-04-30"),
        ("2024-11-15", Duration(months=3), "2025-02-15"),
        ("2024-02-29", Duration(years=1), "2025-02-28"),
        ("2024-03-01", Duration(days=30), "2024-03-31"),
        ("2024-12-31", Duration(years=1, months=2, days=1), "2026-03-01"),
        pytest.param("2024-02-29", Duration(days=1), "2024-03-01"),
    ],
)
def test_add_duration(start: str, duration: Duration, end: str) -> None:
    moment = datetime.combine(date.fromisoformat(start), time(10), UTC)
    assert add_duration(moment, duration) == datetime.combine(
        date.fromisoformat(end), time(10), UTC
    )


# issue: refusals -------------------------------------------------------------------------

REFUSALS = {
    "unknown-badge": (
        ["--badge", "laser-debutan"],
        "error: unknown badge 'laser-debutan' (did you mean 'laser-debutant'?); see badges/",
    ),
    "proposed-badge": (
        ["--badge", "laser-expert"],
        "error: badge 'laser-expert' is proposed; only approved badges can be awarded",
    ),
    "retired-badge": (
        ["--badge", "couture-debutant"],
        "error: badge 'couture-debutant' is retired; only approved badges can be awarded",
    ),
    "local-badge-of-another-issuer": (
        ["--issuer", "fablab", "--badge", "atelier-accueil", "--key-file", "FABLAB"],
        "error: badge 'atelier-accueil' belongs to atelier; fablab cannot award it",
    ),
    "network-badge-not-in-awards": (
        ["--issuer", "fablab", "--badge", "laser-debutant", "--key-file", "FABLAB"],
        "error: fablab does not award 'laser-debutant'; add it to 'awards' in "
        "content/issuers/fablab.yaml",
    ),
    "unknown-issuer": (
        ["--issuer", "fablba"],
        "error: unknown issuer 'fablba' (did you mean 'fablab'?)",
    ),
    "malformed-email": (
        ["--recipient", "dan.example.net"],
        "--recipient: error: 'dan.example.net' is not an email address; check the recipient",
    ),
    "email-with-two-at-signs": (
        ["--recipient", "dan@@example.net"],
        "--recipient: error: 'dan@@example.net' is not an email address",
    ),
    "evidence-not-a-url": (
        ["--evidence", "mon projet"],
        "--recipient: error: evidence 'mon projet' is not a URL; give an https:// address",
    ),
    "key-of-another-issuer": (
        ["--key-file", "FABLAB"],
        "error: this key file does not match atelier's current published key 'key-1'",
    ),
    "key-file-missing": (
        ["--key-file", "MISSING"],
        "cannot read the key file",
    ),
    "key-file-not-pem": (
        ["--key-file", "NOT-PEM"],
        "not a PEM private key; use the file written by 'build.py keygen'",
    ),
    "issued-on-in-the-future": (
        ["--issued-on", "2026-01-02"],
        "--recipient: error: issued-on 2026-01-02 is in the future",
    ),
    "issued-on-not-a-date": (
        ["--issued-on", "2025-02-30"],
        "--recipient: error: issued-on '2025-02-30' is not a date; write it as YYYY-MM-DD",
    ),
    "issued-on-before-approval": (
        ["--issued-on", "2024-01-14"],
        "--recipient: error: issued-on 2024-01-14 is before the badge was approved (2024-01-15)",
    ),
    "expires-before-award-date": (
        ["--issued-on", "2025-06-01", "--expires", "2025-05-31"],
        "--recipient: error: expires 2025-05-31 is not after the award date",
    ),
    "expires-on-award-date": (
        ["--issued-on", "2025-06-01", "--expires", "2025-06-01"],
        "--recipient: error: expires 2025-06-01 is not after the award date",
    ),
    "expires-before-today": (
        ["--expires", "2025-12-31"],
        "--recipient: error: expires 2025-12-31 is not after the award date",
    ),
}


@pytest.mark.parametrize(("args", "message"), REFUSALS.values(), ids=REFUSALS.keys())
def test_issue_refuses(network: SignedNetwork, args: list[str], message: str) -> None:
    not_pem = network.keys.parent / "not-a-key.pem"
    not_pem.write_text("hello", "utf-8")
    files = {
        "FABLAB": str(network.fablab_key_file),
        "MISSING": str(network.keys / "missing.pem"),
        "NOT-PEM": str(not_pem),
    }
    options = {
        "--issuer": "atelier",
        "--badge": "laser-debutant",
        "--key-file": str(network.key_file),
    }
    options["--recipient"] = "dan@example.net"
    given = [files.get(arg, arg) for arg in args]
    options.update(zip(given[::2], given[1::2], strict=True))
    before = snapshot(network.site)
    result = run(
        "issue", "--source", network.site, *[item for pair in options.items() for item in pair]
    )
    assert result.code == 1
    assert message in result.err
    assert "Traceback" not in result.err
    assert result.out == ""
    assert snapshot(network.site) == before


# issue: CSV ------------------------------------------------------------------------------


def write_csv(path: Path, text: str) -> Path:
    path.write_text(text, "utf-8")
    return path


def issue_csv(network: SignedNetwork, csv: Path, at: str = "2025-03-08T15:00:00Z") -> Run:
    return run(
        "issue", "--source", network.site, "--issuer", "atelier", "--badge", "laser-debutant",
        "--key-file", network.key_file, "--csv", csv, at=at,
    )  # fmt: skip


CSV_ROWS = (
    "email,evidence,narrative,issued_on,expires\n"
    'erwan.csv-1@example.net,https://example.org/p/1,"Une pièce, deux découpes",2025-03-01,\n'
    "Gwen.CSV-2@Example.net,,,,2026-12-31\n"
    "yann.csv-3@example.net,,A gravé.,,\n"
)


def test_csv_issues_one_credential_per_row(network: SignedNetwork, tmp_path: Path) -> None:
    result = issue_csv(network, write_csv(tmp_path / "rows.csv", CSV_ROWS))
    assert result.code == 0, result.err
    assert result.out.endswith("3 credential(s) issued, 0 skipped\n")
    first, second, third = (read_json(path) for path in result.issued)
    assert first["validFrom"] == "2025-03-01T00:00:00Z"
    assert first["evidence"] == [
        {
            "type": ["Evidence"],
            "id": "https://example.org/p/1",
            "narrative": "Une pièce, deux découpes",
        }
    ]
    assert second["validUntil"] == "2026-12-31T00:00:00Z"
    assert third["evidence"] == [{"type": ["Evidence"], "narrative": "A gravé."}]
    [identifier] = second["credentialSubject"]["identifier"]
    assert identifier["identityHash"] == (
        "sha256$"
        + hashlib.sha256(("gwen.csv-2@example.net" + identifier["salt"]).encode()).hexdigest()
    )
    indexes = sorted(int(d["credentialStatus"]["statusListIndex"]) for d in (first, second, third))
    assert indexes == [3, 4, 5]
    ok("check", "--source", network.site)


def test_rerunning_a_csv_issues_no_duplicates(network: SignedNetwork, tmp_path: Path) -> None:
    csv = write_csv(tmp_path / "rows.csv", CSV_ROWS)
    assert issue_csv(network, csv).code == 0
    after_first = snapshot(network.site)
    second = issue_csv(network, csv, at="2025-03-09T15:00:00Z")
    assert second.code == 0, second.err
    assert second.out == (
        f"{csv}: read with ',' as separator\n"
        f"{tmp_path / 'rows-links.csv'}: each row of {csv} with its award's page_url and "
        "credential_url, for a mail merge; it holds the recipients' addresses: keep it out of "
        "the repository\n"
        "0 credential(s) issued, 3 skipped\n"
    )
    for line in (2, 3, 4):
        assert (
            f"{csv}:{line}: skipped: laser-debutant was already issued to this recipient"
            in second.err
        )
    assert snapshot(network.site) == after_first


def test_csv_skips_recipients_already_awarded_and_repeated_rows(
    network: SignedNetwork, tmp_path: Path
) -> None:
    csv = write_csv(
        tmp_path / "rows.csv",
        f"email\n{ALICE.upper()}\nnew.csv@example.net\n NEW.csv@example.net\n",
    )
    result = issue_csv(network, csv)
    assert result.code == 0, result.err
    assert result.out.endswith("1 credential(s) issued, 2 skipped\n")
    assert f"{csv}:2: skipped" in result.err
    assert f"{csv}:4: skipped" in result.err


def test_another_badge_can_go_to_a_recipient_who_has_one(network: SignedNetwork) -> None:
    path = issue(
        network.site, "atelier-accueil", network.key_file, "2025-03-01T10:00:00Z",
        "--recipient", ALICE.lower(),
    )  # fmt: skip
    assert read_json(path)["name"] == "Accueil à l'atelier"


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("pas-un-email,,,,", "error: 'pas-un-email' is not an email address; check the recipient"),
        ("x@example.net,,,2025-13-01,", "error: issued-on '2025-13-01' is not a date"),
        ("x@example.net,,,,31/12/2026", "error: expires '31/12/2026' is not a date"),
        ("x@example.net,,,2027-01-01,", "error: issued-on 2027-01-01 is in the future"),
        ("x@example.net,ftp://x,,,", "error: evidence 'ftp://x' is not a URL"),
    ],
    ids=["email", "issued-on", "expires", "future", "evidence"],
)
def test_a_csv_with_one_bad_row_writes_nothing(
    network: SignedNetwork, tmp_path: Path, row: str, message: str
) -> None:
    csv = write_csv(
        tmp_path / "rows.csv",
        "email,evidence,narrative,issued_on,expires\n"
        "ok-1@example.net,,,,\n"
        "ok-2@example.net,,,,\n"
        f"{row}\n"
        "ok-3@example.net,,,,\n",
    )
    before = snapshot(network.site)
    result = issue_csv(network, csv)
    assert result.code == 1
    assert f"{csv}:4: {message}" in result.err
    assert result.out == f"{csv}: read with ',' as separator\n"
    assert snapshot(network.site) == before


CSV_LINE_BUG = (
    "generator bug: recipients_from_csv numbers rows with enumerate(start=2) over "
    "text.splitlines(), not reader.line_num, so blank lines and quoted line breaks shift them"
)


def test_csv_line_numbers_count_blank_lines(network: SignedNetwork, tmp_path: Path) -> None:
    """The line reported is the line an editor shows, even after a blank line."""
    csv = write_csv(tmp_path / "rows.csv", "email\nok-1@example.net\n\npas-un-email\n")
    result = issue_csv(network, csv)
    assert result.code == 1
    assert f"{csv}:4: error: 'pas-un-email' is not an email address" in result.err


def test_csv_line_numbers_count_line_breaks_inside_quotes(
    network: SignedNetwork, tmp_path: Path
) -> None:
    csv = write_csv(
        tmp_path / "rows.csv",
        'email,narrative\nok-1@example.net,"Première ligne\nseconde ligne"\npas-un-email,\n',
    )
    result = issue_csv(network, csv)
    assert result.code == 1
    assert f"{csv}:4: error: 'pas-un-email' is not an email address" in result.err


def test_csv_keeps_line_breaks_inside_a_narrative(network: SignedNetwork, tmp_path: Path) -> None:
    csv = write_csv(
        tmp_path / "rows.csv",
        'email,narrative\nok-1@example.net,"Première ligne\nseconde ligne"\n',
    )
    result = issue_csv(network, csv)
    assert result.code == 0, result.err
    [path] = result.issued
    assert read_json(path)["evidence"][0]["narrative"] == "Première ligne\nseconde ligne"


def test_csv_reports_an_unknown_column(network: SignedNetwork, tmp_path: Path) -> None:
    csv = write_csv(tmp_path / "rows.csv", "email,evidense\nok@example.net,https://example.org/p\n")
    before = snapshot(network.site)
    result = issue_csv(network, csv)
    assert result.code == 1
    assert f"{csv}:1: error: unknown column 'evidense' (did you mean 'evidence'?)" in result.err
    assert snapshot(network.site) == before


def test_csv_without_an_email_column_is_refused(network: SignedNetwork, tmp_path: Path) -> None:
    csv = write_csv(tmp_path / "rows.csv", "mail\nok@example.net\n")
    before = snapshot(network.site)
    result = issue_csv(network, csv)
    assert result.code == 1
    assert f"{csv}:1: error: the header has no 'email' column; found 'mail'" in result.err
    assert snapshot(network.site) == before

"""Addresses that stay answering when what they showed must go: a revoked credential whose
file was deleted. Built from a copy of the example network (its
fablab-exemple-port/20240420-7c43e28d credential is revoked)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from .conftest import ROOT
from .credential_fixtures import ok, run, snapshot

REVOKED = "assertions/fablab-exemple-port/20240420-7c43e28d.json"
RECORD = "assertions/fablab-exemple-port/revocations/20240420-7c43e28d.json"
AWARD = "awards/fablab-exemple-port/20240420-7c43e28d"
BASE_URL = "https://fababrest.github.io/open-badges/"
REASON = "Délivré par erreur : la personne n'avait pas encore validé l'évaluation pratique."


def example(target: Path) -> Path:
    """A copy of the example network's content."""
    for folder in ("content", "badges", "assertions"):
        shutil.copytree(ROOT / folder, target / folder)
    return target


def build(source: Path, out: Path) -> dict[str, bytes]:
    ok("build", "--source", source, "--out", out)
    return snapshot(out)


@pytest.fixture
def source(tmp_path: Path) -> Path:
    return example(tmp_path / "source")


def test_the_example_network_is_what_these_tests_assume(source: Path) -> None:
    assert json.loads((source / RECORD).read_text("utf-8"))["description"] == REASON
    site = yaml.safe_load((source / "content" / "site.yaml").read_text("utf-8"))
    assert site["base_url"] == BASE_URL


# A revoked credential deleted at its earner's request


def test_a_revoked_credential_may_be_deleted_and_its_addresses_keep_answering(
    source: Path, tmp_path: Path
) -> None:
    before = build(source, tmp_path / "before")
    (source / REVOKED).unlink()
    after = build(source, tmp_path / "after")
    for page in (f"{AWARD}/index.html", f"en/{AWARD}/index.html"):
        html = after[page].decode()
        assert '<meta name="robots" content="noindex">' in html
        assert "révoqué" in html or "revoked" in html
        assert "Page retirée" in html or "Page withdrawn" in html
        assert "site-header" in html  # the site's layout, not a bare page
    assert "This badge was revoked" in after[f"en/{AWARD}/index.html"].decode()
    # The hosted assertion answers exactly as it did while the file was there: revoked.
    assert after[f"{AWARD}/assertion.json"] == before[f"{AWARD}/assertion.json"]
    assert json.loads(after[f"{AWARD}/assertion.json"]) == {
        "@context": "https://w3id.org/openbadges/v2",
        "id": f"{BASE_URL}{AWARD}/assertion.json",
        "type": "Assertion",
        "revoked": True,
        "revocationReason": REASON,
    }
    # Wallets still hold the credential: the revocation list keeps naming it.
    listed = "issuers/fablab-exemple-port/status/revocation-list.json"
    assert after[listed] == before[listed]
    assert f"{BASE_URL}{AWARD}/credential.json" in after[listed].decode()
    # What the file alone gave is gone: the credential and its baked image.
    assert f"{AWARD}/credential.json" not in after
    assert f"{AWARD}/badge.png" not in after


def test_the_record_of_a_deleted_credential_is_still_verified(source: Path) -> None:
    (source / REVOKED).unlink()
    record = json.loads((source / RECORD).read_text("utf-8"))
    record["description"] = "Une autre raison."
    (source / RECORD).write_text(json.dumps(record, ensure_ascii=False, indent=2), "utf-8")
    result = run("check", "--source", source)
    assert result.code == 1
    assert f"{RECORD}: error: signature does not match" in result.err


def test_a_deleted_credential_that_was_never_revoked_leaves_no_page(
    source: Path, tmp_path: Path
) -> None:
    """Without a record, nothing stands in for it (check --since reports the deletion)."""
    deleted = "assertions/biklab/20240630-468fa206.json"
    (source / deleted).unlink()
    files = build(source, tmp_path / "out")
    assert not any(path.startswith("awards/biklab/20240630-468fa206/") for path in files)

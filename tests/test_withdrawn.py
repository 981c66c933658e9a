"""Addresses that stay answering when what they showed must go: a revoked credential whose
file was deleted, a portfolio whose consent was withdrawn. Built from a copy of the example
network (its fablab-exemple-port/20240420-6ebc5c6e credential is revoked, and alice-m gave
her portfolio consent)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from .conftest import copy_example
from .credential_fixtures import line_of, ok, run, snapshot

REVOKED = "assertions/fablab-exemple-port/20240420-6ebc5c6e.json"
RECORD = "assertions/fablab-exemple-port/revocations/20240420-6ebc5c6e.json"
AWARD = "awards/fablab-exemple-port/20240420-6ebc5c6e"
BASE_URL = "https://fababrest.github.io/open-badges/"
REASON = "Délivré par erreur : la personne n'avait pas encore validé l'évaluation pratique."


def example(target: Path) -> Path:
    """A copy of the example network's content (and the CODEOWNERS made from it)."""
    return copy_example(target, ("content", "badges", "assertions"))


def build(source: Path, out: Path) -> dict[str, bytes]:
    ok("build", "--source", source, "--out", out)
    return snapshot(out)


@pytest.fixture
def source(tmp_path: Path, example_cache: Callable[[Path], Path]) -> Path:
    """A copy of the example network, with the cache store of the session's build of it."""
    return example_cache(example(tmp_path / "source"))


def test_the_example_network_is_what_these_tests_assume(source: Path) -> None:
    assert json.loads((source / RECORD).read_text("utf-8"))["description"] == REASON
    site = yaml.safe_load((source / "content" / "site.yaml").read_text("utf-8"))
    assert site["base_url"] == BASE_URL
    person = yaml.safe_load((source / "content" / "people" / "alice-m.yaml").read_text("utf-8"))
    assert person["name"] == "Alice Martin" and person["consent"]["portfolio"] is True


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
    # The stamped card the revoked page shared is its badge's, not the person's: it stays, the
    # same bytes at the same address, with every other of the structure's badges' (the record
    # does not say which badge the award was).
    stamped = {path for path in before if "/share-revoked-" in path}
    assert stamped == {
        f"badges/impression-3d-fdm-utilisateur-autonome/share-revoked-{language}.png"
        for language in ("fr", "en", "br")
    }
    assert all(after[path] == before[path] for path in stamped)


def test_the_record_of_a_deleted_credential_is_still_verified(source: Path) -> None:
    (source / REVOKED).unlink()
    record = json.loads((source / RECORD).read_text("utf-8"))
    record["description"] = "Une autre raison."
    (source / RECORD).write_text(json.dumps(record, ensure_ascii=False, indent=2), "utf-8")
    result = run("check", "--source", source)
    assert result.code == 1
    line = line_of(source / RECORD, '"proof"')
    assert f"{RECORD}:{line}: error: signature does not match" in result.err


def test_a_deleted_credential_that_was_never_revoked_leaves_no_page(
    source: Path, tmp_path: Path
) -> None:
    """Without a record, nothing stands in for it (check --since reports the deletion)."""
    deleted = "assertions/biklab/20240630-814da3a6.json"
    (source / deleted).unlink()
    files = build(source, tmp_path / "out")
    assert not any(path.startswith("awards/biklab/20240630-814da3a6/") for path in files)


def test_verify_says_revoked_at_the_page_of_a_deleted_revoked_credential(
    source: Path, tmp_path: Path
) -> None:
    (source / REVOKED).unlink()
    build(source, tmp_path / "out")
    for page in (
        f"{BASE_URL}{AWARD}/",
        f"{BASE_URL}en/{AWARD}/",
        f"{BASE_URL}{AWARD}/assertion.json",
    ):
        result = run("verify", page, "--site", tmp_path / "out", "--source", source)
        assert result.code == 1
        assert result.out == f"REVOKED — revoked by its issuer: {REASON}\n", page


# A portfolio whose consent is withdrawn


def test_consent_withdrawal_records_it_and_grant_clears_it(source: Path) -> None:
    person = source / "content" / "people" / "alice-m.yaml"
    ok("consent", "--source", source, "alice-m", "--withdraw", "portfolio")
    data = yaml.safe_load(person.read_text("utf-8"))
    assert data["consent"]["portfolio"] is False
    assert data["portfolio_withdrawn"] is True
    assert list(data) == ["name", "consent", "portfolio_withdrawn", "awards"]
    ok("consent", "--source", source, "alice-m", "--grant", "portfolio")
    data = yaml.safe_load(person.read_text("utf-8"))
    assert data["consent"]["portfolio"] is True
    assert "portfolio_withdrawn" not in data


def test_withdrawing_a_portfolio_never_given_records_nothing(source: Path, tmp_path: Path) -> None:
    """bob-lg never agreed to a portfolio: no page ever told he exists, and none will."""
    person = source / "content" / "people" / "bob-lg.yaml"
    ok("consent", "--source", source, "bob-lg", "--withdraw", "portfolio,name")
    assert "portfolio_withdrawn" not in yaml.safe_load(person.read_text("utf-8"))
    files = build(source, tmp_path / "out")
    assert not any("people/bob-lg" in path for path in files)


def test_a_withdrawn_portfolio_answers_no_longer_published_and_reveals_nothing(
    source: Path, tmp_path: Path
) -> None:
    before = build(source, tmp_path / "before")
    assert "Alice Martin" in before["people/alice-m/index.html"].decode()
    ok("consent", "--source", source, "alice-m", "--withdraw", "portfolio")
    after = build(source, tmp_path / "after")
    pages = ["br/people/alice-m/index.html", "en/people/alice-m/index.html"]
    for page in ("people/alice-m/index.html", *pages):
        html = after[page].decode()
        assert '<meta name="robots" content="noindex">' in html
        assert "Alice" not in html and "alice-m" not in html.replace("people/alice-m/", "")
        assert "biklab" not in html and "20240312-ef961c53" not in html
        assert "site-header" in html
    assert "no longer published" in after["en/people/alice-m/index.html"].decode()
    # Nothing else under the portfolio's folder, and no page links to it any more.
    assert sorted(p for p in after if "people/alice-m/" in p) == [
        *pages, "people/alice-m/index.html"
    ]  # fmt: skip
    assert not any(
        b"people/alice-m/" in data
        for path, data in after.items()
        if path.endswith(".html") and "people/alice-m/" not in path
    )


def test_portfolio_set_to_false_by_hand_leaves_no_page(source: Path, tmp_path: Path) -> None:
    """Without the record the build cannot know the portfolio was published (check --since
    reports it); the build without --since gives the same site whatever the history."""
    person = source / "content" / "people" / "alice-m.yaml"
    person.write_text(
        person.read_text("utf-8").replace("portfolio: true", "portfolio: false"), "utf-8"
    )
    files = build(source, tmp_path / "out")
    assert not any("people/alice-m/" in path for path in files)

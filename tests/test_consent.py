"""People and consent: data outside the signatures, enforced by the build."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from .credential_fixtures import (
    BUILD_AT,
    LASER_AT,
    SignedNetwork,
    issue,
    ok,
    run,
    snapshot,
)

NAME = "Morgane Le Bihan-4417"


def person_file(network: SignedNetwork, slug: str) -> Path:
    return network.site / "content" / "people" / f"{slug}.yaml"


def issue_to_person(network: SignedNetwork, *extra: str) -> Path:
    return issue(
        network.site,
        "atelier-accueil",
        network.key_file,
        LASER_AT,
        "--recipient",
        "morgane-4417@example.net",
        "--person",
        "morgane-lb",
        *extra,
    )


def build(network: SignedNetwork) -> dict[str, bytes]:
    ok("build", "--source", network.site, "--out", network.out)
    return snapshot(network.out)


def files_containing(files: dict[str, bytes], text: str) -> list[str]:
    return sorted(path for path, data in files.items() if text.encode() in data)


def test_issue_links_the_award_to_a_person_file(network: SignedNetwork) -> None:
    credential = issue_to_person(network, "--name", NAME, "--consent", "name,portfolio")
    data = yaml.safe_load(person_file(network, "morgane-lb").read_text("utf-8"))
    assert data == {
        "name": NAME,
        "consent": {"name": True, "map": False, "resource": False, "portfolio": True},
        "awards": [f"atelier/{credential.stem}"],
    }
    # Nothing about the person is inside the signed credential.
    assert NAME not in credential.read_text("utf-8")
    assert "morgane-lb" not in credential.read_text("utf-8")


def test_name_is_shown_only_with_consent_and_withdrawal_removes_it_everywhere(
    network: SignedNetwork,
) -> None:
    credential = issue_to_person(network, "--name", NAME, "--consent", "name")
    signed_before = credential.read_bytes()
    shown = files_containing(build(network), NAME)
    page = f"awards/atelier/{credential.stem}/index.html"
    assert page in shown and f"en/{page}" in shown

    ok("consent", "--source", network.site, "morgane-lb", "--withdraw", "name")
    assert files_containing(build(network), NAME) == []
    assert credential.read_bytes() == signed_before  # withdrawal re-signs nothing


def test_without_consent_the_page_says_the_name_is_not_published(network: SignedNetwork) -> None:
    credential = issue_to_person(network, "--name", NAME)
    files = build(network)
    assert files_containing(files, NAME) == []
    page = files[f"awards/atelier/{credential.stem}/index.html"].decode()
    assert "nom non publié" in page
    assert "Badge valide" in page


def test_consent_command_refuses_unknown_person_and_scope(network: SignedNetwork) -> None:
    unknown = run("consent", "--source", network.site, "nobody", "--grant", "name")
    assert unknown.code == 1 and "no person 'nobody'" in unknown.err
    issue_to_person(network)
    bad = run("consent", "--source", network.site, "morgane-lb", "--grant", "nom")
    assert bad.code == 1 and "unknown consent scope(s) nom" in bad.err


def test_a_person_file_holding_an_email_is_refused(network: SignedNetwork) -> None:
    issue_to_person(network)
    path = person_file(network, "morgane-lb")
    path.write_text(
        path.read_text("utf-8") + "contact: https://x.example.org/?m=a@b.org\n", "utf-8"
    )
    result = run("check", "--source", network.site, at=BUILD_AT)
    assert result.code == 1
    assert "content/people/morgane-lb.yaml:" in result.err
    assert "must not hold an email address" in result.err


def test_an_award_linked_twice_or_missing_is_refused(network: SignedNetwork) -> None:
    credential = issue_to_person(network)
    other = person_file(network, "quelqu-un")
    other.write_text(
        f"awards:\n  - atelier/{credential.stem}\n  - atelier/20990101-deadbeef\n", "utf-8"
    )
    err = run("check", "--source", network.site).err
    assert "content/people/quelqu-un.yaml:2: error: award 'atelier/" in err
    assert "is already linked to content/people/morgane-lb.yaml" in err
    assert (
        "content/people/quelqu-un.yaml:3: error: award 'atelier/20990101-deadbeef' does not exist"
        in err
    )


def test_a_recipient_email_in_the_output_fails_the_build(network: SignedNetwork) -> None:
    issue_to_person(network)
    page = network.site / "content" / "pages" / "a-propos.md"
    page.write_text(page.read_text("utf-8") + "\nÉcrire à Morgane-4417@example.net\n", "utf-8")
    result = run("build", "--source", network.site, "--out", network.out)
    assert result.code == 1
    # the page, and the search index that holds its words
    assert re.search(
        r"the recipient's email address would be published in [^;]*pages/a-propos/index\.html",
        result.err,
    )


def test_issue_refuses_a_narrative_holding_the_recipient_email(network: SignedNetwork) -> None:
    result = run(
        "issue", "--source", network.site, "--issuer", "atelier", "--badge", "atelier-accueil",
        "--key-file", network.key_file, "--recipient", "yann@example.net",
        "--narrative", "Bravo yann@example.net", at=LASER_AT,
    )  # fmt: skip
    assert result.code == 1
    assert "contains the recipient's email" in result.err


def test_csv_columns_person_name_consent(network: SignedNetwork, tmp_path: Path) -> None:
    rows = tmp_path / "rows.csv"
    rows.write_text(
        "email,person,name,consent\n"
        "a-1@example.net,gwen-a,Gwen A,name\n"
        "b-2@example.net,,,\n"
        "c-3@example.net,bad slug,,\n",
        "utf-8",
    )
    result = run(
        "issue", "--source", network.site, "--issuer", "atelier", "--badge", "atelier-accueil",
        "--key-file", network.key_file, "--csv", rows, at=LASER_AT,
    )  # fmt: skip
    assert (
        result.code == 1 and f"{rows}:4: error: person 'bad slug' is not a valid slug" in result.err
    )
    rows.write_text(rows.read_text("utf-8").replace("c-3@example.net,bad slug,,\n", ""), "utf-8")
    ok(
        "issue", "--source", network.site, "--issuer", "atelier", "--badge", "atelier-accueil",
        "--key-file", network.key_file, "--csv", rows, at=LASER_AT,
    )  # fmt: skip
    data = yaml.safe_load(person_file(network, "gwen-a").read_text("utf-8"))
    assert data["name"] == "Gwen A" and data["consent"]["name"] is True
    assert not person_file(network, "b-2").exists()


def test_portfolio_exists_only_with_consent_and_nothing_links_to_it_otherwise(
    network: SignedNetwork,
) -> None:
    credential = issue_to_person(network, "--name", NAME, "--consent", "name,portfolio")
    files = build(network)
    assert "people/morgane-lb/index.html" in files and "en/people/morgane-lb/index.html" in files
    portfolio = files["people/morgane-lb/index.html"].decode()
    assert NAME in portfolio and f"awards/atelier/{credential.stem}/" in portfolio
    assert files_containing(files, "people/morgane-lb/") == sorted(
        [
            "people/morgane-lb/index.html",
            "en/people/morgane-lb/index.html",
            f"awards/atelier/{credential.stem}/index.html",
            f"en/awards/atelier/{credential.stem}/index.html",
        ]
    )

    # Withdrawn, the address answers "no longer published" (it may be on a CV), with nothing
    # about the person, and no page links to it.
    ok("consent", "--source", network.site, "morgane-lb", "--withdraw", "portfolio")
    files = build(network)
    withdrawn = ["en/people/morgane-lb/index.html", "people/morgane-lb/index.html"]
    assert sorted(path for path in files if path.startswith(("people/", "en/people/"))) == withdrawn
    assert files_containing(files, "people/morgane-lb") == withdrawn
    for page in withdrawn:
        assert NAME not in files[page].decode() and credential.stem not in files[page].decode()
    assert "Page retirée" in files["people/morgane-lb/index.html"].decode()


def test_portfolio_without_name_consent_uses_the_pseudonym(network: SignedNetwork) -> None:
    issue_to_person(network, "--name", NAME, "--consent", "portfolio")
    files = build(network)
    assert files_containing(files, NAME) == []
    assert "morgane-lb" in files["people/morgane-lb/index.html"].decode()

"""A person is never changed by accident: `issue --person` over an existing person with
another name or address, or a CSV naming one person twice with two addresses, changes
nothing, and says which lines disagree; `--same-person` says it is the same person. Person
files are edited round-trip: a comment or an order written by hand stays."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from .credential_fixtures import BUILD_AT, LASER_AT, SignedNetwork, issue, ok, run, snapshot

PERSON = "content/people/morgane-lb.yaml"
MORGANE = "morgane-4417@example.net"


def linked(network: SignedNetwork) -> tuple[Path, str]:
    """Morgane's award of atelier-accueil linked to her file, which she then edited by hand
    (a comment, her awards before her consent); the file and her award's reference."""
    credential = issue(
        network.site, "atelier-accueil", network.key_file, LASER_AT,
        "--recipient", MORGANE, "--person", "morgane-lb", "--name", "Morgane L.",
        "--consent", "name",
    )  # fmt: skip
    award = f"atelier/{credential.stem}"
    path = network.site / PERSON
    path.write_text(
        "# yaml-language-server: $schema=../../generator/schemas/person.schema.json\n"
        "# Morgane asked for her initial only (mail of 2024-03-10).\n"
        "name: 'Morgane L.'\n"
        "awards:\n"
        f"  - {award}  # atelier-accueil\n"
        "consent: {name: true, map: false, resource: false, portfolio: false}\n",
        "utf-8",
    )
    return path, award


def issue_laser(network: SignedNetwork, *args: str | Path) -> list[str | Path]:
    return [
        "issue", "--source", network.site, "--issuer", "atelier", "--badge", "laser-debutant",
        "--key-file", network.key_file, *args,
    ]  # fmt: skip


def test_another_name_and_address_change_nothing(network: SignedNetwork) -> None:
    _, award = linked(network)
    before = snapshot(network.site)
    result = run(
        *issue_laser(
            network, "--person", "morgane-lb", "--name", "Someone else",
            "--recipient", "other-5120@example.net",
        )
    )  # fmt: skip
    assert (result.code, result.out) == (1, "")
    assert result.err == (
        f"{PERSON}:3: error: person 'morgane-lb' is named 'Morgane L.' here, not 'Someone else' "
        "as --name says: a person is never renamed by accident; if 'Someone else' is this "
        "same person, run again with --same-person; if not, give --person another slug\n"
        f"{PERSON}:5: error: person 'morgane-lb' received {award} here at another address "
        "than --recipient: an award for someone else is never added by accident to a "
        "person's portfolio, under the consent they gave; if both addresses are this "
        "person's, run again with --same-person; if not, give --person another slug\n"
        "2 errors, 0 warnings\n"
    )
    assert snapshot(network.site) == before


def test_the_same_name_and_address_add_the_award_keeping_the_file_as_written(
    network: SignedNetwork,
) -> None:
    path, award = linked(network)
    result = ok(
        *issue_laser(network, "--person", "morgane-lb", "--name", "Morgane L.", "--recipient",
                     MORGANE.upper(), "--consent", "portfolio"),
        at=BUILD_AT,
    )  # fmt: skip
    (credential,) = result.issued
    assert path.read_text("utf-8") == (
        "# yaml-language-server: $schema=../../generator/schemas/person.schema.json\n"
        "# Morgane asked for her initial only (mail of 2024-03-10).\n"
        "name: 'Morgane L.'\n"
        "awards:\n"
        f"  - {award}  # atelier-accueil\n"
        f"  - atelier/{credential.stem}\n"
        "consent: {name: true, map: false, resource: false, portfolio: true}\n"
    )


def test_same_person_renames_and_adds_another_address(network: SignedNetwork) -> None:
    path, award = linked(network)
    result = ok(
        *issue_laser(network, "--person", "morgane-lb", "--name", "Morgane Le Bihan",
                     "--recipient", "morgane.lb-7@example.org", "--same-person"),
        at=BUILD_AT,
    )  # fmt: skip
    (credential,) = result.issued
    text = path.read_text("utf-8")
    assert text.startswith(
        "# yaml-language-server: $schema=../../generator/schemas/person.schema.json\n"
        "# Morgane asked for her initial only (mail of 2024-03-10).\n"
        "name: 'Morgane Le Bihan'\n"
    )
    assert f"  - {award}  # atelier-accueil\n  - atelier/{credential.stem}\n" in text
    assert "example.org" not in text
    ok("check", "--source", network.site)


def test_a_csv_naming_one_person_twice_is_refused(network: SignedNetwork, tmp_path: Path) -> None:
    _, award = linked(network)
    rows = tmp_path / "rows.csv"
    rows.write_text(
        "email,person,name\n"
        "gwen-1@example.net,gwen-a,Gwen A\n"
        "gwen-2@example.net,gwen-a,Gwen A\n"
        "gwen-1@example.net,gwen-a,Gwenaëlle A\n"
        "other-3@example.net,morgane-lb,\n",
        "utf-8",
    )
    before = snapshot(network.site)
    result = run(*issue_laser(network, "--csv", rows), at=BUILD_AT)
    assert result.code == 1
    assert result.err.splitlines()[:-1] == [
        f"{rows}:3: error: person 'gwen-a' has another address here than on line 2: two people "
        "under one slug would share one portfolio; give each person a slug of their own, or, "
        "if both addresses are this person's, run again with --same-person",
        f"{rows}:4: error: person 'gwen-a' is named 'Gwenaëlle A' here but 'Gwen A' on line 2: "
        "one person has one name; give the same name on both lines, or give one of them "
        "another person slug",
        f"{rows}:5: error: person 'morgane-lb' received {award} in {PERSON}:5 at another "
        "address than this row's address: an award for someone else is never added by "
        "accident to a person's portfolio, under the consent they gave; if both addresses are "
        "this person's, run again with --same-person; if not, give this row another person "
        "slug",
    ]
    assert snapshot(network.site) == before


def test_consent_keeps_the_file_as_written(network: SignedNetwork) -> None:
    path, award = linked(network)
    ok("consent", "--source", network.site, "morgane-lb", "--grant", "map", "--withdraw", "name")
    assert path.read_text("utf-8").endswith(
        "name: 'Morgane L.'\n"
        "awards:\n"
        f"  - {award}  # atelier-accueil\n"
        "consent: {name: false, map: true, resource: false, portfolio: false}\n"
    )


@pytest.mark.parametrize("name", ["No", "on", "12:30", "1e3", "null"])
def test_a_name_yaml_1_1_reads_as_no_text_is_written_quoted(
    network: SignedNetwork, name: str
) -> None:
    """The build reads YAML 1.1: a name such as 'No' written plain would be false."""
    ok(*issue_laser(network, "--person", "no-one", "--name", name, "--recipient", MORGANE),
       at=BUILD_AT)  # fmt: skip
    ok(*issue_laser(network, "--person", "no-one", "--name", name, "--recipient", MORGANE),
       at=BUILD_AT)  # fmt: skip
    text = (network.site / "content/people/no-one.yaml").read_text("utf-8")
    assert yaml.safe_load(text)["name"] == name
    assert "%YAML" not in text
    ok("check", "--source", network.site)

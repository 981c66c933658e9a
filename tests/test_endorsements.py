"""Endorsements (Open Badges 3.0 EndorsementCredential) end to end, on the example network:
the network endorses each member structure and a fictional outside organisation endorses a
badge (signed by `endorse` with the test-only keys of tests/keys/). Published verbatim at
endorsements/<id>.json, listed by the endorsed Achievement or Profile, shown on the pages;
a tampered, misplaced, duplicated-key or undefined-term endorsement is refused at its line
(tests/invalid/endorsements/ and tests/invalid/endorsers/ pin every other message, each at
its line);
a revoked one is shown revoked and counted nowhere, in build and in serve's rebuild alike."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator.issuer.keys import read_private_key
from generator.openbadges.dataintegrity import sign
from generator.site import build as orchestrator
from generator.site.model.problems import BuildFailed

from .conftest import ROOT, copy_example
from .credential_fixtures import ok, run

KEYS = ROOT / "tests" / "keys"
NETWORK_KEY = KEYS / "fababrest.test-only.pem"
PARTNER_KEY = KEYS / "employeurs-exemple.test-only.pem"
PARTNER = "employeurs-exemple"
BADGE = "decoupe-laser-premiers-pas"
BASE = "https://fababrest.github.io/open-badges/"
AT = "2026-01-01T00:00:00Z"


def endorsement_files(root: Path, endorser: str) -> list[Path]:
    return sorted((root / "assertions" / endorser / "endorsements").glob("2*.json"))


def partner_endorsement(root: Path) -> Path:
    [path] = endorsement_files(root, PARTNER)
    return path


def errors(source: Path) -> list[str]:
    """What `check` refuses, each problem as printed (`path:line: error: …`; in a signed JSON
    file, the line of the value at fault)."""
    with pytest.raises(BuildFailed) as failed:
        orchestrator.check(source)
    return [str(problem) for problem in failed.value.problems if problem.severity == "error"]


@pytest.fixture
def example(tmp_path: Path, example_cache: Callable[[Path], Path]) -> Path:
    return example_cache(copy_example(tmp_path / "source"))


def test_the_example_publishes_its_endorsements(example_site: Path) -> None:
    published = sorted(p.name for p in (example_site / "endorsements").glob("*.json"))
    sources = [
        p.name for p in endorsement_files(ROOT, "fababrest") + endorsement_files(ROOT, PARTNER)
    ]
    assert published == sorted(sources) and len(published) == 5
    for path in endorsement_files(ROOT, "fababrest") + endorsement_files(ROOT, PARTNER):
        assert (example_site / "endorsements" / path.name).read_bytes() == path.read_bytes()
        document = json.loads(path.read_text("utf-8"))
        assert document["id"] == f"{BASE}endorsements/{path.name}"
        assert document["type"] == ["VerifiableCredential", "EndorsementCredential"]
        assert document["credentialSubject"]["type"] == ["EndorsementSubject"]
    # the endorsed documents list them (OB 3.0 `endorsement`), as signed
    achievement = json.loads((example_site / "badges" / BADGE / "achievement.json").read_text())
    assert [e["id"] for e in achievement["endorsement"]] == [
        f"{BASE}endorsements/{partner_endorsement(ROOT).name}"
    ]
    for structure in ("biklab", "fablab-exemple-port", "atelier-kerexemple", "mediatheque-exemple"):
        profile = json.loads((example_site / "issuers" / structure / "profile.json").read_text())
        [endorsement] = profile["endorsement"]
        assert (
            endorsement["issuer"]["id"]
            == "did:web:fababrest.github.io:open-badges:issuers:fababrest"
        )
    # the DIDs they are signed with resolve on the site
    assert (example_site / "issuers" / "fababrest" / "did.json").is_file()
    did = json.loads((example_site / "endorsers" / PARTNER / "did.json").read_text())
    assert did["id"] == f"did:web:fababrest.github.io:open-badges:endorsers:{PARTNER}"
    assert (example_site / "endorsers" / PARTNER / "key-history.jsonl").is_file()


def test_badge_and_structure_pages_show_who_endorses(example_site: Path) -> None:
    page = (example_site / "badges" / BADGE / "index.html").read_text("utf-8")
    assert "Recommandé par …" in page and "1 recommandation valide." in page
    assert "Groupement d&#39;employeurs Exemple (organisation fictive)" in page
    assert f'src="/open-badges/endorsers/{PARTNER}/logo.svg"' in page
    assert "<strong>découpé et gravé une pièce simple</strong>" in page  # Markdown, sanitised
    assert f'href="/open-badges/endorsements/{partner_endorsement(ROOT).name}"' in page
    english = (example_site / "en" / "issuers" / "biklab" / "index.html").read_text("utf-8")
    assert "Endorsed by …" in english and "1 valid endorsement." in english
    assert 'href="/open-badges/en/issuers/fababrest/"' in english  # the endorser's page
    # a badge nobody endorses says nothing of endorsements
    other = (example_site / "badges" / "decoupe-vinyle-animateur" / "index.html").read_text()
    assert "Recommandé par" not in other


def test_a_tampered_endorsement_is_refused_at_its_file(example: Path) -> None:
    path = partner_endorsement(example)
    text = path.read_text("utf-8")
    path.write_text(text.replace("Nos entreprises", "Toutes les entreprises"), "utf-8")
    relative = path.relative_to(example).as_posix()
    proof = 1 + text.splitlines().index('  "proof": [')
    assert errors(example) == [
        f"{relative}:{proof}: error: signature does not match: the credential or its proof was "
        f"changed after signing, or did:web:fababrest.github.io:open-badges:endorsers:{PARTNER}"
        "#key-1 is not the key that signed it; this endorsement is not published"
    ]


def test_an_endorsement_in_another_endorsers_folder_is_refused(example: Path) -> None:
    path = partner_endorsement(example)
    moved = example / "assertions" / "fababrest" / "endorsements" / path.name
    path.rename(moved)
    found = errors(example)
    assert any(
        line.startswith(f"{moved.relative_to(example).as_posix()}:12: error: issued by ")
        and "stored in the folder of fababrest" in line
        for line in found
    ), found


def test_duplicate_keys_and_undefined_terms_are_refused(example: Path) -> None:
    path = partner_endorsement(example)
    document = json.loads(path.read_text("utf-8"))
    # a term no context defines, signed with the endorser's own key: still refused
    unsigned = {k: v for k, v in document.items() if k != "proof"} | {"colour": "red"}
    created = document["proof"][0]["created"]
    method = document["proof"][0]["verificationMethod"]
    with pytest.raises(ValueError, match="colour"):
        sign(unsigned, read_private_key(PARTNER_KEY), method, created)
    [other] = endorsement_files(example, "fababrest")[:1]
    text = other.read_text("utf-8")
    other.write_text(text.replace('"validFrom"', '"name": "Faux",\n  "validFrom"', 1), "utf-8")
    found = errors(example)
    # at the key repeated: the signed name, after the one put before it
    lines = other.read_text("utf-8").splitlines()
    repeated = next(n for n, line in enumerate(lines, 1) if line.startswith('  "name": "Fab@brest'))
    assert any(
        line.startswith(f"{other.relative_to(example).as_posix()}:{repeated}: ")
        and "duplicate key 'name'" in line
        for line in found
    ), found


def test_an_endorsement_of_its_own_endorser_is_refused_at_its_subject(example: Path) -> None:
    """The network's endorsement of itself, signed with its own key: refused by the build as
    `endorse` refuses to make it, at the line of the subject's id."""
    [path] = endorsement_files(example, "fababrest")[:1]
    document = json.loads(path.read_text("utf-8"))
    proof = document.pop("proof")[0]
    document["credentialSubject"]["id"] = f"{BASE}issuers/fababrest/profile.json"
    signed = sign(
        document, read_private_key(NETWORK_KEY), proof["verificationMethod"], proof["created"]
    )
    path.write_text(json.dumps(signed, indent=2, ensure_ascii=False) + "\n", "utf-8")
    subject = 1 + path.read_text("utf-8").splitlines().index(
        f'    "id": "{BASE}issuers/fababrest/profile.json",'
    )
    assert errors(example) == [
        f"{path.relative_to(example).as_posix()}:{subject}: error: fababrest endorses itself; "
        "an endorsement vouches for another; this endorsement is not published"
    ]


def test_a_key_the_coordinators_did_not_approve_signs_nothing(example: Path) -> None:
    history = example / "content" / "endorsers" / f"{PARTNER}.keys.jsonl"
    entry = json.loads(history.read_text("utf-8"))
    entry["proof"] = entry["proof"][:1]  # the key's own proof, without the coordinators'
    history.write_text(json.dumps(entry, separators=(",", ":")) + "\n", "utf-8")
    found = errors(example)
    assert any(
        line.startswith(f"content/endorsers/{PARTNER}.keys.jsonl:1: error: ") for line in found
    ), found
    # its endorsement is refused as a consequence, reported once, at the history
    assert not any(line.startswith("assertions/") for line in found), found


def _revoke(source: Path) -> Path:
    endorsement = partner_endorsement(source)
    ok(
        "revoke-endorsement", endorsement, "--source", source, "--key-file", PARTNER_KEY,
        "--reason", "Le partenariat a pris fin.", at=AT,
    )  # fmt: skip
    return endorsement


def _page(site: Path) -> str:
    return (site / "badges" / BADGE / "index.html").read_text("utf-8")


def test_a_revoked_endorsement_is_shown_revoked_and_counted_nowhere(
    example: Path, tmp_path: Path
) -> None:
    out = tmp_path / "site"
    built = orchestrator.build(example, out)
    assert "1 recommandation valide." in _page(out)
    # serve's rebuild after the edit (the last build given) says what a whole build says
    endorsement = _revoke(example)
    record = example / "assertions" / PARTNER / "endorsements" / "revocations" / endorsement.name
    assert record.is_file()
    orchestrator.build(example, out, last=built)
    served = _page(out)
    fresh = tmp_path / "fresh"
    orchestrator.build(example, fresh)
    assert _page(fresh) == served
    assert "0 recommandation valide." in served
    assert "Recommandation révoquée</strong> : Le partenariat a pris fin." in served
    achievement = json.loads((out / "badges" / BADGE / "achievement.json").read_text())
    assert "endorsement" not in achievement
    # still published, so that a wallet holding it finds it revoked through its status list
    assert (out / "endorsements" / endorsement.name).read_bytes() == endorsement.read_bytes()
    # a second revocation is refused, saying why
    again = run(
        "revoke-endorsement", endorsement, "--source", example, "--key-file", PARTNER_KEY,
        "--reason", "Encore.", at=AT,
    )  # fmt: skip
    assert again.code == 1 and "already revoked" in again.err


def test_endorse_refuses_what_it_cannot_sign(example: Path) -> None:
    def endorse(*argv: str | Path) -> Any:
        return run("endorse", "--source", example, *argv, "--comment", "Bien.", at=AT)

    itself = endorse("--endorser", "biklab", "--issuer", "biklab", "--key-file", NETWORK_KEY)
    assert itself.code == 1 and "cannot endorse itself" in itself.err
    wrong_key = endorse("--endorser", PARTNER, "--badge", BADGE, "--key-file", NETWORK_KEY)
    assert wrong_key.code == 1 and "does not match" in wrong_key.err
    made = endorse("--endorser", "fababrest", "--network", "--key-file", NETWORK_KEY)
    assert made.code == 1 and "cannot endorse itself" in made.err
    made = endorse("--endorser", PARTNER, "--network", "--key-file", PARTNER_KEY)
    assert made.code == 0, made.err
    orchestrator.check(example)  # what endorse writes, the build accepts

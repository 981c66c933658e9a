"""Every change to a signed credential after signing is refused, and nothing is published.

One valid credential (laser-debutant, with evidence) is altered in one way per test; `check`
must fail naming the file, and `build` must fail leaving the previous output as it was.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from generator.issuer.keys import read_private_key
from generator.openbadges.dataintegrity import sign
from generator.openbadges.multikey import public_key_multibase

from .credential_fixtures import (
    ATELIER_DID,
    BASE_URL,
    SignedNetwork,
    line_of,
    ok,
    read_json,
    run,
    snapshot,
    write_json,
)

SIGNATURE = "signature does not match"
Document = dict[str, Any]


# Mutations of the JSON document: each changes it in place.


def _set(*path: str | int, value: Any) -> Callable[[Document], None]:
    def change(document: Document) -> None:
        target: Any = document
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


def _delete(*path: str | int) -> Callable[[Document], None]:
    def change(document: Document) -> None:
        target: Any = document
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]

    return change


def _swap_context(document: Document) -> None:
    context = document["@context"]
    context[0], context[1] = context[1], context[0]


def _two_proofs(document: Document) -> None:
    document["proof"] = [document["proof"][0], dict(document["proof"][0])]


def _proof_value(document: Document) -> None:
    # A valid Ed25519 signature, of something else.
    value = document["proof"][0]["proofValue"]
    key = Ed25519PrivateKey.generate()
    other = sign(
        {"@context": document["@context"], "name": "x"},
        key,
        "did:example:x#k",
        "2024-01-01T00:00:00Z",
    )
    document["proof"][0]["proofValue"] = other["proof"][0]["proofValue"]
    assert document["proof"][0]["proofValue"] != value


DOCUMENT_MUTATIONS: dict[str, tuple[Callable[[Document], None], str]] = {
    "name": (_set("name", value="Laser - Expert"), SIGNATURE),
    "validFrom": (_set("validFrom", value="2024-03-01T10:00:00Z"), SIGNATURE),
    "validUntil": (_set("validUntil", value="2036-03-10T10:00:00Z"), SIGNATURE),
    "validUntil-removed": (_delete("validUntil"), SIGNATURE),
    "awardedDate": (_set("awardedDate", value="2024-03-11T10:00:00Z"), SIGNATURE),
    "id": (
        _set("id", value=f"{BASE_URL}awards/atelier/20240310-00000000/credential.json"),
        "error: id is 'https://example.org/test-network/awards/atelier/20240310-00000000/credential.json' but this file is published at",
    ),
    "type": (
        _set("type", value=["VerifiableCredential"]),
        "error: type must be ['VerifiableCredential', 'OpenBadgeCredential']",
    ),
    "issuer.name": (_set("issuer", "name", value="Atelier Pirate"), SIGNATURE),
    "issuer.url": (_set("issuer", "url", value="https://pirate.example.org"), SIGNATURE),
    "issuer.id": (
        _set("issuer", "id", value="did:web:example.org:test-network:issuers:fablab"),
        "error: issued by 'did:web:example.org:test-network:issuers:fablab' but stored in the "
        "folder of atelier",
    ),
    "issuer-as-string": (_set("issuer", value=ATELIER_DID), "error: issued by 'None'"),
    "@context-order": (_swap_context, "error: @context must be exactly"),
    "@context-removed-entry": (_delete("@context", 1), "error: @context must be exactly"),
    "@context-removed": (_delete("@context"), "error: @context must be exactly"),
    "identityHash": (
        _set("credentialSubject", "identifier", 0, "identityHash", value="sha256$" + "0" * 64),
        SIGNATURE,
    ),
    "salt": (_set("credentialSubject", "identifier", 0, "salt", value="0" * 32), SIGNATURE),
    "identifier-removed": (_delete("credentialSubject", "identifier"), SIGNATURE),
    "achievement.id": (
        _set(
            "credentialSubject",
            "achievement",
            "id",
            value=f"{BASE_URL}badges/atelier-accueil/achievement.json",
        ),
        SIGNATURE,
    ),
    "achievement.name": (
        _set("credentialSubject", "achievement", "name", value="Laser - Expert"),
        SIGNATURE,
    ),
    "achievement.criteria": (
        _set("credentialSubject", "achievement", "criteria", "narrative", value="Rien."),
        SIGNATURE,
    ),
    "evidence.narrative": (_set("evidence", 0, "narrative", value="A tout fait."), SIGNATURE),
    "evidence.id": (_set("evidence", 0, "id", value="https://example.org/autre"), SIGNATURE),
    "evidence-removed": (_delete("evidence"), SIGNATURE),
    "credentialStatus.index": (
        _set("credentialStatus", "statusListIndex", value="7"),
        SIGNATURE,
    ),
    "credentialStatus.list": (
        _set(
            "credentialStatus",
            "statusListCredential",
            value=f"{BASE_URL}issuers/fablab/status/revocation.json",
        ),
        SIGNATURE,
    ),
    "credentialStatus-removed": (_delete("credentialStatus"), SIGNATURE),
    "added-defined-term": (_set("description", value="Un ajout."), SIGNATURE),
    "added-undefined-term": (
        _set("colour", value="rouge"),
        "these terms are not defined by the document's @context: colour",
    ),
    "added-undefined-nested-term": (
        _set("credentialSubject", "colour", value="rouge"),
        "these terms are not defined by the document's @context: credentialSubject.colour",
    ),
    "proof.created": (_set("proof", 0, "created", value="2024-03-10T10:00:01Z"), SIGNATURE),
    "proof.created-before-key": (
        _set("proof", 0, "created", value="2024-01-01T00:00:00Z"),
        "with key 'key-1', which was not valid then",
    ),
    "proof.created-malformed": (
        _set("proof", 0, "created", value="2024-03-10"),
        "proof created '2024-03-10' is not a date-time with a time zone",
    ),
    "proof.verificationMethod-unknown-key": (
        _set("proof", 0, "verificationMethod", value=f"{ATELIER_DID}#key-2"),
        "error: key 'key-2' is not in atelier's key history "
        "(content/issuers/atelier.keys.jsonl): no key of that name may sign for the structure",
    ),
    "proof.verificationMethod-other-issuer": (
        _set(
            "proof",
            0,
            "verificationMethod",
            value="did:web:example.org:test-network:issuers:fablab#key-1",
        ),
        "which is not a key of atelier",
    ),
    "proof.proofValue": (_proof_value, SIGNATURE),
    "proof.proofValue-truncated": (
        _set("proof", 0, "proofValue", value="z3yMnT"),
        "not the 64 of an Ed25519 signature",
    ),
    "proof.cryptosuite": (
        _set("proof", 0, "cryptosuite", value="eddsa-jcs-2022"),
        "error: proof cryptosuite is 'eddsa-jcs-2022'; only 'eddsa-rdfc-2022' is supported",
    ),
    "proof.proofPurpose": (
        _set("proof", 0, "proofPurpose", value="authentication"),
        "only 'assertionMethod' is supported",
    ),
    "proof-removed": (_delete("proof"), "error: the document has no proof; sign it first"),
    "proof-two-entries": (
        _two_proofs,
        "error: the document has 2 proofs; exactly one DataIntegrityProof is supported",
    ),
    "proof-empty-list": (_set("proof", value=[]), "the document has 0 proofs"),
}


# Mutations of the files: each returns the path the diagnostics must name.


def _moved_to_another_issuer(network: SignedNetwork) -> tuple[Path, str]:
    target = network.site / "assertions" / "fablab" / network.laser.name
    target.parent.mkdir()
    network.laser.rename(target)
    return target, "but this file is published at https://example.org/test-network/awards/fablab/"


def _moved_to_an_unknown_folder(network: SignedNetwork) -> tuple[Path, str]:
    target = network.site / "assertions" / "inconnu" / network.laser.name
    target.parent.mkdir()
    network.laser.rename(target)
    return target, "folder assertions/inconnu/ is not a structure of the network"


def _renamed(network: SignedNetwork) -> tuple[Path, str]:
    target = network.laser.with_name("20240310-0badc0de.json")
    network.laser.rename(target)
    return target, (
        "but this file is published at "
        "https://example.org/test-network/awards/atelier/20240310-0badc0de/credential.json"
    )


def _copied(network: SignedNetwork) -> tuple[Path, str]:
    target = network.laser.with_name("20240310-0badc0de.json")
    shutil.copyfile(network.laser, target)
    return target, "but this file is published at"


def _public_key_replaced(network: SignedNetwork) -> tuple[Path, str]:
    """The key history edited in place: its entry's proofs break, and it is refused there
    (the credentials it no longer proves are its consequences)."""
    text = network.atelier_history.read_text("utf-8")
    published = public_key_multibase(read_private_key(network.key_file))
    assert published in text
    other = public_key_multibase(Ed25519PrivateKey.generate())
    network.atelier_history.write_text(text.replace(published, other), "utf-8")
    return network.atelier_history, "proofs 1, 2, 3 of 3 do not verify: the entry was changed"


def _json_syntax(network: SignedNetwork) -> tuple[Path, str]:
    lines = network.laser.read_text("utf-8").splitlines(keepends=True)
    number = next(i for i, line in enumerate(lines) if line.lstrip().startswith('"validFrom"'))
    lines[number] = lines[number].replace('",', '"', 1)  # the comma after validFrom's value
    network.laser.write_text("".join(lines), "utf-8")
    # The parser stops on the next line, the 1-based line number + 1.
    return network.laser, f":{number + 2}: error: JSON syntax error: Expecting ',' delimiter"


def _not_an_object(network: SignedNetwork) -> tuple[Path, str]:
    network.laser.write_text(json.dumps([read_json(network.laser)]), "utf-8")
    return network.laser, "error: expected a JSON object; restore the file as it was signed"


def _not_utf8(network: SignedNetwork) -> tuple[Path, str]:
    data = network.laser.read_bytes()
    network.laser.write_bytes(data.replace("Débutant".encode(), "Débutant".encode("latin-1"), 1))
    return network.laser, "error: not valid UTF-8; restore the file as it was signed"


FILE_MUTATIONS: dict[str, Callable[[SignedNetwork], tuple[Path, str]]] = {
    "moved-to-another-issuer": _moved_to_another_issuer,
    "moved-to-an-unknown-folder": _moved_to_an_unknown_folder,
    "renamed": _renamed,
    "copied-under-another-name": _copied,
    "public-key-replaced": _public_key_replaced,
    "json-syntax": _json_syntax,
    "json-not-an-object": _not_an_object,
    "not-utf-8": _not_utf8,
}


def assert_refused(network: SignedNetwork, path: Path, message: str, at_line: bool = False) -> None:
    """check fails naming the file (and, at_line, the line of the value at fault); build fails
    and leaves the previous output as it was."""
    relative = network.relative(path)
    result = run("check", "--source", network.site)
    assert result.code == 1
    assert result.out == ""
    lines = [line for line in result.err.splitlines() if line.startswith(f"{relative}:")]
    assert lines, result.err
    assert any(message in line for line in lines), result.err
    if at_line:
        assert all(re.match(rf"{re.escape(relative)}:[1-9]\d*: error: ", line) for line in lines)
    assert "Traceback" not in result.err
    before = snapshot(network.out)
    assert before
    built = run("build", "--source", network.site, "--out", network.out)
    assert built.code == 1
    assert relative in built.err
    assert "built" not in built.out
    assert snapshot(network.out) == before


def test_the_unchanged_network_builds(network: SignedNetwork) -> None:
    """The baseline of every mutation below: before it, everything verifies."""
    assert ok("check", "--source", network.site).out == "content is valid\n"


@pytest.mark.parametrize(
    ("mutate", "message"), DOCUMENT_MUTATIONS.values(), ids=DOCUMENT_MUTATIONS.keys()
)
def test_a_changed_credential_is_refused(
    network: SignedNetwork, mutate: Callable[[Document], None], message: str
) -> None:
    document = read_json(network.laser)
    mutate(document)
    write_json(network.laser, document)
    assert_refused(network, network.laser, message, at_line=True)


@pytest.mark.parametrize("mutate", FILE_MUTATIONS.values(), ids=FILE_MUTATIONS.keys())
def test_a_moved_or_damaged_credential_file_is_refused(
    network: SignedNetwork, mutate: Callable[[SignedNetwork], tuple[Path, str]]
) -> None:
    path, message = mutate(network)
    assert_refused(network, path, message)


@pytest.mark.parametrize(
    ("name", "key"),
    [("type", '"type"'), ("id", '"id"'), ("@context-removed", '"@context"'), ("name", '"proof"')],
    ids=["type", "id", "@context", "signature"],
)
def test_a_refusal_points_at_the_line_of_the_value_at_fault(
    network: SignedNetwork, name: str, key: str
) -> None:
    """As a YAML file's problems do: `path:line`, the line of the member the refusal is about
    (a signature that does not match: the proof)."""
    document = read_json(network.laser)
    DOCUMENT_MUTATIONS[name][0](document)
    if name == "@context-removed":
        document = {"@context": document.pop("@context", ["x"]), **document}
    write_json(network.laser, document)
    result = run("check", "--source", network.site)
    line = line_of(network.laser, key)
    assert f"{network.relative(network.laser)}:{line}: error: " in result.err, result.err


def test_every_refused_credential_is_reported_at_once(network: SignedNetwork) -> None:
    for credential in network.credentials:
        document = read_json(credential)
        document["name"] = "Changé"
        write_json(credential, document)
    result = run("check", "--source", network.site)
    assert result.code == 1
    for credential in network.credentials:
        # At the proof, the value the signature check is about.
        line = line_of(credential, '"proof"')
        assert f"{network.relative(credential)}:{line}: error: {SIGNATURE}" in result.err
    assert result.err.endswith("3 errors, 0 warnings\n")


def test_a_re_signed_credential_with_a_stolen_index_is_refused(network: SignedNetwork) -> None:
    """Even signed by the issuer's key, two credentials cannot share one status bit."""
    document = read_json(network.accueil)
    del document["proof"]
    laser = read_json(network.laser)
    document["credentialStatus"] = laser["credentialStatus"]
    created = read_json(network.accueil)["proof"][0]["created"]
    write_json(
        network.accueil,
        sign(document, read_private_key(network.key_file), f"{ATELIER_DID}#key-1", created),
    )
    result = run("check", "--source", network.site)
    assert result.code == 1
    line = line_of(network.accueil, '"statusListIndex"')
    assert (
        f"{network.relative(network.accueil)}:{line}: error: status list index 0 is already used "
        f"by {network.laser.stem}.json"
    ) in result.err


def test_a_refused_credential_is_annotated_for_github(network: SignedNetwork) -> None:
    document = read_json(network.laser)
    document["name"] = "Changé"
    write_json(network.laser, document)
    result = run("check", "--source", network.site, "--format", "github")
    assert result.code == 1
    line = line_of(network.laser, '"proof"')
    assert f"::error file={network.relative(network.laser)},line={line}::{SIGNATURE}" in result.err


@pytest.mark.parametrize(
    "identifier",
    [
        {"type": "IdentityObject", "identityType": "emailAddress", "hashed": False,
         "identityHash": "eve.riou-1209@example.net"},
        {"type": "IdentityObject", "identityType": "emailAddress", "hashed": True,
         "identityHash": "eve.riou-1209@example.net", "salt": "x"},
        "eve.riou-1209@example.net",
    ],
    ids=["hashed-false", "hash-not-a-hash", "not-an-object"],
)  # fmt: skip
def test_a_signed_credential_with_an_identity_in_clear_is_refused(
    network: SignedNetwork, identifier: Any
) -> None:
    """Even properly signed by the structure, a credential naming its recipient in clear is
    not published: every identifier must be a salted sha256$ hash."""
    document = read_json(network.laser)
    created = document.pop("proof")[0]["created"]
    document["credentialSubject"]["identifier"].append(identifier)
    write_json(
        network.laser,
        sign(document, read_private_key(network.key_file), f"{ATELIER_DID}#key-1", created),
    )
    assert_refused(network, network.laser, "credentialSubject.identifier[1] is not a salted hash")


@pytest.mark.parametrize(
    ("where", "mutate"),
    [
        ("evidence[0].id", lambda d: d.setdefault("evidence", [{}])[0].update(
            id="javascript:alert(document.domain)")),
        ("evidence[0].id", lambda d: d.setdefault("evidence", [{}])[0].update(
            id="JaVaScRiPt:alert(1)")),
        ("evidence[0].id", lambda d: d.setdefault("evidence", [{}])[0].update(
            id="data:text/html,<script>alert(1)</script>")),
        ("achievement.criteria.id", lambda d: d["credentialSubject"]["achievement"]["criteria"]
            .update(id="vbscript:msgbox(1)")),
    ],
    ids=["javascript", "javascript-mixed-case", "data", "criteria-vbscript"],
)  # fmt: skip
def test_a_signed_credential_with_a_link_that_is_not_on_the_web_is_refused(
    network: SignedNetwork, where: str, mutate: Callable[[Document], None]
) -> None:
    """Properly signed by the structure, a credential whose evidence (or another field the
    site turns into a link) is not an http(s) URL is not published: it would be stored XSS."""
    document = read_json(network.laser)
    created = document.pop("proof")[0]["created"]
    mutate(document)
    write_json(
        network.laser,
        sign(document, read_private_key(network.key_file), f"{ATELIER_DID}#key-1", created),
    )
    assert_refused(network, network.laser, f"{where} is '")

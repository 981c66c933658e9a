"""How the endorsements of tests/invalid/endorsements/ and tests/invalid/endorsers/ were made:
an outside endorser of the minimal site signing with its own domain's DID
(did:web:partenaire.example.org, its DID document vendored as
content/endorsers/partenaire-exemple.did.json), with the TEST-ONLY key
tests/keys/partenaire-exemple.test-only.pem (created on the first run). `build.py endorse`
signs the sound endorsements; each broken one is a sound one changed in one way, signed again
with the same key when the change must get past the signature to be the error reported.

Run from the repository's root: python tests/keys/make_endorsement_cases.py
(signatures are deterministic: a run with the same key writes the same bytes).
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey  # noqa: E402

from generator.cli.commands import main  # noqa: E402
from generator.issuer.keys import read_private_key, write_private_key  # noqa: E402
from generator.openbadges import statuslist  # noqa: E402
from generator.openbadges.credential import revocation_record  # noqa: E402
from generator.openbadges.dataintegrity import sign  # noqa: E402
from generator.openbadges.multikey import public_key_multibase  # noqa: E402

KEY = ROOT / "tests" / "keys" / "partenaire-exemple.test-only.pem"
SLUG = "partenaire-exemple"
DID = "did:web:partenaire.example.org"
OTHER = "autre-exemple"
OTHER_DID = "did:web:autre.example.org"
AT = "2025-06-02T00:00:00Z"
EPOCH = "1748822400"  # 2025-06-02T00:00:00Z
BASE = "https://example.org/test-network/"
INVALID = ROOT / "tests" / "invalid"

ENDORSER_YAML = f"""\
name: Partenaire Exemple (organisation fictive)
url: https://partenaire.example.org
description:
  fr: Une organisation fictive qui signe avec le DID de son propre domaine.
  en: A fictional organisation signing with its own domain's DID.
did: {DID}
"""


def did_document(key: Ed25519PrivateKey, did: str = DID) -> dict[str, Any]:
    method = {
        "id": f"{did}#key-1",
        "type": "Multikey",
        "controller": did,
        "publicKeyMultibase": public_key_multibase(key),
    }
    return {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": did,
        "verificationMethod": [method],
        "assertionMethod": [method["id"]],
    }


def dump(document: Any) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def resign(document: dict[str, Any], key: Ed25519PrivateKey, did: str = DID) -> dict[str, Any]:
    unsigned = {k: v for k, v in document.items() if k != "proof"}
    return sign(unsigned, key, f"{did}#key-1", AT)


def endorse(site: Path, *what: str) -> Path:
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    code = main(
        ["endorse", "--source", str(site), "--endorser", SLUG, "--key-file", str(KEY),
         *what, "--comment", "Un **savoir-faire** que nous recherchons."]
    )  # fmt: skip
    assert code == 0
    return max((site / "assertions" / SLUG / "endorsements").glob("2*.json"))


def main_() -> None:
    if not KEY.exists():
        write_private_key(KEY, Ed25519PrivateKey.generate())
    key = read_private_key(KEY)
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder) / "site"
        shutil.copytree(ROOT / "tests" / "sites" / "minimal", site, ignore=_expected)
        endorsers = site / "content" / "endorsers"
        endorsers.mkdir()
        (endorsers / f"{SLUG}.yaml").write_text(ENDORSER_YAML, "utf-8")
        (endorsers / f"{SLUG}.did.json").write_text(dump(did_document(key)), "utf-8")
        sound = endorse(site, "--badge", "laser-debutant")
        template = json.loads(sound.read_text("utf-8"))
        cases = _broken_endorsements(template, key)
        out = INVALID / "endorsements"
        shutil.rmtree(out / "assertions", ignore_errors=True)
        shutil.rmtree(out / "content", ignore_errors=True)
        folder_out = out / "assertions" / SLUG / "endorsements"
        folder_out.mkdir(parents=True)
        (out / "content" / "endorsers").mkdir(parents=True)
        for name in (f"{SLUG}.yaml", f"{SLUG}.did.json"):
            shutil.copyfile(endorsers / name, out / "content" / "endorsers" / name)
        for name, (document, text) in cases.items():
            (folder_out / f"{name}.json").write_text(
                text if text is not None else dump(document), "utf-8"
            )
        # The status list: the endorsement 20250602-00000008 revoked without a record, and
        # 20250602-00000009 with a record but its bit clear.
        status = json.loads(
            (site / "assertions" / SLUG / "endorsements" / "status-list.json").read_text()
        )
        status["credentialSubject"]["encodedList"] = statuslist.encode_status_list({8})
        (folder_out / "status-list.json").write_text(dump(resign(status, key)), "utf-8")
        revocations = folder_out / "revocations"
        revocations.mkdir()

        def record(slug: str, issuer: str = DID) -> dict[str, Any]:
            return revocation_record(
                credential_id=f"{BASE}endorsements/{slug}.json",
                issuer_did=issuer,
                revoked_on=AT,
                reason="Le partenariat a pris fin.",
            )

        # A second endorser of its own domain: an endorsement whose id is the first's, and a
        # status list that names another issuer.
        other = out / "assertions" / OTHER / "endorsements"
        other.mkdir(parents=True)
        (out / "content" / "endorsers" / f"{OTHER}.yaml").write_text(
            ENDORSER_YAML.replace("Partenaire", "Autre").replace("partenaire", "autre"), "utf-8"
        )
        document = did_document(key, OTHER_DID)
        (out / "content" / "endorsers" / f"{OTHER}.did.json").write_text(dump(document), "utf-8")
        twin = json.loads(json.dumps(cases["20250602-00000014"][0]))
        twin["issuer"]["id"] = OTHER_DID
        twin["credentialStatus"]["id"] = twin["credentialStatus"]["id"].replace(SLUG, OTHER)
        twin["credentialStatus"]["statusListCredential"] = status["id"].replace(SLUG, OTHER)
        twin = resign(twin, key, OTHER_DID)
        (other / "20250602-00000014.json").write_text(dump(twin), "utf-8")
        status = {**status, "id": status["id"].replace(SLUG, OTHER)}
        status["credentialSubject"] = {
            **status["credentialSubject"],
            "encodedList": statuslist.encode_status_list(set()),
        }
        (other / "status-list.json").write_text(dump(resign(status, key, OTHER_DID)), "utf-8")
        for slug, document in {
            "20250602-00000009": record("20250602-00000009"),
            "20250602-000000ff": record("20250602-000000ff"),  # no such endorsement
            "20250602-00000001": record("20250602-00000001", "did:web:ailleurs.example.org"),
        }.items():
            (revocations / f"{slug}.json").write_text(dump(resign(document, key)), "utf-8")


def _expected(folder: str, names: list[str]) -> list[str]:
    return ["expected"] if Path(folder).name == "minimal" else []


def _broken_endorsements(
    template: dict[str, Any], key: Ed25519PrivateKey
) -> dict[str, tuple[dict[str, Any], str | None]]:
    """Each broken endorsement by file name: its document, or its text when it is no JSON a
    serialiser would write (a duplicated key)."""
    cases: dict[str, tuple[dict[str, Any], str | None]] = {}

    def case(index: int, change: Callable[[dict[str, Any]], None], again: bool) -> None:
        slug = f"20250602-{index:08x}"
        document = json.loads(json.dumps(template))
        document["id"] = f"{BASE}endorsements/{slug}.json"
        document["credentialStatus"]["id"] = (
            f"{document['credentialStatus']['statusListCredential']}#{index}"
        )
        document["credentialStatus"]["statusListIndex"] = str(index)
        document = resign(document, key)
        change(document)
        cases[slug] = (resign(document, key) if again else document, None)

    def setter(path: tuple[str, ...], value: Any) -> Callable[[dict[str, Any]], None]:
        def change(document: dict[str, Any]) -> None:
            target = document
            for part in path[:-1]:
                target = target[part]
            if value is None:
                del target[path[-1]]
            else:
                target[path[-1]] = value

        return change

    case(0, lambda d: None, False)  # sound: endorses laser-debutant
    case(1, setter(("type",), ["VerifiableCredential"]), False)
    case(2, setter(("id",), f"{BASE}endorsements/autre.json"), False)
    case(3, setter(("issuer", "id"), "did:web:ailleurs.example.org"), False)
    case(4, setter(("credentialSubject", "endorsementComment"), "Modifié après signature."), False)
    case(5, setter(("credentialSubject", "id"), f"{BASE}badges/inconnu/achievement.json"), True)
    case(6, setter(("credentialSubject", "endorsementComment"), " "), True)
    case(7, setter(("validUntil",), "2025-01-01T00:00:00Z"), True)
    case(8, lambda d: None, False)  # revoked in the status list, without a record
    case(9, lambda d: None, False)  # a record, but its bit clear
    case(10, setter(("credentialStatus", "statusListIndex"), "0"), True)  # index of 0
    case(11, setter(("name",), None), True)
    case(12, setter(("validFrom",), "2999-01-01T00:00:00Z"), True)
    case(13, setter(("credentialStatus", "statusPurpose"), "suspension"), True)
    case(20, lambda d: None, False)  # sound, but another endorser has an endorsement of its id
    case(15, setter(("@context",), ["https://www.w3.org/ns/credentials/v2"]), False)
    case(16, setter(("credentialSubject", "type"), ["EndorsementSubject", "Profile"]), True)
    case(17, setter(("validFrom",), "hier"), True)
    for index, method in ((18, f"{DID}#key-2"), (19, "did:web:ailleurs.example.org#key-1")):
        slug = f"20250602-{index:08x}"
        document = json.loads(json.dumps(cases["20250602-00000000"][0]))
        document["id"] = f"{BASE}endorsements/{slug}.json"
        document["credentialStatus"]["statusListIndex"] = str(index)
        document["credentialStatus"]["id"] = document["credentialStatus"]["id"].replace(
            "#0", f"#{index}"
        )
        unsigned = {k: v for k, v in document.items() if k != "proof"}
        cases[slug] = (sign(unsigned, key, method, AT), None)
    slug = "20250602-0000000e"
    document, _ = cases["20250602-00000000"]
    text = dump({**document, "id": f"{BASE}endorsements/{slug}.json"})
    cases[slug] = ({}, text.replace('  "validFrom"', '  "name": "Faux",\n  "validFrom"', 1))
    return cases


if __name__ == "__main__":
    main_()

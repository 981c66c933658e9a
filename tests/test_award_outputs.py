"""What the build publishes for awards: the credential verbatim, its OB 2.0 hosted assertion,
baked images, the issuer's DID document; and no recipient's email anywhere."""

from __future__ import annotations

import io
import json
from urllib.parse import quote

import pytest
from PIL import Image

from generator.issuer.keys import read_private_key
from generator.openbadges.multikey import public_key_multibase
from generator.openbadges.png_baking import unbake_png
from generator.openbadges.svg_baking import unbake_svg

from .credential_fixtures import (
    ATELIER_DID,
    BASE_URL,
    EMAILS,
    EVIDENCE_URL,
    LASER_AT,
    NARRATIVE,
    SignedNetwork,
    assertion_url,
    credential_url,
    read_json,
    snapshot,
)


def test_every_award_publishes_its_files(signed: SignedNetwork) -> None:
    published = {
        path.relative_to(signed.out / "awards").as_posix()
        for path in (signed.out / "awards").rglob("*")
        if path.is_file()
    }
    laser, accueil, expired = (f"atelier/{c.stem}" for c in signed.credentials)
    assert published == {
        *(
            f"{laser}/{name}"
            for name in ("index.html", "credential.json", "assertion.json", "badge.png")
        ),
        *(
            f"{expired}/{name}"
            for name in ("index.html", "credential.json", "assertion.json", "badge.png")
        ),
        *(
            f"{accueil}/{name}"
            for name in (
                "index.html",
                "credential.json",
                "assertion.json",
                "badge.svg",
                "badge-ob2.svg",
            )
        ),
    }


def test_the_credential_is_published_byte_for_byte(signed: SignedNetwork) -> None:
    for credential in signed.credentials:
        published = signed.award_dir(credential) / "credential.json"
        assert published.read_bytes() == credential.read_bytes()
        assert read_json(published)["id"] == credential_url(credential)


def test_the_status_list_is_published_byte_for_byte(signed: SignedNetwork) -> None:
    published = signed.out / "issuers" / "atelier" / "status" / "revocation.json"
    assert published.read_bytes() == signed.status_list.read_bytes()
    assert read_json(published)["id"] == f"{BASE_URL}issuers/atelier/status/revocation.json"


def test_the_hosted_assertion(signed: SignedNetwork) -> None:
    credential = read_json(signed.laser)
    [identifier] = credential["credentialSubject"]["identifier"]
    assertion = read_json(signed.award_dir(signed.laser) / "assertion.json")
    assert assertion == {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "Assertion",
        "id": assertion_url(signed.laser),
        "recipient": {
            "type": "email",
            "hashed": True,
            "salt": identifier["salt"],
            "identity": identifier["identityHash"],
        },
        "badge": f"{BASE_URL}issuers/atelier/badges/laser-debutant.json",
        "verification": {"type": "HostedBadge"},
        "issuedOn": LASER_AT,
        "image": f"{BASE_URL}awards/atelier/{signed.laser.stem}/badge.png",
        "expires": "2026-03-10T10:00:00Z",
        "evidence": [{"id": EVIDENCE_URL, "narrative": NARRATIVE}],
        "narrative": NARRATIVE,
    }


def test_the_assertion_points_to_a_published_badge_class_of_the_issuer(
    signed: SignedNetwork,
) -> None:
    for credential, badge in (
        (signed.laser, "laser-debutant"),
        (signed.accueil, "atelier-accueil"),
    ):
        assertion = read_json(signed.award_dir(credential) / "assertion.json")
        assert assertion["badge"] == f"{BASE_URL}issuers/atelier/badges/{badge}.json"
        badge_class = read_json(signed.out / "issuers" / "atelier" / "badges" / f"{badge}.json")
        assert badge_class["id"] == assertion["badge"]
        assert badge_class["issuer"] == f"{BASE_URL}issuers/atelier/issuer.json"


def test_the_did_document_lists_the_key(signed: SignedNetwork) -> None:
    did = read_json(signed.out / "issuers" / "atelier" / "did.json")
    key_id = "did:web:example.org:test-network:issuers:atelier#key-1"
    assert did["id"] == ATELIER_DID
    assert did["verificationMethod"] == [
        {
            "id": key_id,
            "type": "Multikey",
            "controller": ATELIER_DID,
            "publicKeyMultibase": public_key_multibase(read_private_key(signed.key_file)),
        }
    ]
    assert did["assertionMethod"] == [key_id]
    assert read_json(signed.laser)["issuer"]["id"] == did["id"]


def test_an_issuer_without_key_has_no_did_document(signed: SignedNetwork) -> None:
    assert not (signed.out / "issuers" / "reseau" / "did.json").exists()
    assert (signed.out / "issuers" / "fablab" / "did.json").exists()


@pytest.mark.parametrize("which", ["laser", "expired"])
def test_the_baked_png_carries_the_assertion_and_the_credential(
    signed: SignedNetwork, which: str
) -> None:
    credential = getattr(signed, which)
    award = signed.award_dir(credential)
    baked = unbake_png((award / "badge.png").read_bytes())
    assert set(baked) == {"openbadges", "openbadgecredential"}
    assert json.loads(baked["openbadges"]) == read_json(award / "assertion.json")
    assert json.loads(baked["openbadgecredential"]) == read_json(credential)
    # compact: the issuer's layout is not copied into every image
    assert baked["openbadgecredential"] == json.dumps(
        read_json(credential), ensure_ascii=False, separators=(",", ":")
    )


def pixels(data: bytes) -> tuple[tuple[int, int], bytes]:
    with Image.open(io.BytesIO(data)) as image:
        return image.size, image.convert("RGBA").tobytes()


def test_the_baked_png_has_the_pixels_of_the_badge_image(signed: SignedNetwork) -> None:
    baked = (signed.award_dir(signed.laser) / "badge.png").read_bytes()
    original = (signed.site / "badges" / "laser-debutant.png").read_bytes()
    published = (signed.out / "badges" / "laser-debutant" / "image.png").read_bytes()
    assert pixels(baked) == pixels(original) == pixels(published)
    assert baked != original


def test_an_svg_badge_is_baked_twice(signed: SignedNetwork) -> None:
    award = signed.award_dir(signed.accueil)
    assertion = read_json(award / "assertion.json")
    assert assertion["image"] == f"{BASE_URL}awards/atelier/{signed.accueil.stem}/badge-ob2.svg"
    ob3 = unbake_svg((award / "badge.svg").read_bytes())
    assert set(ob3) == {"openbadgecredential"}
    assert json.loads(ob3["openbadgecredential"]) == read_json(signed.accueil)
    ob2 = unbake_svg((award / "badge-ob2.svg").read_bytes())
    assert set(ob2) == {"openbadges"}
    assert json.loads(ob2["openbadges"]) == assertion
    assert (
        f'verify="{assertion_url(signed.accueil)}"'.encode()
        in (award / "badge-ob2.svg").read_bytes()
    )


def test_the_baked_svgs_keep_the_drawing(signed: SignedNetwork) -> None:
    original = (signed.site / "badges" / "atelier-accueil.svg").read_bytes()
    award = signed.award_dir(signed.accueil)
    for name in ("badge.svg", "badge-ob2.svg"):
        baked = (award / name).read_bytes()
        # Baking adds one element; every byte of the drawing after the root tag is kept.
        root_end = original.index(b">", original.index(b"<svg")) + 1
        assert original[root_end:].strip().removesuffix(b"</svg>") in baked


def test_the_award_page_names_the_issuer_not_the_recipient(signed: SignedNetwork) -> None:
    page = (signed.award_dir(signed.laser) / "index.html").read_text("utf-8")
    assert "Atelier Test" in page
    assert "nom non publié" in page and "identité protégée" not in page
    assert 'name="robots" content="noindex"' in page


# Privacy ---------------------------------------------------------------------------------


def email_forms(email: str) -> list[bytes]:
    """The ways an address could leak into a file: as typed, normalised, URL-encoded."""
    forms = {email.strip(), email.strip().lower()}
    forms |= {quote(form) for form in set(forms)}
    return sorted(form.encode("utf-8").lower() for form in forms)


def test_no_email_of_a_recipient_is_written_anywhere(signed: SignedNetwork) -> None:
    files = {f"site/{k}": v for k, v in snapshot(signed.site).items()}
    files |= {f"out/{k}": v for k, v in snapshot(signed.out).items()}
    assert any(name.startswith("out/awards/") for name in files)
    leaks = [
        (name, form)
        for name, data in files.items()
        for form in (f for email in EMAILS for f in email_forms(email))
        if form in data.lower()
    ]
    assert leaks == []

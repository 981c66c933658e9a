"""Every Open Badges 3.0 document the sites publish passes 1EdTech's own JSON Schemas.

The schemas are the ones 1EdTech publishes (vendored in tests/standards/ob-v3p0/, see the
README there): each credential against the AchievementCredential schema, each Achievement
against that schema's Achievement definition, each Profile against the Profile schema, each
EndorsementCredential against the EndorsementCredential schema (and the example's, published
or embedded, against 1EdTech's formal one too). The example network and every golden site are
read; nothing is fetched.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft201909Validator
from referencing import Registry, Resource

STANDARDS = Path(__file__).resolve().parent / "standards" / "ob-v3p0"
CREDENTIAL_SCHEMA = json.loads(
    (STANDARDS / "ob_v3p0_achievementcredential_schema.json").read_text()
)
PROFILE_SCHEMA = json.loads((STANDARDS / "ob_v3p0_profile_schema.json").read_text())
ENDORSEMENT_SCHEMA = json.loads(
    (STANDARDS / "ob_v3p0_endorsementcredential_schema.json").read_text()
)
# The formal schema (no JSON-LD compaction), from 1EdTech's own repository (see the README)
FORMAL_ENDORSEMENT_SCHEMA = json.loads(
    (STANDARDS / "ob_v3p0_endorsementcredential-jsonschema1.json").read_text()
)
SCHEMAS = (CREDENTIAL_SCHEMA, PROFILE_SCHEMA, ENDORSEMENT_SCHEMA, FORMAL_ENDORSEMENT_SCHEMA)
REGISTRY = Registry().with_resources(
    (schema["$id"], Resource.from_contents(schema)) for schema in SCHEMAS
)


def _validator(ref: str) -> Draft201909Validator:
    return Draft201909Validator({"$ref": ref}, registry=REGISTRY)


# The document's kind (its most specific type) -> the schema 1EdTech gives it.
VALIDATORS = {
    "OpenBadgeCredential": _validator(CREDENTIAL_SCHEMA["$id"]),
    "Achievement": _validator(f"{CREDENTIAL_SCHEMA['$id']}#/$defs/Achievement"),
    "Profile": _validator(PROFILE_SCHEMA["$id"]),
    "EndorsementCredential": _validator(ENDORSEMENT_SCHEMA["$id"]),
}


def kind_of(document: Any) -> str | None:
    """Which Open Badges 3.0 schema applies to a published JSON document, if any."""
    if not isinstance(document, dict) or "@context" not in document:
        return None
    types = document.get("type")
    types = types if isinstance(types, list) else [types]
    return next((kind for kind in VALIDATORS if kind in types), None)


def schema_errors(document: Any, kind: str) -> list[str]:
    """The schema's complaints about a document, as 'path: message'."""
    return [
        f"/{'/'.join(map(str, error.absolute_path))}: {error.message[:200]}"
        for error in VALIDATORS[kind].iter_errors(document)
    ]


def endorsement_schema_errors(document: Any) -> dict[str, list[str]]:
    """An EndorsementCredential's errors against each of 1EdTech's two schemas, by $id."""
    return {
        schema["$id"]: [
            f"/{'/'.join(map(str, error.absolute_path))}: {error.message[:200]}"
            for error in _validator(schema["$id"]).iter_errors(document)
        ]
        for schema in (ENDORSEMENT_SCHEMA, FORMAL_ENDORSEMENT_SCHEMA)
    }


def ob3_documents(site: Path) -> dict[str, tuple[str, Any]]:
    """Every published JSON document an Open Badges 3.0 schema applies to: path -> (kind,
    document)."""
    found = {}
    for path in sorted(site.rglob("*.json")):
        document = json.loads(path.read_text("utf-8"))
        if kind := kind_of(document):
            found[path.relative_to(site).as_posix()] = (kind, document)
    return found


def test_the_vendored_schemas_are_the_published_ones() -> None:
    """The files are what the README says they are: 1EdTech's, at their published URLs."""
    base = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/"
    assert CREDENTIAL_SCHEMA["$id"] == f"{base}ob_v3p0_achievementcredential_schema.json"
    assert PROFILE_SCHEMA["$id"] == f"{base}ob_v3p0_profile_schema.json"
    assert ENDORSEMENT_SCHEMA["$id"] == f"{base}ob_v3p0_endorsementcredential_schema.json"
    formal = "ob_v3p0_endorsementcredential-jsonschema1.json"
    assert FORMAL_ENDORSEMENT_SCHEMA["$id"] == f"{base}{formal}"
    for schema in SCHEMAS:
        Draft201909Validator.check_schema(schema)
    assert {"Achievement", "Profile", "EndorsementCredential"} <= set(CREDENTIAL_SCHEMA["$defs"])
    # The published EndorsementCredential schema and the AchievementCredential schema are made
    # from one model: the endorsement's definition is the same in both.
    assert (
        ENDORSEMENT_SCHEMA["$defs"]["EndorsementCredential"]
        == (CREDENTIAL_SCHEMA["$defs"]["EndorsementCredential"])
    )
    readme = (STANDARDS / "README.md").read_text("utf-8")
    for name in (
        "ob_v3p0_achievementcredential_schema.json",
        "ob_v3p0_profile_schema.json",
        "ob_v3p0_endorsementcredential_schema.json",
    ):
        digest = hashlib.sha256((STANDARDS / name).read_bytes()).hexdigest()
        assert f"`{name}` | {base}{name} | `{digest}`" in readme
    digest = hashlib.sha256((STANDARDS / formal).read_bytes()).hexdigest()
    assert f"`{formal}` | 1EdTech/openbadges-specification" in readme
    assert f"`{digest}`" in readme


@pytest.mark.parametrize("name", ["example", "minimal", "signed"])
def test_every_published_document_passes_1edtech_schemas(
    name: str, published_sites: dict[str, Path]
) -> None:
    site = published_sites[name]
    documents = ob3_documents(site)
    kinds = Counter(kind for kind, _ in documents.values())
    # Each site publishes its structures' profiles and its badges' achievements; the
    # example and the signed golden site, credentials too.
    assert kinds["Profile"] == len(list(site.glob("issuers/*/profile.json"))) > 0
    assert kinds["Achievement"] == len(list(site.glob("badges/*/achievement.json"))) > 0
    assert kinds["OpenBadgeCredential"] == len(list(site.glob("awards/*/*/credential.json")))
    if name != "minimal":
        assert kinds["OpenBadgeCredential"] > 0
    failures = {
        path: errors
        for path, (kind, document) in documents.items()
        if (errors := schema_errors(document, kind))
    }
    assert failures == {}


def test_the_schema_refuses_what_the_format_left_behind(published_sites: dict[str, Path]) -> None:
    """Negative controls: the check is live. The credentialStatus list signed before the
    format was frozen fails, and so does a credential without validFrom or an achievement
    without criteria."""
    site = published_sites["signed"]
    credential = json.loads(next(site.glob("awards/*/*/credential.json")).read_text("utf-8"))
    assert schema_errors(credential, "OpenBadgeCredential") == []
    listed = {**credential, "credentialStatus": [credential["credentialStatus"]]}
    assert any(
        e.startswith("/credentialStatus:") for e in schema_errors(listed, "OpenBadgeCredential")
    )
    undated = {key: value for key, value in credential.items() if key != "validFrom"}
    assert any(
        "'validFrom' is a required property" in e
        for e in schema_errors(undated, "OpenBadgeCredential")
    )
    achievement = json.loads(next(site.glob("badges/*/achievement.json")).read_text("utf-8"))
    del achievement["criteria"]
    assert any(
        "'criteria' is a required property" in e for e in schema_errors(achievement, "Achievement")
    )


def test_every_endorsement_passes_the_endorsementcredential_schemas(example_site: Path) -> None:
    """The example's endorsements, published and embedded in the Achievement and Profiles that
    list them, against the schema the DCC verifier downloads for them and against 1EdTech's
    formal one (which takes no JSON-LD shortcut: every `type` an array, no language map)."""
    documents = ob3_documents(example_site)
    endorsements = {p: d for p, (kind, d) in documents.items() if kind == "EndorsementCredential"}
    assert len(endorsements) == 5
    embedded = {
        f"{path}#endorsement/{index}": endorsement
        for path, (kind, d) in documents.items()
        if kind in ("Achievement", "Profile")
        for index, endorsement in enumerate(d.get("endorsement", []))
    }
    assert len({p.split("#")[0] for p in embedded}) == 5  # one badge, four structures
    assert len(embedded) == 5
    for schema in (ENDORSEMENT_SCHEMA, FORMAL_ENDORSEMENT_SCHEMA):
        validator = _validator(schema["$id"])
        failures = {
            path: [f"/{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}" for e in errors]
            for path, document in {**endorsements, **embedded}.items()
            if (errors := list(validator.iter_errors(document)))
        }
        assert failures == {}, schema["$id"]
        # Negative controls: the check is live.
        some = next(iter(endorsements.values()))
        assert list(validator.iter_errors({**some, "type": ["VerifiableCredential"]}))
        assert list(validator.iter_errors({k: v for k, v in some.items() if k != "validFrom"}))
        unsubjected = {**some, "credentialSubject": {"id": some["credentialSubject"]["id"]}}
        assert list(validator.iter_errors(unsubjected))

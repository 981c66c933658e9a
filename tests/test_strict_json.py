"""JSON the build reads must mean one thing to every parser: duplicate keys (a forged value
before the genuine one still verified, Python keeping the last), nesting too deep and numbers
too long are located errors in `check` and `build`, and INVALID in `verify` — never a
traceback."""

from __future__ import annotations

import pytest

from .credential_fixtures import SignedNetwork, run

FORGED_ISSUER = '"issuer": {"id": "did:web:evil.example", "name": "Faussaire"},'


@pytest.mark.parametrize(
    ("mutate", "why"),
    [
        (lambda text: text.replace("{", "{" + FORGED_ISSUER, 1), "duplicate key 'issuer'"),
        (lambda text: text.replace("{", '{"x": ' + "[" * 50_000 + "]" * 50_000 + ",", 1),
         "nested too deeply"),
        (lambda text: text.replace("{", '{"x": ' + "7" * 5000 + ",", 1), "JSON refused"),
        (lambda text: text.replace('"name": "', '"name": "\\ud800', 1),
         "the escape '\\ud800' is half of a UTF-16 surrogate pair"),
    ],
    ids=["duplicate-key", "deep", "long-integer", "lone-surrogate"],
)  # fmt: skip
def test_untrustworthy_json_is_refused_everywhere(
    network: SignedNetwork, mutate: object, why: str
) -> None:
    assert callable(mutate)
    credential = network.laser
    credential.write_text(mutate(credential.read_text("utf-8")), "utf-8")
    checked = run("check", "--source", network.site)
    assert checked.code == 1
    # a repeated key is shown where it is repeated; the others are the file's whole text
    where = ":11" if why.startswith("duplicate key") else ""
    assert f"{network.relative(credential)}{where}: error: JSON refused: " in checked.err
    assert why in checked.err
    assert "Traceback" not in checked.err
    verdict = run("verify", credential, "--source", network.site)
    assert verdict.code == 1
    assert "INVALID" in verdict.out and why.split(" (")[0] in verdict.out

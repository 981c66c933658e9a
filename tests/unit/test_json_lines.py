"""Where each value of a JSON text sits (generator/site/model/json_lines.py): what a problem in
a signed JSON file points at."""

from __future__ import annotations

import json

from generator.site.model.json_lines import json_lines

TEXT = """{
  "id": "urn:x",
  "type": [
    "VerifiableCredential",
    "EndorsementCredential"
  ],
  "credentialSubject": {"id": "urn:y",
    "note": "a \\" quote, a } brace, a \\n newline", "n": [1, {"k": null}]},
  "proof": [
    {
      "created": "2025-06-02T00:00:00Z"
    }
  ]
}
"""


def test_every_member_and_item_at_its_line() -> None:
    found = json_lines(TEXT)
    assert json.loads(TEXT)  # the text is JSON
    assert found.duplicate is None
    assert found.lines[()] == 1
    assert found.lines[("id",)] == 2
    assert found.lines[("type",)] == 3
    assert found.lines[("type", 1)] == 5
    assert found.lines[("credentialSubject",)] == 7
    assert found.lines[("credentialSubject", "id")] == 7
    assert found.lines[("credentialSubject", "note")] == 8
    assert found.lines[("credentialSubject", "n", 1, "k")] == 8
    assert found.lines[("proof", 0, "created")] == 11


def test_a_missing_value_is_at_its_nearest_parent() -> None:
    found = json_lines(TEXT)
    assert found.line_of(("proof", 0, "verificationMethod")) == 10
    assert found.line_of(("proof", 3)) == 9  # a proof that is not there: the proofs'
    assert found.line_of(("validFrom",)) == 1  # not there at all: the document's first line


def test_a_repeated_key_is_at_its_second_occurrence() -> None:
    found = json_lines('{"a": 1,\n "b": {"a": 2},\n "a": 3}')
    assert found.duplicate == 3
    assert found.lines[("a",)] == 1  # the first one stays where it is


def test_a_text_that_is_not_json_keeps_what_was_read() -> None:
    found = json_lines('{\n  "a": 1,\n  "b": ]')
    assert found.lines[("a",)] == 2 and found.lines[("b",)] == 3
    assert json_lines("").line_of(("a",)) == 1  # an empty file: its first line

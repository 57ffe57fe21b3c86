"""``osce-kg show``: one resource, its statements, what points at it and its passages."""

from __future__ import annotations

import json

import pytest

from conftest import osce

KNUT = "id:person/knut-dreyer"


def shown(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, object]:
    code, out, err = osce(capsys, "show", *args, "--format", "json")
    assert code == 0, err
    return dict(json.loads(out))


def test_statements_incoming_and_passages(
    capsys: pytest.CaptureFixture[str], article_text: str
) -> None:
    doc = shown(capsys, KNUT)
    assert doc["resource"] == "https://w3id.org/osce-kg/id/person/knut-dreyer"
    statements = {(s["property"], s["value"]) for s in doc["statements"]}  # type: ignore[union-attr]
    assert ("foaf:name", "Knut Dreyer") in statements
    assert ("rdf:type", "okg:Person") in statements
    incoming = {(s["subject"], s["property"]) for s in doc["pointedAtBy"]}  # type: ignore[union-attr]
    assert ("id:event/2012-annual-police-experts-meeting", "okg:chair") in incoming
    passages = doc["passages"]
    assert passages
    for p in passages:  # type: ignore[union-attr]
        assert article_text[p["start"] : p["end"]] == p["exact"]
        assert "Knut Dreyer" in p["exact"]


def test_a_full_iri_and_the_rdflib_store_give_the_same(capsys: pytest.CaptureFixture[str]) -> None:
    full = "https://w3id.org/osce-kg/id/person/knut-dreyer"
    assert shown(capsys, KNUT) == shown(capsys, full, "--store", "rdflib")


@pytest.mark.parametrize(
    ("iri", "needle"),
    [
        ("id:person/nobody", "says nothing"),
        ("not an iri", "IRI"),
        ("id:x> } #", "IRI"),
        # Refused as query run -p refuses it: no store can hold it.
        ("http://example.org/a[1]", "not a valid IRI"),
    ],
)
def test_unknown_or_bad_iris_are_one_line(
    capsys: pytest.CaptureFixture[str], iri: str, needle: str
) -> None:
    code, _, err = osce(capsys, "show", iri)
    assert code == 2 and len(err.strip().splitlines()) == 1 and needle in err


def test_the_text_form_groups_the_facts(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = osce(capsys, "show", KNUT)
    assert code == 0
    assert [h for h in ("Statements", "Pointed at by", "Passages") if f"\n{h}\n" in out] == [
        "Statements",
        "Pointed at by",
        "Passages",
    ]

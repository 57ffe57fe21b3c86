"""``osce-kg search``: resources found by the names a person types."""

from __future__ import annotations

import json

import pytest

from conftest import osce

ID = "https://w3id.org/osce-kg/id/"


def hits(capsys: pytest.CaptureFixture[str], *args: str) -> list[dict[str, str]]:
    code, out, err = osce(capsys, "search", *args, "--format", "json")
    assert code == 0, err
    return list(json.loads(out))


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("O'Leary", "id:person/eoin-oleary"),  # a straight apostrophe finds O’Leary
        ("o’leary", "id:person/eoin-oleary"),
        ("EOIN   O'LEARY", "id:person/eoin-oleary"),
        ("MIA RT", "id:organization/tajikistan-ministry-of-internal-affairs"),  # an alt label
        ("Zumrad Soliyeva", "id:person/zumrad-solieva"),  # a spelling of the name
        ("Knut", "id:person/knut-dreyer"),
        ("oleary", "id:person/eoin-oleary"),  # no apostrophe at all
        ("Dreyer, Knut", "id:person/knut-dreyer"),  # family name first
        ("zoirov", "id:person/dzhurakhon-zoirov"),
        ("SPMU", "id:organization/osce-strategic-police-matters-unit"),  # graph/reference
    ],
)
def test_the_first_hit_is_the_one_meant(
    capsys: pytest.CaptureFixture[str], typed: str, expected: str
) -> None:
    assert hits(capsys, typed)[0]["resource"] == expected


def test_exact_names_rank_before_partial_ones(capsys: pytest.CaptureFixture[str]) -> None:
    found = hits(capsys, "Tajikistan", "--limit", "50")
    assert found[0]["resource"] == "id:country/tajikistan"
    ranks = ["exact", "prefix", "words", "contains", "similar"]
    order = [ranks.index(h["match"]) for h in found]
    assert order == sorted(order)
    assert len(found) > 5


def test_nothing_like_it_finds_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    assert hits(capsys, "qwxzv") == []


def test_the_same_hits_on_every_store(capsys: pytest.CaptureFixture[str]) -> None:
    assert hits(capsys, "OSCE", "--limit", "30") == hits(
        capsys, "OSCE", "--limit", "30", "--store", "rdflib"
    )


def test_text_is_never_query_text(capsys: pytest.CaptureFixture[str]) -> None:
    """What is typed is compared in Python, never pasted into SPARQL."""
    for hostile in ['" } ; DROP ALL ; #', "?s ?p ?o", "\\u0022 }"]:
        code, _out, err = osce(capsys, "search", hostile)
        assert code == 0, err


def test_hits_name_the_sources_that_mention_them(capsys: pytest.CaptureFixture[str]) -> None:
    (first,) = hits(capsys, "Knut Dreyer", "--limit", "1")
    assert first["sources"] == "id:source/2012-09-22-osce-annual-police-experts-meeting"

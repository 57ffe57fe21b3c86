"""``osce-kg source mentions``: the entities the graph knows, found in a source's
text with offsets that select them."""

from __future__ import annotations

import csv
import io
import subprocess
from pathlib import Path

from conftest import SLUG, clean_env, osce_kg_exe


def mentions(slug: str = SLUG, data: Path | None = None) -> list[dict[str, str]]:
    env = clean_env(**({"OSCE_KG_DATA": str(data)} if data else {}))
    result = subprocess.run(
        [*osce_kg_exe(), "source", "mentions", slug, "--format", "csv"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return list(csv.DictReader(io.StringIO(result.stdout)))


def test_offsets_select_the_mentions(article_text: str) -> None:
    rows = mentions()
    assert len(rows) > 50
    for row in rows:
        assert article_text[int(row["start"]) : int(row["end"])] == row["text"]


def test_the_known_entities_are_found(article_text: str) -> None:
    found = {(r["resource"], r["text"]) for r in mentions()}
    assert ("id:person/zumrad-solieva", "Zumrad Solieva") in found
    assert ("id:person/eoin-oleary", "Eoin O’Leary") in found
    # Across the words the published text ran together:
    assert ("id:country/tajikistan", "RepublicofTajikistan") in found
    # An abbreviation given as an alternative label:
    assert (
        any(
            r == "id:organization/tajikistan-ministry-of-internal-affairs" and t == "MIA RT"
            for r, t in found
        )
        or "MIA RT" not in article_text
    )


def test_a_name_inside_a_longer_name_of_the_same_resource_is_one_mention() -> None:
    rows = mentions()
    solieva = [r for r in rows if r["resource"] == "id:person/zumrad-solieva"]
    for r in solieva:
        inside = [
            o
            for o in solieva
            if o is not r and int(o["start"]) <= int(r["start"]) and int(r["end"]) <= int(o["end"])
        ]
        assert not inside


def test_short_names_stand_alone(data_copy: Path) -> None:
    source = data_copy / "graph" / "sources" / SLUG / "source.txt"
    source.write_text("The OSCEs and OSCE. Miami is not MIA RT.", encoding="utf-8")
    rows = mentions(data=data_copy)
    osce = [(r["start"], r["text"]) for r in rows if r["resource"] == "id:organization/osce"]
    assert osce == [("14", "OSCE")]  # not inside "OSCEs"


def test_an_unknown_source_is_one_line() -> None:
    result = subprocess.run(
        [*osce_kg_exe(), "source", "mentions", "no-such"],
        capture_output=True,
        text=True,
        env=clean_env(),
        timeout=60,
    )
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1

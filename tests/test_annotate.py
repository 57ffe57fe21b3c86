"""``osce-kg annotate``: the passage found in the source's own text, selectors
that validate, the source's exact characters written, and one clear line when
the quote is ambiguous or absent."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import rdflib

from conftest import SLUG, clean_env, osce_kg_exe

OA = rdflib.Namespace("http://www.w3.org/ns/oa#")
ID = "https://w3id.org/osce-kg/id/"


def annotate(*args: str, data: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = clean_env(**({"OSCE_KG_DATA": str(data)} if data else {}))
    result = subprocess.run(
        [*osce_kg_exe(), "annotate", *args], capture_output=True, text=True, env=env, timeout=120
    )
    assert "Traceback" not in result.stderr
    return result


def selectors(turtle: str) -> tuple[str, int, int, str, str]:
    g = rdflib.Graph().parse(data=turtle, format="turtle")
    quote = next(g.subjects(rdflib.RDF.type, OA.TextQuoteSelector))
    position = next(g.subjects(rdflib.RDF.type, OA.TextPositionSelector))
    return (
        str(g.value(quote, OA.exact)),
        int(g.value(position, OA.start)),
        int(g.value(position, OA.end)),
        str(g.value(quote, OA.prefix)),
        str(g.value(quote, OA.suffix)),
    )


def test_the_selectors_select_the_quote(article_text: str) -> None:
    result = annotate(SLUG, "Knut Dreyer", "--resource", "id:person/knut-dreyer")
    assert result.returncode == 0, result.stderr
    exact, start, end, prefix, suffix = selectors(result.stdout)
    assert exact == "Knut Dreyer" == article_text[start:end]
    assert article_text[start - len(prefix) : start] == prefix and len(prefix) == 32
    assert article_text[end : end + len(suffix)] == suffix
    assert f"<{ID}person/knut-dreyer>" in result.stdout


@pytest.mark.parametrize(
    ("typed", "in_source"),
    [
        ("Missions' experts", "Missions’ experts"),  # a straight apostrophe for a curly one
        ("the Republic of Tajikistan and", "theRepublicofTajikistanand"),  # run-together words
    ],
)
def test_glitches_are_forgiven_and_the_source_is_written(
    article_text: str, typed: str, in_source: str
) -> None:
    result = annotate(SLUG, typed, "--resource", "id:topic/extremism", "--occurrence", "1")
    assert result.returncode == 0, result.stderr
    exact, start, end, _, _ = selectors(result.stdout)
    assert exact == in_source == article_text[start:end]


def test_an_ambiguous_quote_lists_its_occurrences(article_text: str) -> None:
    result = annotate(SLUG, "OSCE", "--resource", "id:organization/osce")
    assert result.returncode == 2
    line = result.stderr.strip()
    assert len(line.splitlines()) == 1
    count = article_text.count("OSCE")
    assert f"occurs {count} times" in line and "--occurrence N" in line
    third = [m.start() for m in re.finditer("OSCE", article_text)][2]
    assert f"3 at {third}:" in line
    chosen = annotate(SLUG, "OSCE", "--resource", "id:organization/osce", "--occurrence", "3")
    assert selectors(chosen.stdout)[1] == third


def test_an_absent_quote_names_the_nearest_passage() -> None:
    result = annotate(SLUG, "Knut Dryer", "--resource", "id:person/knut-dreyer")
    assert result.returncode == 2
    assert "is not in the text" in result.stderr and "Knut Dreye" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_regular_expression(article_text: str) -> None:
    result = annotate(SLUG, r"Knut \w+", "--regex", "--resource", "id:person/knut-dreyer")
    assert result.returncode == 0, result.stderr
    assert selectors(result.stdout)[0] == "Knut Dreyer"
    bad = annotate(SLUG, "(", "--regex", "--resource", "id:person/knut-dreyer")
    assert bad.returncode == 2 and "not a regular expression" in bad.stderr


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["no-such-source", "x", "--resource", "id:person/x"], "no source"),
        ([SLUG, "Knut Dreyer", "--resource", "not an iri"], "--resource"),
        ([SLUG, "Knut Dreyer", "--resource", "id:person/x", "--occurrence", "2"], "occurs 1 time"),
        ([SLUG, "   ", "--resource", "id:person/x"], "give some text"),
    ],
)
def test_bad_input_is_one_line(args: list[str], needle: str) -> None:
    result = annotate(*args)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and needle in result.stderr


def test_appended_annotations_validate(data_copy: Path) -> None:
    target = data_copy / "graph" / "sources" / SLUG / "annotations.ttl"
    before = target.read_text(encoding="utf-8")
    result = annotate(
        SLUG,
        "Missions' experts, dealing with police reform issues",
        "--resource",
        "id:person/knut-dreyer",
        "--occurrence",
        "1",
        "--append",
        data=data_copy,
    )
    assert result.returncode == 0, result.stderr
    after = target.read_text(encoding="utf-8")
    assert after.startswith(before.rstrip("\n")) and len(after) > len(before)
    again = annotate(
        SLUG,
        "Missions' experts, dealing with police reform issues",
        "--resource",
        "id:person/knut-dreyer",
        "--occurrence",
        "1",
        "--append",
        data=data_copy,
    )
    assert again.returncode == 2 and "exists already" in again.stderr
    assert target.read_text(encoding="utf-8") == after
    validated = subprocess.run(
        [*osce_kg_exe(), "validate"],
        capture_output=True,
        text=True,
        env=clean_env(OSCE_KG_DATA=str(data_copy)),
        timeout=300,
    )
    assert validated.returncode == 0, validated.stdout + validated.stderr


def test_the_installed_data_is_never_changed() -> None:
    import osce_kg
    from osce_kg.layout import DataLayout

    assert DataLayout(Path(osce_kg.__file__).parent / "_data").is_installed
    assert not DataLayout(Path.cwd()).is_installed

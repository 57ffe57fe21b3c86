"""``osce-kg source check [--fix]``: offsets that no longer select their quote
are found again from exact, prefix and suffix and rewritten; ambiguous and lost
anchors are listed, never guessed."""

from __future__ import annotations

import subprocess
from pathlib import Path

import rdflib

from conftest import SLUG, clean_env, osce_kg_exe

OA = rdflib.Namespace("http://www.w3.org/ns/oa#")


def check(data: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [*osce_kg_exe(), "source", "check", SLUG, *extra],
        capture_output=True,
        text=True,
        env=clean_env(OSCE_KG_DATA=str(data)),
        timeout=120,
    )
    assert "Traceback" not in result.stderr
    return result


def offsets_select_quotes(data: Path) -> bool:
    text = (data / "graph" / "sources" / SLUG / "source.txt").read_text(encoding="utf-8")
    g = rdflib.Graph().parse(data / "graph" / "sources" / SLUG / "annotations.ttl")
    for target in g.subjects(OA.hasSelector, None):
        sel = list(g.objects(target, OA.hasSelector))
        pos = next(s for s in sel if (s, rdflib.RDF.type, OA.TextPositionSelector) in g)
        quote = next(s for s in sel if (s, rdflib.RDF.type, OA.TextQuoteSelector) in g)
        start, end = int(g.value(pos, OA.start)), int(g.value(pos, OA.end))
        if text[start:end] != str(g.value(quote, OA.exact)):
            return False
    return True


def test_the_shipped_anchors_hold(data_copy: Path) -> None:
    result = check(data_copy)
    assert result.returncode == 0, result.stdout + result.stderr
    g = rdflib.Graph().parse(data_copy / "graph" / "sources" / SLUG / "annotations.ttl")
    anchors = len(set(g.subjects(rdflib.RDF.type, OA.TextPositionSelector)))
    assert anchors > 100
    assert f"{anchors} anchors: {anchors} hold, 0 re-anchored, 0 to look at" in result.stdout


def test_a_corrected_text_is_re_anchored(data_copy: Path) -> None:
    source = data_copy / "graph" / "sources" / SLUG / "source.txt"
    annotations = data_copy / "graph" / "sources" / SLUG / "annotations.ttl"
    source.write_text("Corrected edition. " + source.read_text(encoding="utf-8"), encoding="utf-8")
    before = annotations.read_text(encoding="utf-8")
    listed = check(data_copy)
    assert listed.returncode == 1
    assert "can be re-anchored" in listed.stdout
    assert annotations.read_text(encoding="utf-8") == before  # without --fix, nothing changes
    fixed = check(data_copy, "--fix")
    assert fixed.returncode == 0, fixed.stdout
    assert offsets_select_quotes(data_copy)
    # Only the offsets changed: the IRIs, the quotes and the layout of the file stay.
    after = annotations.read_text(encoding="utf-8")
    assert len(after.splitlines()) == len(before.splitlines())
    assert check(data_copy).returncode == 0


def test_ambiguous_and_lost_anchors_are_listed_not_guessed(data_copy: Path) -> None:
    source = data_copy / "graph" / "sources" / SLUG / "source.txt"
    annotations = data_copy / "graph" / "sources" / SLUG / "annotations.ttl"
    text = source.read_text(encoding="utf-8")
    # The whole text twice: every quote now has two equally good places ...
    doubled = "Preface. " + text + text
    # ... except "Knut Dreyer", which is gone.
    source.write_text(doubled.replace("Knut Dreyer", "K. D."), encoding="utf-8")
    before = annotations.read_text(encoding="utf-8")
    result = check(data_copy, "--fix")
    assert result.returncode == 1
    assert " ambiguous: " in result.stdout and " lost: " in result.stdout
    lost = [line for line in result.stdout.splitlines() if " lost: " in line]
    assert lost  # the quotes with "Knut Dreyer" in them
    after = annotations.read_text(encoding="utf-8")
    # Nothing ambiguous or lost was written; whatever was re-anchored selects its quote.
    assert "to look at" in result.stdout
    changed = sum(a != b for a, b in zip(before.splitlines(), after.splitlines(), strict=True))
    assert changed <= 2 * result.stdout.count(" re-anchored to ")

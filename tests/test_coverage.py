"""``osce-kg source coverage``: each sentence of the source and what it became;
docs/coverage.md is that page for the seed article, kept up to date."""

from __future__ import annotations

import csv
import io
import itertools
import subprocess

from conftest import REPO, SLUG, clean_env, osce_kg_exe


def run(*args: str) -> str:
    result = subprocess.run(
        [*osce_kg_exe(), "source", "coverage", SLUG, *args],
        capture_output=True,
        text=True,
        env=clean_env(),
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_sentences_tile_the_text_and_every_annotation_falls_in_one(article_text: str) -> None:
    rows = list(csv.DictReader(io.StringIO(run("--format", "csv"))))
    spans = [(int(r["start"]), int(r["end"])) for r in rows]
    assert spans == sorted(spans)
    for (_, end), (start, _) in itertools.pairwise(spans):
        assert end <= start and not article_text[end:start].strip()  # only white space between
    assert article_text[spans[-1][1] :].strip() == ""
    covered = [r for r in rows if int(r["facts"])]
    assert len(covered) >= len(rows) - 6
    assert any("id:person/knut-dreyer" in r["resources"] for r in rows)


def test_the_coverage_page_is_up_to_date() -> None:
    page = (REPO / "docs" / "coverage.md").read_text(encoding="utf-8")
    assert page == run("--format", "markdown"), (
        "run: osce-kg source coverage SLUG -o docs/coverage.md"
    )

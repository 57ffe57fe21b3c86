"""Answers kept in the cache folder (osce_kg.memo): computed once per input, the
same bytes when kept, computed again when damaged or when nothing can be kept."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from osce_kg import memo


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("OSCE_KG_CACHE", str(folder))
    return folder


class Counting:
    def __init__(self, answer: bytes) -> None:
        self.answer, self.calls = answer, 0

    def __call__(self) -> bytes:
        self.calls += 1
        return self.answer


def test_an_answer_is_computed_once_per_input(cache: Path) -> None:
    compute = Counting(b"\x89PNG answer")
    assert memo.memoised("thing", ["a", b"b"], compute) == b"\x89PNG answer"
    assert memo.memoised("thing", ["a", b"b"], compute) == b"\x89PNG answer"
    assert compute.calls == 1
    # Another input, or the same parts split differently, is another answer.
    memo.memoised("thing", ["a", b"c"], compute)
    memo.memoised("thing", ["ab"], compute)
    memo.memoised("other", ["a", b"b"], compute)
    assert compute.calls == 4
    assert len(list((cache / "memo" / "thing").iterdir())) == 3


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b[:-1],  # cut short
        lambda b: b.replace(b"answer", b"answeR"),  # edited
        lambda b: b"",  # emptied
        lambda b: b"no header at all",
    ],
)
def test_a_damaged_answer_is_computed_again_and_replaced(cache: Path, damage: object) -> None:
    compute = Counting(b"the answer")
    memo.memoised("thing", ["x"], compute)
    [kept] = (cache / "memo" / "thing").iterdir()
    kept.write_bytes(damage(kept.read_bytes()))  # type: ignore[operator]
    assert memo.memoised("thing", ["x"], compute) == b"the answer"
    assert compute.calls == 2
    assert memo.memoised("thing", ["x"], compute) == b"the answer"
    assert compute.calls == 2  # replaced by a whole one


def test_without_a_writable_cache_every_answer_is_computed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    monkeypatch.setenv("OSCE_KG_CACHE", str(tmp_path / "a-file"))
    compute = Counting(b"answer")
    assert memo.memoised("thing", ["x"], compute) == b"answer"
    assert memo.memoised("thing", ["x"], compute) == b"answer"
    assert compute.calls == 2


def test_each_kind_keeps_its_newest_answers(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(memo, "KEEP", 10)
    for n in range(25):
        memo.memoised("thing", [str(n)], Counting(b"%d" % n))
    kept = list((cache / "memo" / "thing").iterdir())
    assert 8 <= len(kept) <= 10


def _network() -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph(name="test")
    for n, kind in [("a", "person"), ("b", "event"), ("c", "person"), ("d", "organisation")]:
        graph.add_node(n, label=n.upper(), kind=kind)
    graph.add_edge("a", "b", relation="spoke at")
    graph.add_edge("c", "b", relation="spoke at")
    graph.add_edge("d", "d", relation="itself")
    return graph


def test_a_kept_layout_is_the_computed_one(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from osce_kg.network import style

    graph = _network()
    computed = style._laid_out(graph, 7)
    first = style.layout(graph, seed=7)
    assert list(first.items()) == list(computed.items())  # same numbers, same order

    def not_again(graph: nx.Graph, seed: int) -> style.Positions:
        raise AssertionError("laid out again")

    monkeypatch.setattr(style, "_laid_out", not_again)
    assert list(style.layout(graph, seed=7).items()) == list(computed.items())
    with pytest.raises(AssertionError, match="laid out again"):
        style.layout(graph, seed=8)  # another seed is another layout
    graph.add_edge("a", "c")
    with pytest.raises(AssertionError, match="laid out again"):
        style.layout(graph, seed=7)  # and another network


def test_kept_pictures_are_the_drawn_ones(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from osce_kg.network import draw

    graph = _network()
    first = draw.draw_pictures(graph, ["png", "svg"], title="t")
    assert first["png"].startswith(b"\x89PNG") and b"<svg" in first["svg"]

    def not_again(*args: object) -> dict[str, bytes]:
        raise AssertionError("drawn again")

    monkeypatch.setattr(draw, "_draw", not_again)
    assert draw.draw_pictures(graph, ["svg", "png"], title="t") == first
    assert draw.draw_pictures(graph, ["svg"], title="t") == {"svg": first["svg"]}
    with pytest.raises(AssertionError, match="drawn again"):
        draw.draw_pictures(graph, ["png"], title="another title")
    graph.nodes["a"]["label"] = "A relabelled"
    with pytest.raises(AssertionError, match="drawn again"):
        draw.draw_pictures(graph, ["png"], title="t")


def test_a_kept_ontology_page_is_the_made_one(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import rdflib

    from osce_kg.build import ontology_docs

    ontology = rdflib.Graph()
    ontology.parse(
        data="""
        @prefix owl: <http://www.w3.org/2002/07/owl#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        <https://example.org/o> a owl:Ontology ; rdfs:label "An ontology" .
        <https://example.org/o#Thing> a owl:Class ; rdfs:label "Thing" .
        """,
        format="turtle",
    )
    made = ontology_docs._make_html(ontology)
    assert ontology_docs.ontology_html(ontology) == made

    def not_again(graph: rdflib.Graph) -> str:
        raise AssertionError("made again")

    monkeypatch.setattr(ontology_docs, "_make_html", not_again)
    assert ontology_docs.ontology_html(ontology) == made
    ontology.add((rdflib.URIRef("https://example.org/o#Other"), rdflib.RDF.type, rdflib.OWL.Class))
    with pytest.raises(AssertionError, match="made again"):
        ontology_docs.ontology_html(ontology)


def test_a_change_of_osce_kg_s_code_makes_new_answers(tmp_path: Path) -> None:
    """Every cache is keyed by osce-kg's code (its modules' bytes): an edited or
    upgraded module (a git pull) is never answered from what the earlier code
    computed, and two clones of the same code (other times) share their caches."""
    import os
    import shutil
    import subprocess
    import sys

    import osce_kg

    def copy(name: str) -> Path:
        shutil.copytree(Path(osce_kg.__file__).parent, tmp_path / name / "osce_kg")
        return tmp_path / name

    def code_version(where: Path) -> str:
        probe = "from osce_kg.version import code_version; print(code_version())"
        env = dict(os.environ, PYTHONPATH=str(where), OSCE_KG_CACHE=str(tmp_path / "cache"))
        done = subprocess.run(
            [sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True
        )
        return done.stdout.strip()

    first, second = copy("first"), copy("second")
    style = second / "osce_kg" / "network" / "style.py"
    os.utime(style, ns=(1_000_000_000, 1_000_000_000))  # another clone: other times
    before = code_version(first)
    assert before.startswith(osce_kg.__version__ + "+")
    assert code_version(first) == before == code_version(second)
    style.write_text(style.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert code_version(second) not in (before, "")
    assert code_version(first) == before


def test_every_cache_key_covers_the_code(monkeypatch: pytest.MonkeyPatch) -> None:
    from osce_kg import version
    from osce_kg.layout import DataLayout

    answer, store = memo.digest("k", ["x"]), DataLayout.default().fingerprint()
    assert memo.digest("k", ["x"]) == answer
    monkeypatch.setattr(memo, "code_version", lambda: "another osce-kg")
    monkeypatch.setattr(version, "code_version", lambda: "another osce-kg")
    assert memo.digest("k", ["x"]) != answer
    assert DataLayout.default().fingerprint() != store  # the dataset store's key


def test_pictures_do_not_follow_a_user_s_matplotlib_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The picture is a function of the network: a matplotlibrc's settings (dpi,
    fonts) do not change it, so a kept picture is the one any user would get."""
    import matplotlib

    from osce_kg.network import draw

    (tmp_path / "a-file").write_text("", encoding="utf-8")
    monkeypatch.setenv("OSCE_KG_CACHE", str(tmp_path / "a-file"))  # nothing kept
    graph = _network()
    plain = draw.draw_pictures(graph, ["png", "svg"], title="t")
    with matplotlib.rc_context({"savefig.dpi": 40, "font.size": 30, "lines.linewidth": 9}):
        assert draw.draw_pictures(graph, ["png", "svg"], title="t") == plain


def test_pruning_keeps_the_bytes_down_and_clears_what_a_killed_writer_left(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os
    import time

    monkeypatch.setattr(memo, "KEEP_BYTES", 10_000)
    folder = cache / "memo" / "thing"
    folder.mkdir(parents=True)
    left = folder / ".abc.123.tmp"
    left.write_bytes(b"half")
    hour_ago = time.time() - 7200
    os.utime(left, (hour_ago, hour_ago))
    fresh = folder / ".def.456.tmp"  # another writer's, still writing
    fresh.write_bytes(b"half")
    for n in range(12):
        memo.memoised("thing", [str(n)], Counting(bytes(2_000)))
    kept = [p for p in folder.iterdir() if not p.name.startswith(".")]
    assert sum(p.stat().st_size for p in kept) <= 10_000
    assert not left.exists() and fresh.exists()

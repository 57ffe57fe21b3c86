"""Incremental validation re-checks only what changed and agrees with a full run.

Each test works on its own copy of a generated corpus of 50 sources
(benchmarks/generate.py) and checks what the run reports it did
(:class:`~osce_kg.validation.run.Stats`), never how long it took.
"""

from __future__ import annotations

import collections
import gc
import importlib.util
import json
import shutil
import sys
from pathlib import Path
from typing import Any

import pyoxigraph
import pytest
import rdflib

from osce_kg.errors import InputError, ParseError
from osce_kg.layout import DataLayout
from osce_kg.validation import validate_run
from osce_kg.validation.cache import CACHE_DIR
from osce_kg.validation.incremental import validate_corpus
from osce_kg.validation.model import Result

REPO = Path(__file__).resolve().parent.parent


def _key(r: Result) -> tuple[object, ...]:
    # Blank-node labels differ between two parses of the same file.
    focus = "_:blank" if isinstance(r.focus, rdflib.BNode) else r.focus
    value = "_:blank" if isinstance(r.value, rdflib.BNode) else r.value
    return (focus, r.path, value, r.component, r.rule, r.message, r.file, r.line)


def same_as_full(root: Path, results: list[Result]) -> bool:
    full = validate_run(layout=DataLayout(root)).report.results
    return collections.Counter(map(_key, results)) == collections.Counter(map(_key, full))


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    spec = importlib.util.spec_from_file_location(
        "osce_kg_generate_inc", REPO / "benchmarks" / "generate.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    out = tmp_path_factory.mktemp("generated") / "data"
    module.generate(out, 50, seed=3, violations={"missing-label": 1, "end-before-start": 1})
    return out


@pytest.fixture
def root(generated: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(generated, copy)
    return copy


def facts(root: Path, index: int) -> Path:
    return root / "graph" / "sources" / f"synthetic-{index:06d}" / "facts.ttl"


def test_first_run_builds_the_cache_and_a_second_reuses_it(root: Path) -> None:
    first = validate_corpus(DataLayout(root))
    assert first.stats.mode == "cold" and len(first.stats.reloaded) == 51  # shared + 50 sources
    assert (root / CACHE_DIR / "manifest.json").is_file()
    assert same_as_full(root, first.report.results)
    assert {r.rule for r in first.report.results} >= {
        "okgsh:LabelShape",
        "check:event-end-before-start",
    }

    assert not first.stats.checks_from_cache
    second = validate_corpus(DataLayout(root))
    assert second.stats.mode == "incremental"
    assert second.stats.reloaded == [] and second.stats.focus_checked == 0
    assert second.stats.checks_from_cache
    assert collections.Counter(map(_key, second.report.results)) == collections.Counter(
        map(_key, first.report.results)
    )


def test_a_changed_source_alone_is_rechecked(root: Path) -> None:
    validate_corpus(DataLayout(root))
    path = facts(root, 7)
    text = path.read_text(encoding="utf-8")
    assert "okg:status okg:held" in text
    # A second status breaks EventShape's sh:maxCount 1 on okg:status.
    path.write_text(
        text.replace("okg:status okg:held", "okg:status okg:held, okg:planned", 1), encoding="utf-8"
    )
    run = validate_corpus(DataLayout(root))
    assert run.stats.mode == "incremental" and not run.stats.checks_from_cache
    assert run.stats.reloaded == ["source/synthetic-000007"]
    # The source's own resources and the shared entities it names, not the corpus.
    assert run.stats.focus_checked is not None and 0 < run.stats.focus_checked < 60
    new = [r for r in run.report.results if r.component == "sh:MaxCountConstraintComponent"]
    assert [(str(r.focus), r.rule) for r in new] == [
        ("https://w3id.org/osce-kg/id/event/meeting-7", "okgsh:EventShape")
    ]
    assert (
        new[0].file is not None
        and new[0].file.endswith("synthetic-000007/facts.ttl")
        and new[0].line
    )
    assert same_as_full(root, run.report.results)

    path.write_text(text, encoding="utf-8")  # and back
    back = validate_corpus(DataLayout(root))
    assert back.stats.reloaded == ["source/synthetic-000007"]
    assert not [r for r in back.report.results if r.component == "sh:MaxCountConstraintComponent"]
    assert same_as_full(root, back.report.results)


def test_an_ill_typed_literal_in_a_changed_source_is_found(root: Path) -> None:
    validate_corpus(DataLayout(root))
    path = facts(root, 11)
    text = path.read_text(encoding="utf-8")
    start = text.split("schema:startDate ", 1)[1].split(" ;", 1)[0]
    path.write_text(text.replace(start, '"2012-13-01"^^xsd:date', 1), encoding="utf-8")
    run = validate_corpus(DataLayout(root))
    assert run.stats.reloaded == ["source/synthetic-000011"]
    found = [r for r in run.report.results if r.component == "sh:DatatypeConstraintComponent"]
    assert [(str(r.focus), str(r.value)) for r in found] == [
        ("https://w3id.org/osce-kg/id/event/meeting-11", "2012-13-01")
    ]
    assert same_as_full(root, run.report.results)


def test_check_results_are_reused_only_while_nothing_changes(root: Path) -> None:
    validate_corpus(DataLayout(root))
    assert validate_corpus(DataLayout(root)).stats.checks_from_cache
    path = facts(root, 5)
    text = path.read_text(encoding="utf-8")
    speaker = text.split("okg:speaker <", 1)[1].split(">", 1)[0]
    # The quotation's person is no longer its speech's speaker: a SPARQL check's business.
    other = speaker.rsplit("-", 1)[0] + ("-1" if not speaker.endswith("-1") else "-2")
    changed = text.replace(f"okg:quotedPerson <{speaker}>", f"okg:quotedPerson <{other}>")
    assert changed != text
    path.write_text(changed, encoding="utf-8")
    assert not validate_corpus(
        DataLayout(root), checks=False
    ).stats.checks_from_cache  # sees the change
    run = validate_corpus(DataLayout(root))  # so the checks run now, though no file changed since
    assert not run.stats.checks_from_cache and run.stats.reloaded == []
    assert any(r.rule == "check:quotation-speaker" for r in run.report.results)
    again = validate_corpus(DataLayout(root))
    assert again.stats.checks_from_cache
    assert collections.Counter(map(_key, again.report.results)) == collections.Counter(
        map(_key, run.report.results)
    )
    assert same_as_full(root, again.report.results)


def test_a_change_reaching_another_source_rechecks_what_depends_on_it(root: Path) -> None:
    validate_corpus(DataLayout(root))
    # Source 9 retypes a shared city as a topic: events of other sources whose
    # okg:place is that city are unchanged, yet now break sh:class okg:Place.
    shared = root / "graph" / "shared" / "entities.ttl"
    text = shared.read_text(encoding="utf-8")
    path = facts(root, 9)
    place = path.read_text(encoding="utf-8").split("okg:place <", 1)[1].split(">", 1)[0]
    shared.write_text(
        text.replace(f"<{place}> a okg:City", f"<{place}> a okg:Topic", 1), encoding="utf-8"
    )
    run = validate_corpus(DataLayout(root))
    assert run.stats.reloaded == ["shared"]
    broken = {
        str(r.focus)
        for r in run.report.results
        if r.path is not None and str(r.path).endswith("#place")
    }
    assert "https://w3id.org/osce-kg/id/event/meeting-9" in broken
    assert same_as_full(root, run.report.results)


def test_added_and_removed_sources(root: Path) -> None:
    validate_corpus(DataLayout(root))
    gone = root / "graph" / "sources" / "synthetic-000004"
    moved = root / "graph" / "sources" / "synthetic-000099"
    gone.rename(moved)  # one source removed, one added (same content, new graph)
    run = validate_corpus(DataLayout(root))
    assert sorted(run.stats.reloaded) == ["source/synthetic-000004", "source/synthetic-000099"]
    assert same_as_full(root, run.report.results)
    shutil.rmtree(moved)
    run = validate_corpus(DataLayout(root))
    assert run.stats.reloaded == ["source/synthetic-000099"]
    assert same_as_full(root, run.report.results)


def test_a_changed_shape_rechecks_everything_without_reloading(root: Path) -> None:
    validate_corpus(DataLayout(root))
    shapes = root / "shapes" / "common.ttl"
    text = shapes.read_text(encoding="utf-8")
    old = "No English rdfs:label"
    assert old in text
    shapes.write_text(text.replace(old, "Give it an English rdfs:label"), encoding="utf-8")
    run = validate_corpus(DataLayout(root))
    assert (
        run.stats.mode == "recheck" and run.stats.reloaded == [] and run.stats.focus_checked is None
    )
    assert any(r.message.startswith("Give it an English") for r in run.report.results)
    assert same_as_full(root, run.report.results)


def test_a_changed_ontology_rebuilds_the_store(root: Path) -> None:
    validate_corpus(DataLayout(root))
    ontology = next((root / "ontology").glob("*.ttl"))
    ontology.write_text(ontology.read_text(encoding="utf-8") + "\n# touched\n", encoding="utf-8")
    run = validate_corpus(DataLayout(root))
    assert run.stats.mode == "cold" and run.stats.reason == "ontology changed"
    assert same_as_full(root, run.report.results)


@pytest.mark.parametrize("damage", ["delete", "manifest", "results", "store", "store-emptied"])
def test_a_damaged_cache_is_rebuilt(root: Path, damage: str) -> None:
    first = validate_corpus(DataLayout(root))
    cache = root / CACHE_DIR
    if damage == "delete":
        shutil.rmtree(cache)
    elif damage == "manifest":
        (cache / "manifest.json").write_text("{not json", encoding="utf-8")
    elif damage == "results":
        (cache / "results.json").write_text('{"x": [{"severity": 3}]}', encoding="utf-8")
    elif damage == "store":
        shutil.rmtree(cache / "store")
        (cache / "store").write_text("not a store", encoding="utf-8")
    else:
        # An empty store where the manifest expects a full one (RocksDB opens it happily).
        shutil.rmtree(cache / "store")
        empty = pyoxigraph.Store(str(cache / "store"))
        del empty
        gc.collect()
    run = validate_corpus(DataLayout(root))
    assert run.stats.mode == "cold"
    assert collections.Counter(map(_key, run.report.results)) == collections.Counter(
        map(_key, first.report.results)
    )
    assert validate_corpus(DataLayout(root)).stats.mode == "incremental"


def test_a_syntax_error_in_a_changed_source_is_reported_and_then_repaired(root: Path) -> None:
    validate_corpus(DataLayout(root))
    path = facts(root, 2)
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "\n<broken> <triple> .\n<x> <y> \n", encoding="utf-8")
    with pytest.raises(ParseError, match=r"facts\.ttl:\d+:\d+"):
        validate_corpus(DataLayout(root))
    path.write_text(text, encoding="utf-8")
    run = validate_corpus(DataLayout(root))
    # The failed run read the files before changing anything: the cache is as it was.
    assert (run.stats.mode, run.stats.reloaded) == ("incremental", [])
    assert run.stats.checks_from_cache
    assert same_as_full(root, run.report.results)
    # A good change beside a broken one: once mended, both are reloaded, incrementally.
    other = facts(root, 4)
    other.write_text(
        other.read_text(encoding="utf-8").replace('"Meeting 4"', '"Meeting four"', 1),
        encoding="utf-8",
    )
    path.write_text(text + "\n<x> <y> \n", encoding="utf-8")
    with pytest.raises(ParseError, match=r"facts\.ttl:\d+:\d+"):
        validate_corpus(DataLayout(root))
    path.write_text(text.replace('"Meeting 2"', '"Meeting two"', 1), encoding="utf-8")
    mended = validate_corpus(DataLayout(root))
    assert mended.stats.mode == "incremental"
    assert sorted(mended.stats.reloaded) == ["source/synthetic-000002", "source/synthetic-000004"]
    assert same_as_full(root, mended.report.results)


def test_cache_option_puts_the_cache_elsewhere(root: Path, tmp_path: Path) -> None:
    cache = tmp_path / "elsewhere"
    run = validate_corpus(DataLayout(root), cache=cache)
    assert run.stats.mode == "cold"
    assert (cache / "manifest.json").is_file() and not (root / CACHE_DIR).exists()
    assert validate_corpus(DataLayout(root), cache=cache).stats.mode == "incremental"


def test_command_line_options(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from osce_kg.commands.validate import validate as command

    monkeypatch.setenv("OSCE_KG_DATA", str(root))
    runner = CliRunner()
    done = runner.invoke(command, [])
    assert done.exit_code == 1 and "violation" in done.output  # the corpus has injected errors
    assert not (root / CACHE_DIR).exists()  # no cache unless asked for
    done = runner.invoke(command, ["--incremental"])
    assert done.exit_code == 1 and (root / CACHE_DIR / "manifest.json").is_file()
    cache = root.parent / "c"
    assert runner.invoke(command, ["--cache", str(cache), "--jobs", "2"]).exit_code == 1
    assert (cache / "manifest.json").is_file()
    refused = runner.invoke(command, ["--incremental", "--engine", "pyshacl"])
    assert refused.exit_code != 0 and "oxigraph engine" in str(refused.exception)
    assert runner.invoke(command, ["--incremental", "--jobs", "0"]).exit_code == 2
    refused = runner.invoke(command, ["--incremental", "some.ttl"])
    assert refused.exit_code != 0 and "give no FILES" in str(refused.exception)


def test_checks_in_worker_processes_give_the_same_results(root: Path) -> None:
    one = validate_corpus(DataLayout(root))
    # A change, so that the checks run again, now in two processes reading the cached store.
    path = facts(root, 12)
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("okg:status okg:held", "okg:status okg:proposed", 1), encoding="utf-8"
    )
    # The checks the change touched run in this process, whatever --jobs says.
    touched = validate_corpus(DataLayout(root), jobs=2)
    assert touched.stats.checks_rerun is not None and 0 < touched.stats.checks_rerun < 16
    assert touched.stats.workers == 1
    assert same_as_full(root, touched.report.results)
    # A changed check: every check runs again, in two processes reading the cached store.
    check = sorted((root / "queries" / "checks").glob("*.rq"))[0]
    check.write_text(check.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    two = validate_corpus(DataLayout(root), jobs=2)
    assert not two.stats.checks_from_cache and two.stats.workers == 2
    assert two.stats.checks_rerun == 16
    attendance = [r for r in two.report.results if r.rule == "check:proposed-event-attendance"]
    assert attendance and {str(r.focus) for r in attendance} == {
        "https://w3id.org/osce-kg/id/event/meeting-12"
    }
    assert same_as_full(root, two.report.results)
    assert len(two.report.results) > len(one.report.results)
    assert collections.Counter(map(_key, touched.report.results)) == collections.Counter(
        map(_key, two.report.results)
    )
    with pytest.raises(InputError, match="--jobs"):
        validate_corpus(DataLayout(root), jobs=0)


def test_shapes_in_worker_processes_give_the_same_results(root: Path, tmp_path: Path) -> None:
    # A cold run checks its in-memory store in this process, then writes the cache.
    cold = validate_corpus(DataLayout(root), jobs=2, cache=tmp_path / "cache")
    assert cold.stats.mode == "cold" and cold.stats.workers == 1
    assert "persist" in cold.stats.seconds and (tmp_path / "cache" / "manifest.json").is_file()
    assert cold.report.results and same_as_full(root, cold.report.results)
    # A changed shape re-checks every focus node on the stored data, in two processes too.
    shapes = root / "shapes" / "common.ttl"
    text = shapes.read_text(encoding="utf-8")
    shapes.write_text(
        text.replace("No English rdfs:label", "Label it in English"), encoding="utf-8"
    )
    again = validate_corpus(DataLayout(root), jobs=2, cache=tmp_path / "cache")
    assert again.stats.mode == "recheck" and again.stats.workers == 2
    assert any(r.message.startswith("Label it in English") for r in again.report.results)
    assert same_as_full(root, again.report.results)
    single = validate_corpus(DataLayout(root), cache=tmp_path / "single")
    assert single.stats.workers == 1
    assert collections.Counter(map(_key, single.report.results)) == collections.Counter(
        map(_key, again.report.results)
    )


def test_only_the_checks_a_change_can_affect_run_again(root: Path) -> None:
    validate_corpus(DataLayout(root))
    path = facts(root, 11)
    text = path.read_text(encoding="utf-8")
    # A label: only the two undeclared-term checks, which read every triple whatever its
    # predicate, run again; the others' rows are reused (ontology-term-label reads labels,
    # but only the ontology's, whose change rebuilds the cache).
    path.write_text(text.replace('rdfs:label "Meeting 11"', 'rdfs:label "Meeting eleven"', 1))
    relabelled = validate_corpus(DataLayout(root))
    assert relabelled.stats.checks_rerun == 2
    # ... and those two (per-term checks) only about the changed triples' terms: the
    # meeting, rdfs:label, the two labels.
    assert relabelled.stats.terms_asked == 4
    assert same_as_full(root, relabelled.report.results)
    # Dates in the wrong order: the date checks run again and find it; the others do not run.
    start = text.index("schema:startDate")
    line = text[start : text.index("\n", start)]
    swapped = text.replace(line, 'schema:startDate "2099-01-01"^^xsd:date ;', 1)
    assert swapped != text
    path.write_text(swapped, encoding="utf-8")
    redated = validate_corpus(DataLayout(root))
    assert redated.stats.checks_rerun is not None and 0 < redated.stats.checks_rerun < 15
    assert any(
        r.rule == "check:event-end-before-start"
        and str(r.focus) == "https://w3id.org/osce-kg/id/event/meeting-11"
        for r in redated.report.results
    )
    assert same_as_full(root, redated.report.results)


def test_what_each_check_reads_is_worked_out_once_per_rule_set(
    root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The predicates a check reads come from parsing it with rdflib: kept in the
    cache folder (osce_kg.memo), reused while the check stays the same, worked out
    again if damaged."""
    from osce_kg.validation import checks

    monkeypatch.setenv("OSCE_KG_CACHE", str(tmp_path / "cache"))  # nothing kept yet
    parsed: list[str] = []
    real = checks._read_predicates

    def counting(check: Any) -> set[str] | None:
        parsed.append(check.name)
        return real(check)

    monkeypatch.setattr(checks, "_read_predicates", counting)
    kept = tmp_path / "cache" / "memo" / "check-predicates"
    validate_corpus(DataLayout(root))
    path = facts(root, 5)
    text = path.read_text(encoding="utf-8")
    for n, label in enumerate(("Meeting five", "Meeting 5b", "Meeting V")):
        path.write_text(text.replace('rdfs:label "Meeting 5"', f'rdfs:label "{label}"', 1))
        if n == 2:
            for answer in kept.iterdir():
                answer.write_bytes(answer.read_bytes()[:-3])  # cut short
        run = validate_corpus(DataLayout(root))
        assert run.stats.checks_rerun == 2
        assert same_as_full(root, run.report.results)
    # Every check but the two per-term ones, on the first change and after the damage.
    assert len(parsed) == 2 * 14 and len(set(parsed)) == 14
    assert "undeclared-term" not in parsed
    # Well-formed JSON of the wrong shape is damage too: worked out again, no failure.
    for answer in kept.iterdir():
        check, _, _ = answer.read_bytes().partition(b"\n")
        answer.write_bytes(check + b"\n" + json.dumps([["not", "a", "predicate"]]).encode())
    path.write_text(text, encoding="utf-8")
    run = validate_corpus(DataLayout(root))
    assert same_as_full(root, run.report.results) and len(parsed) == 3 * 14


def test_triples_that_two_sources_lose_together_are_changed(root: Path) -> None:
    """One run in which two sources drop the same triples: the change is each
    source's own, and the undeclared terms they used are gone from the report."""
    extra = "\n<https://w3id.org/osce-kg/id/x/shared> a foaf:Persn ; okg:madeUp okg:MadeUpPlace .\n"
    paths = [facts(root, 3), facts(root, 7)]
    texts = [p.read_text(encoding="utf-8") for p in paths]
    for path, text in zip(paths, texts, strict=True):
        path.write_text(text + extra, encoding="utf-8")
    first = validate_corpus(DataLayout(root))
    assert any(r.rule.startswith("check:undeclared") for r in first.report.results)
    paths[0].write_text(texts[0].replace('"Meeting 3"', '"Meeting three"', 1), encoding="utf-8")
    paths[1].write_text(texts[1], encoding="utf-8")
    run = validate_corpus(DataLayout(root))
    assert run.stats.mode == "incremental" and run.stats.terms_asked > 4
    assert not any(r.rule.startswith("check:undeclared") for r in run.report.results)
    assert same_as_full(root, run.report.results)


def test_a_run_interrupted_after_changing_the_store_is_repaired(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from osce_kg.validation import incremental

    validate_corpus(DataLayout(root))
    path = facts(root, 3)
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "okg:status okg:held", "okg:status okg:held ; a foaf:Persn", 1
        ),
        encoding="utf-8",
    )

    def interrupted(*args: Any, **kwargs: Any) -> Any:
        raise KeyboardInterrupt

    with monkeypatch.context() as patch:
        patch.setattr(incremental, "run_constraints", interrupted)
        with pytest.raises(KeyboardInterrupt):
            validate_corpus(DataLayout(root))
    repaired = validate_corpus(DataLayout(root))
    assert (repaired.stats.mode, repaired.stats.reason) == (
        "recheck",
        "an interrupted run is repaired",
    )
    assert any(str(r.value) == "http://xmlns.com/foaf/0.1/Persn" for r in repaired.report.results)
    assert same_as_full(root, repaired.report.results)
    again = validate_corpus(DataLayout(root))  # and then the cache is trusted again
    assert again.stats.mode == "incremental" and again.stats.checks_from_cache


def test_focus_flags_an_older_run_left_are_not_data(root: Path) -> None:
    """A cache whose store still holds focus flags (older osce-kg versions left them
    after a restricted run): no check reports the flagged nodes."""
    from osce_kg.validation.compiled import CONTROL_GRAPH, FOCUS

    validate_corpus(DataLayout(root))
    store = pyoxigraph.Store(str(root / CACHE_DIR / "store"))
    orphan = pyoxigraph.NamedNode("https://w3id.org/osce-kg/ontology#Orphan")
    store.add(
        pyoxigraph.Quad(
            orphan,
            pyoxigraph.NamedNode(FOCUS),
            pyoxigraph.Literal(True),
            pyoxigraph.NamedNode(CONTROL_GRAPH),
        )
    )
    store.flush()
    del store
    gc.collect()
    shape = sorted((root / "shapes").glob("*.ttl"))[0]
    shape.write_text(shape.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    run = validate_corpus(DataLayout(root))  # changed rules: every check runs whole
    assert run.stats.mode == "recheck"
    assert not [r for r in run.report.results if "Orphan" in str(r.value)]
    assert same_as_full(root, run.report.results)


def test_per_term_checks_follow_terms_coming_and_going(root: Path) -> None:
    """The undeclared-term checks, asked only about the changed terms, agree with a
    full run as undeclared terms appear, move to another first user, and go."""
    validate_corpus(DataLayout(root))
    first, second = facts(root, 3), facts(root, 12)
    texts = {p: p.read_text(encoding="utf-8") for p in (first, second)}
    undeclared = (
        'okg:madeUpProperty "x" ; a foaf:Persn ; schema:location okg:MadeUpPlace ;\n'
        "    okg:status okg:held"
    )
    for path in (first, second):
        path.write_text(texts[path].replace("okg:status okg:held", undeclared, 1), encoding="utf-8")

    def undeclared_rows(run: object) -> set[tuple[str, str]]:
        results = run.report.results  # type: ignore[attr-defined]
        return {
            (str(r.value), str(r.focus)) for r in results if r.rule.startswith("check:undeclared")
        }

    both = validate_corpus(DataLayout(root))
    assert both.stats.terms_asked > 0 and both.stats.checks_rerun is not None
    assert undeclared_rows(both) == {
        (
            f"https://w3id.org/osce-kg/ontology#{term}",
            "https://w3id.org/osce-kg/id/event/meeting-12",
        )
        for term in ("madeUpProperty", "MadeUpPlace")
    } | {("http://xmlns.com/foaf/0.1/Persn", "https://w3id.org/osce-kg/id/event/meeting-12")}
    assert same_as_full(root, both.report.results)
    # The first user (in IRI order) goes: the rows move to the other one.
    second.write_text(texts[second], encoding="utf-8")
    moved = validate_corpus(DataLayout(root))
    assert {focus for _, focus in undeclared_rows(moved)} == {
        "https://w3id.org/osce-kg/id/event/meeting-3"
    }
    assert same_as_full(root, moved.report.results)
    first.write_text(texts[first], encoding="utf-8")
    gone = validate_corpus(DataLayout(root))
    assert undeclared_rows(gone) == set()
    assert same_as_full(root, gone.report.results)


def test_a_result_is_placed_where_its_node_starts_a_statement(tmp_path: Path) -> None:
    from osce_kg import namespaces as ns
    from osce_kg.validation.locate import display_path
    from osce_kg.validation.model import Severity
    from osce_kg.validation.placement import locate_results
    from osce_kg.validation.units import Unit, load_units

    # The unit's first file names the topic as an object on a line of its own; the
    # second file defines it.  The result belongs in the second.
    topic = "https://w3id.org/osce-kg/id/topic/police-reform"
    mentions = tmp_path / "a-organisations.ttl"
    mentions.write_text(f"<urn:x:group> <urn:x:topic>\n    <{topic}> .\n", encoding="utf-8")
    defines = tmp_path / "b-topics.ttl"
    defines.write_text(f'# Topics\n\n<{topic}> <urn:x:label> "Police reform" .\n', encoding="utf-8")
    unit = Unit("shared", ns.SHARED_GRAPH, (mentions, defines))
    store = pyoxigraph.Store()
    load_units(store, [unit])
    about_topic = Result(Severity.VIOLATION, rdflib.URIRef(topic), "m", "okgsh:TopicShape")
    about_group = Result(Severity.VIOLATION, rdflib.URIRef("urn:x:group"), "m", "okgsh:X")
    locate_results(store, [about_topic, about_group], [unit])
    assert (about_topic.file, about_topic.line) == (display_path(defines), 3)
    assert (about_group.file, about_group.line) == (display_path(mentions), 1)


def test_a_shipped_topic_is_placed_in_topics_ttl() -> None:
    # The case the code review found: organisations.ttl (read first) lists the topic
    # as an object on a line of its own; topics.ttl defines it.
    from osce_kg.validation.locate import display_path
    from osce_kg.validation.model import Severity
    from osce_kg.validation.placement import locate_results
    from osce_kg.validation.units import corpus_units, load_units

    topic = "https://w3id.org/osce-kg/id/topic/police-reform"
    shared = REPO / "graph" / "shared"
    lines = (shared / "organisations.ttl").read_text(encoding="utf-8").splitlines()
    assert any(line.strip().startswith(f"<{topic}>") for line in lines)
    topics = (shared / "topics.ttl").read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(topics, 1) if text.startswith(f"<{topic}> a "))
    ontology, units = corpus_units(DataLayout(REPO))
    store = pyoxigraph.Store()
    load_units(store, [ontology, *units])
    result = Result(Severity.VIOLATION, rdflib.URIRef(topic), "m", "okgsh:TopicShape")
    locate_results(store, [result], [ontology, *units])
    assert (result.file, result.line) == (display_path(shared / "topics.ttl"), line)


def test_engine_choices_are_the_library_s() -> None:
    # The command keeps its own copy (to start without importing the library): it must agree.
    import click

    from osce_kg.commands.validate import validate as command
    from osce_kg.validation import ENGINES

    [engine] = [p for p in command.params if p.name == "engine"]
    assert isinstance(engine.type, click.Choice)
    assert list(engine.type.choices) == list(ENGINES)


def test_the_oxigraph_engine_imports_neither_pyshacl_nor_rdflib_sparql(root: Path) -> None:
    # Neither is needed there: importing pySHACL, or parsing the checks with rdflib,
    # was most of the time of a run in which nothing changed.
    import subprocess

    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from osce_kg.validation.incremental import validate_corpus\n"
        "from osce_kg.layout import DataLayout\n"
        f"root = Path({str(root)!r})\n"
        "assert validate_corpus(DataLayout(root)).stats.mode == 'cold'\n"
        "assert validate_corpus(DataLayout(root)).stats.checks_from_cache\n"
        "print([m for m in ('pyshacl', 'rdflib.plugins.sparql.parser') if m in sys.modules])\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_a_cold_run_interrupted_while_writing_the_cache_is_rebuilt(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from osce_kg.validation import cache as cache_module

    real_open = cache_module.open_on_disk

    class Interrupted:
        def __init__(self, path: Path) -> None:
            self.store = real_open(path)

        def bulk_extend(self, quads: object) -> None:
            raise KeyboardInterrupt

    monkeypatch.setattr(cache_module, "open_on_disk", Interrupted)
    with pytest.raises(KeyboardInterrupt):
        validate_corpus(DataLayout(root))
    cache = root / CACHE_DIR
    assert not (cache / "manifest.json").exists() and not list(cache.glob("*.nq"))
    monkeypatch.setattr(cache_module, "open_on_disk", real_open)
    gc.collect()  # the interrupted run's store object holds the RocksDB lock until freed
    again = validate_corpus(DataLayout(root))
    assert again.stats.mode == "cold" and same_as_full(root, again.report.results)
    after = validate_corpus(DataLayout(root))
    assert after.stats.mode == "incremental" and after.stats.checks_from_cache


def test_blank_node_results_of_a_cold_run_follow_later_changes(root: Path) -> None:
    """The cold run's results name blank nodes as the cached store does, so fixing
    the data later removes them (they were once renamed when the store was written)."""
    path = facts(root, 1)
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "\n[] a okg:Person .\n", encoding="utf-8")
    cold = validate_corpus(DataLayout(root))
    assert cold.stats.mode == "cold"
    blank = [r for r in cold.report.results if isinstance(r.focus, rdflib.BNode)]
    assert blank and same_as_full(root, cold.report.results)
    path.write_text(text, encoding="utf-8")
    fixed = validate_corpus(DataLayout(root))
    assert fixed.stats.mode == "incremental"
    assert not [r for r in fixed.report.results if isinstance(r.focus, rdflib.BNode)]
    assert same_as_full(root, fixed.report.results)

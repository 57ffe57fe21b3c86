"""Which SPARQL checks an incremental run runs again, and how much of each.

A check none of whose predicates the change touched gives the rows it gave
before: a query's answer can only change if a triple matching one of its
patterns did.  A ``per-term`` check (:attr:`.checks.Check.term`) is asked again
about the terms the change touched only, each bound as an RDF term.  Every
other check runs again over the whole graph.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from .checks import Check, check_predicates
from .model import Result
from .oxistore import concurrently, run_check_text, to_rdflib
from .placement import focus_key
from .run import Stats

# Past this many changed terms, one run of a per-term check over the whole graph
# costs less than asking about each term (about a millisecond each on 1M triples).
PER_TERM_LIMIT = 5000


@dataclass(frozen=True)
class Change:
    """What a change touched: the predicates of the changed triples (their closure
    included), and every term (subject, predicate, object) of them."""

    predicates: set[str]
    terms: set[Any]

    @classmethod
    def of(cls, triples: set[tuple[Any, Any, Any]]) -> Change:
        """What the changed ``triples`` touch."""
        return cls({p.value for _, p, _ in triples}, {t for triple in triples for t in triple})


def rerun_touched_checks(
    store: ox.Store,
    checks: list[Check],
    previous: list[Result],
    change: Change,
    stats: Stats,
) -> list[Result]:
    """The checks' results after ``change``, from the ``previous`` ones where the
    change cannot have changed them."""
    results: list[Result] = []
    rerun = 0
    for check in checks:
        kept = [r for r in previous if r.rule == check.rule.id]
        uses = check_predicates(check) if check.term is None else None
        if uses is not None and not uses & change.predicates:
            results += kept
        elif check.term is not None and len(change.terms) <= PER_TERM_LIMIT:
            results += _rerun_per_term(store, check, kept, change.terms)
            stats.terms_asked = len(change.terms)
            rerun += 1
        else:
            results += run_check_text(store, check.text, check.rule)
            rerun += 1
    stats.checks_rerun = rerun
    return results


def _rerun_per_term(
    store: ox.Store, check: Check, previous: list[Result], terms: set[Any]
) -> list[Result]:
    """A ``per-term`` check's rows after a change: the previous rows about the terms
    the change did not touch, and the check asked again about each touched term
    (its ``per-term`` variable bound to the term)."""
    if any(r.value is None for r in previous):
        return run_check_text(store, check.text, check.rule)  # rows not about a term
    touched = {focus_key(to_rdflib(t)) for t in terms}
    variable = ox.Variable(check.term or "")
    fresh = concurrently(
        lambda t: run_check_text(store, check.text, check.rule, {variable: t}),
        sorted(terms, key=str),
    )
    kept = [r for r in previous if r.value is not None and focus_key(r.value) not in touched]
    return kept + fresh

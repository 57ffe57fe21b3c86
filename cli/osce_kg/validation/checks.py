"""Whole-graph rules written as SPARQL: ``queries/checks/NAME-violation.rq``.

The ROBOT/ODK convention: a check is a SELECT query returning ``?focus ?path
?value ?message``, and every row it returns is a violation.  Each query runs
once over the whole graph, which is why rules that relate several resources
live here and not as ``sh:sparql`` constraints (pySHACL runs those once per
focus node).  A check's metadata is the grlc-style ``#+ key: value`` YAML
header at the top of its file (``summary``, ``description``, ``severity``).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph

from .. import memo
from .. import namespaces as ns
from ..errors import DataError, ParseError
from ..queries import parse_header
from .model import Rule, Severity

if TYPE_CHECKING:
    from rdflib.plugins.sparql.sparql import Query

SUFFIX = "-violation.rq"
REQUIRED_VARIABLES = ("focus", "path", "value", "message")


@dataclass(frozen=True)
class Check:
    """One SPARQL check and the rule it reports as.

    ``text`` is what runs (on Oxigraph); rdflib's parsed :attr:`query`, which
    :func:`check_predicates` reads, is made on first use.
    """

    name: str
    path: Path
    text: str
    rule: Rule
    # The ``per-term`` header: the variable each row is about, when a row depends
    # only on the triples in which that variable's term appears (any position).
    # Incremental validation then asks again only about the terms a change touched.
    term: str | None = None

    @functools.cached_property
    def query(self) -> Query:
        """The query parsed by rdflib (DataError naming the file if rdflib cannot)."""
        from rdflib.plugins.sparql import prepareQuery

        try:
            return prepareQuery(self.text)
        except Exception as exc:  # pyparsing's or rdflib's: either makes the check unusable
            raise DataError(f"{self.path}: not a usable check: {exc}") from None


def select_variables(text: str) -> list[str] | None:
    """The variables a SELECT query returns (None for another kind of query).

    Oxigraph parses the query and plans it on an empty store: much cheaper than
    rdflib's parser.  SyntaxError if the query is not well-formed.
    """
    solutions = pyoxigraph.Store().query(text)
    if not isinstance(solutions, pyoxigraph.QuerySolutions):
        return None
    return [v.value for v in solutions.variables]


def load_check(path: Path) -> Check:
    """Read one check and test it, failing with the file's name if it is unusable."""
    name = path.name.removesuffix(SUFFIX)
    text = path.read_text(encoding="utf-8")
    try:
        header = parse_header(text, str(path))
    except ParseError as exc:  # bad YAML, or not a mapping: FILE:LINE: what is wrong
        where = str(exc).removesuffix(f": {exc.message}")
        raise DataError(f"{where}: not a usable check: {exc.message}") from None
    try:
        severity = Severity.parse(str(header.get("severity", "violation")))
        variables = select_variables(text) or []
    except (ValueError, SyntaxError) as exc:  # an unknown severity; SPARQL syntax
        raise DataError(f"{path}: not a usable check: {exc}") from None
    missing = [v for v in REQUIRED_VARIABLES if v not in variables]
    if missing:
        raise DataError(
            f"{path}: a check must select ?focus ?path ?value ?message (missing ?{missing[0]})"
        )
    term = header.get("per-term")
    if term is not None and (not isinstance(term, str) or term.lstrip("?") not in variables):
        raise DataError(
            f"{path}: not a usable check: per-term must name one of its variables, not {term!r}"
        )
    rule = Rule(
        id=f"check:{name}",
        kind="sparql",
        title=str(header.get("summary", name)).strip(),
        description=" ".join(str(header.get("description", "")).split()),
        severity=severity,
    )
    return Check(
        name=name, path=path, text=text, rule=rule, term=term.lstrip("?") if term else None
    )


def load_checks(folders: Path | Sequence[Path]) -> list[Check]:
    """Every ``*-violation.rq`` in ``folders`` (a layout's ``checks_dirs``), each
    folder's sorted by name."""
    folders = [folders] if isinstance(folders, Path) else list(folders)
    return [
        load_check(path) for f in folders if f.is_dir() for path in sorted(f.glob(f"*{SUFFIX}"))
    ]


def check_predicates(check: Check) -> set[str] | None:
    """Every predicate IRI the check's patterns and property paths use, or None if one
    of them is a variable or a negated path (then any triple may matter).  Patterns
    inside ``GRAPH <…/graph/ontology>`` are left out: only the ontology's triples can
    match them, and a changed ontology re-checks everything.  Worked out by parsing
    the check with rdflib once per text (:mod:`osce_kg.memo`)."""

    def worked_out() -> bytes:
        found = _read_predicates(check)
        return json.dumps(None if found is None else sorted(found)).encode()

    kept = json.loads(memo.memoised("check-predicates", [check.text], worked_out))
    return None if kept is None else set(kept)


def _read_predicates(check: Check) -> set[str] | None:
    from rdflib.paths import AlternativePath, InvPath, MulPath, NegatedPath, SequencePath
    from rdflib.term import URIRef, Variable

    found: set[str] = set()

    def path_iris(path: object) -> bool:
        if isinstance(path, URIRef):
            found.add(str(path))
            return True
        if isinstance(path, SequencePath | AlternativePath):
            return all(path_iris(p) for p in path.args)
        if isinstance(path, InvPath):
            return path_iris(path.arg)
        if isinstance(path, MulPath):
            return path_iris(path.path)
        if isinstance(path, NegatedPath):
            return False
        return not isinstance(path, Variable)

    def triples(node: dict[str, Any]) -> list[Any]:
        # A BGP holds (s, p, o) triples; the TriplesBlock of an EXISTS pattern
        # (left in parsed form) may hold them as one flat list.
        raw = list(dict.get(node, "triples", []) or [])
        if raw and not isinstance(raw[0], list | tuple):
            return [raw[i : i + 3] for i in range(0, len(raw), 3)]
        return [
            t
            for group in raw
            for t in (
                [group] if len(group) == 3 else [group[i : i + 3] for i in range(0, len(group), 3)]
            )
        ]

    def walk(node: object) -> bool:
        if isinstance(node, dict):
            if getattr(node, "name", None) in ("BGP", "TriplesBlock"):
                for triple in triples(node):
                    p = triple[1]
                    if isinstance(p, Variable) or not path_iris(p):
                        return False
            name = getattr(node, "name", None)
            if name == "Graph" and str(node.get("term")) == ns.ONTOLOGY_GRAPH:
                return True  # the ontology's graph: a change there rebuilds the cache
            if getattr(node, "name", None) in ("Graph", "ServiceGraphPattern"):
                return False
            return all(walk(v) for v in dict.values(node))
        if isinstance(node, list | tuple):
            return all(walk(v) for v in node)
        return True

    return found if walk(check.query.algebra) else None

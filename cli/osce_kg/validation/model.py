"""The records a validation run produces: one :class:`Result` per problem found.

Every source of results (SHACL shapes, the SPARQL checks, the checks written in
Python) yields the same record, so one report writer serves all of them.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Namespace
from rdflib.namespace import SH
from rdflib.term import Literal, Node, URIRef

from .. import namespaces as ns

CHECKS_NS = "https://w3id.org/osce-kg/checks/"
SHAPES_NS = "https://w3id.org/osce-kg/shapes#"
# The prefixes a report shows terms with: the project's, and okgsh: for the shapes.
REPORT_PREFIXES: dict[str, str] = {**ns.PREFIXES, "okgsh": SHAPES_NS}

# Vocabularies the checks read (rdflib ships neither with these IRIs).
OA = Namespace(ns.PREFIXES["oa"])
SCHEMA = Namespace(ns.PREFIXES["schema"])


def shape_id(shape: Node) -> str:
    """How results name a shape: ``okgsh:Name`` for ours, N-Triples otherwise."""
    text = str(shape)
    if isinstance(shape, URIRef) and text.startswith(SHAPES_NS):
        return "okgsh:" + text[len(SHAPES_NS) :]
    return shape.n3()


def preferred_message(messages: Iterable[Node]) -> str | None:
    """The first English (or untagged) literal of ``messages``, else the first literal."""
    literals = [m for m in messages if isinstance(m, Literal)]
    english = [m for m in literals if m.language in (None, "en")]
    return str((english or literals)[0]) if literals else None


def show_term(node: Node | None, prefixes: dict[str, str]) -> str:
    """``node`` compacted with ``prefixes`` (longest namespace first) for display."""
    if node is None:
        return ""
    if isinstance(node, URIRef):
        text = str(node)
        best = ""
        for prefix, ns in prefixes.items():
            if (
                text.startswith(ns)
                and len(ns) > len(prefixes.get(best, ""))
                and len(text) > len(ns)
            ):
                best = prefix
        if best:
            return f"{best}:{text[len(prefixes[best]) :]}"
        return f"<{text}>"
    if isinstance(node, Literal):
        if node.datatype is not None:
            return f"{_quote(str(node))}^^{show_term(node.datatype, prefixes)}"
        if node.language:
            return f"{_quote(str(node))}@{node.language}"
        return _quote(str(node))
    return node.n3()


def _quote(text: str) -> str:
    if len(text) > 120:
        text = text[:117] + "..."
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


class Severity(enum.IntEnum):
    """SHACL's three levels, ordered so that ``>=`` compares them."""

    INFO = 1
    WARNING = 2
    VIOLATION = 3

    @property
    def label(self) -> str:
        return self.name.capitalize()

    @property
    def iri(self) -> URIRef:
        return {Severity.INFO: SH.Info, Severity.WARNING: SH.Warning}.get(self, SH.Violation)

    @classmethod
    def parse(cls, text: str) -> Severity:
        """``violation``/``warning``/``info`` (any case) or a SHACL severity IRI."""
        key = str(text).rsplit("#", 1)[-1].strip().upper()
        try:
            return cls[key]
        except KeyError:
            raise ValueError(f"unknown severity {text!r} (violation, warning or info)") from None


@dataclass(frozen=True)
class Rule:
    """Something that can produce results: a node shape or a named check."""

    id: str  # "okgsh:EventShape" or "check:event-end-before-start"
    kind: str  # "shape", "sparql" or "python"
    title: str
    description: str = ""
    severity: Severity = Severity.VIOLATION

    @property
    def iri(self) -> URIRef:
        if self.kind == "shape" and self.id.startswith("okgsh:"):
            return URIRef(SHAPES_NS + self.id.removeprefix("okgsh:"))
        return URIRef(CHECKS_NS + self.id.removeprefix("check:"))


@dataclass
class Result:
    """One problem: what is wrong, on which node, and where to look."""

    severity: Severity
    focus: Node
    message: str
    rule: str  # Rule.id
    path: Node | None = None
    value: Node | None = None
    component: str | None = (
        None  # SHACL constraint component, e.g. "sh:MinCountConstraintComponent"
    )
    file: str | None = None
    line: int | None = None
    passage: str | None = None

    def sort_key(self) -> tuple[int, str, int, str, str, str, str, str, str]:
        """A total order, so that a report does not depend on the order an engine found
        its results in."""
        return (
            -int(self.severity),
            self.file or "~",
            self.line or 0,
            str(self.focus),
            self.rule,
            self.message,
            "" if self.path is None else self.path.n3(),
            "" if self.value is None else self.value.n3(),
            self.component or "",
        )


def check_result(
    rule: Rule, focus: Node, path: Node | None, value: Node | None, message: Node | None
) -> Result:
    """A SPARQL check's result from one answer (``?focus ?path ?value ?message``), on
    whichever store the check ran: its message, else the check's title."""
    return Result(
        severity=rule.severity,
        focus=focus,
        path=path,
        value=value,
        message=str(message) if isinstance(message, Literal) else rule.title,
        rule=rule.id,
        component="sparql",
    )


def dedupe(results: Iterable[Result]) -> list[Result]:
    """``results`` without repeats, first kept (pySHACL reports a shape reached by two
    targets twice; the stored triples of two units may give one row twice).

    Two results are repeats when they say the same thing about the same node:
    severity, focus, path, value, rule, constraint component and message.
    Where they point (file, line, passage) follows from the focus node.
    """
    seen: set[tuple[object, ...]] = set()
    out = []
    for r in results:
        key = (r.severity, r.focus, r.path, r.value, r.rule, r.component, r.message)
        if key not in seen:
            seen.add(key)
            out.append(r)
    return out


@dataclass
class Report:
    """The outcome of one validation run."""

    results: list[Result]
    rules: list[Rule]
    files: list[str]
    prefixes: dict[str, str] = field(default_factory=dict)

    def relative_to(self, *roots: Path) -> Report:
        """The same report with the paths under one of ``roots`` (the first that
        holds them) written relative to it: a published report must not depend on
        the folder it was made in."""

        def rel(path: str | None) -> str | None:
            if path is None:
                return None
            where = Path(path).resolve()
            for root in roots:
                try:
                    return where.relative_to(root.resolve()).as_posix()
                except ValueError:
                    continue
            return path

        results = [dataclasses.replace(r, file=rel(r.file)) for r in self.results]
        files = [rel(f) or f for f in self.files]
        return Report(results, self.rules, files, self.prefixes)

    def show(self, node: Node | None) -> str:
        """A node as a reader wants it: a prefixed name where one fits, else N-Triples."""
        return show_term(node, self.prefixes)

    def count(self, severity: Severity) -> int:
        return sum(1 for r in self.results if r.severity == severity)

    def failing(self, threshold: Severity) -> list[Result]:
        return [r for r in self.results if r.severity >= threshold]

    def conforms(self, threshold: Severity = Severity.VIOLATION) -> bool:
        return not self.failing(threshold)

    def summary(self) -> str:
        parts = [
            f"{self.count(s)} {s.name.lower()}{'s' if self.count(s) != 1 else ''}"
            for s in (Severity.VIOLATION, Severity.WARNING, Severity.INFO)
        ]
        return ", ".join(parts)

"""The SHACL-to-SPARQL compiler: :func:`compile_shapes` turns a shapes graph into
:class:`~.compiled.Constraint` queries, or raises :class:`~.compiled.UnsupportedShapes`
naming the shape and the component it cannot compile.

The queries are written for one of two forms of the data (:mod:`.forms`): the
local validation store's, or a SPARQL server's (``validate --endpoint``)."""

from __future__ import annotations

from collections.abc import Iterator

import rdflib
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.term import BNode, Literal, Node, URIRef

from .compiled import (
    TARGET_PLACEHOLDER,
    VALUE_SELECT,
    Compiled,
    Constraint,
    UnsupportedShapes,
    raw_predicate,
)
from .forms import LocalForm
from .model import Severity, preferred_message, shape_id

_TARGETS = (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode)


def _sh(names: str) -> tuple[URIRef, ...]:
    return tuple(SH[n] for n in names.split())


_VALUE_PARAMS = _sh("class datatype nodeKind pattern minLength maxLength in languageIn or not and")
_COUNT_PARAMS = _sh(
    "minCount maxCount uniqueLang qualifiedValueShape qualifiedMinCount qualifiedMaxCount "
    "qualifiedValueShapesDisjoint"
)
# Everything else a shape may say that the compiler understands or may ignore.
_ANNOTATIONS = _sh(
    "message severity name description order group defaultValue deactivated property path "
    "flags hasValue"
)
SUPPORTED = frozenset(_TARGETS + _VALUE_PARAMS + _COUNT_PARAMS + _ANNOTATIONS)

_NODE_KINDS = {
    SH.IRI: "isIRI({v})",
    SH.BlankNode: "isBlank({v})",
    SH.Literal: "isLiteral({v})",
    SH.BlankNodeOrIRI: "(isBlank({v}) || isIRI({v}))",
    SH.BlankNodeOrLiteral: "(isBlank({v}) || isLiteral({v}))",
    SH.IRIOrLiteral: "(isIRI({v}) || isLiteral({v}))",
}
_FOCUS_SELECT = "SELECT DISTINCT ?focus WHERE"


def _component(name: str) -> str:
    return f"sh:{name[0].upper()}{name[1:]}ConstraintComponent"


class _Compiler:
    def __init__(self, shapes: rdflib.Graph, form: LocalForm) -> None:
        self.g = shapes
        self.out = Compiled()
        self.form = form

    # -- checking what the shapes use ------------------------------------------------

    def _check_supported(self, shape: Node, seen: set[Node], top: Node) -> None:
        if shape in seen:
            return
        seen.add(shape)
        where = f"shape {shape_id(top)}"
        if shape != top:
            path = self.g.value(shape, SH.path)
            where += (
                f" (in its property shape on {shape_id(path)})"
                if isinstance(path, URIRef)
                else " (in a nested shape)"
            )
        fallback = "which the compiled engine does not support (use --engine pyshacl)"
        for p, o in self.g.predicate_objects(shape):
            if str(p).startswith(str(SH)) and p not in SUPPORTED:
                raise UnsupportedShapes(f"{where} uses sh:{str(p)[len(str(SH)) :]}, {fallback}")
            if p == SH.path and not isinstance(o, URIRef):
                raise UnsupportedShapes(
                    f"{where} has a complex sh:path (not a single property), {fallback}"
                )
            if p == SH.qualifiedValueShapesDisjoint and o == Literal(True):
                raise UnsupportedShapes(f"{where} uses sh:qualifiedValueShapesDisjoint, {fallback}")
            for child in self._children(p, o):
                self._check_supported(child, seen, top)

    def _children(self, p: Node, o: Node) -> Iterator[Node]:
        if p in (SH.property, SH["not"], SH.qualifiedValueShape):
            yield o
        elif p in (SH["or"], SH["and"]):
            yield from Collection(self.g, o)

    # -- the parts of a query ----------------------------------------------------------

    def _targets(self, shape: Node) -> str:
        parts = []
        for cls in self.g.objects(shape, SH.targetClass):
            parts.append(f"?focus {self.form.type_path} {cls.n3()} .")
        if (shape, RDF.type, RDFS.Class) in self.g:  # implicit class target
            parts.append(f"?focus {self.form.type_path} {shape.n3()} .")
        for prop in self.g.objects(shape, SH.targetSubjectsOf):
            parts.append(f"?focus {prop.n3()} [] .")
        for prop in self.g.objects(shape, SH.targetObjectsOf):
            self.out.object_targets.add(str(prop))
            parts.append(f"[] {prop.n3()} ?focus .")
        for node in self.g.objects(shape, SH.targetNode):
            parts.append(f"VALUES ?focus {{ {node.n3()} }}")
        return " UNION ".join(f"{{ {p} }}" for p in parts)

    def _note_datatype(self, datatype: Node, path: Node | None) -> None:
        key = str(datatype)
        if datatype in (XSD.string, RDF.langString, RDFS.Literal, RDFS.Datatype):
            return
        if key in self.out.datatypes and self.out.datatypes[key] is None:
            return
        if path is None:
            self.out.datatypes[key] = None
        else:
            self.out.datatypes.setdefault(key, set())
            found = self.out.datatypes[key]
            assert found is not None
            found.add(raw_predicate(str(path)))

    def _datatype_ok(self, datatype: Node, v: str, path: Node | None) -> str:
        self._note_datatype(datatype, path)
        if datatype == RDFS.Literal:
            return f"isLiteral({v})"
        if datatype == RDFS.Datatype:
            return f'(isLiteral({v}) && LANG({v}) = "")'
        if datatype == RDF.langString:
            return f'(isLiteral({v}) && LANG({v}) != "")'
        if datatype == XSD.string:
            return f'(isLiteral({v}) && LANG({v}) = "" && DATATYPE({v}) = {XSD.string.n3()})'
        return f"(isLiteral({v}) && {self.form.datatype(str(datatype), v)})"

    def _ok(self, param: Node, arg: Node, v: str, path: Node | None, flags: str) -> str:
        """A SPARQL expression, true when ``v`` satisfies one value constraint.

        ``flags``: the ``sh:flags`` of the shape that holds the constraint (for ``sh:pattern``).
        """
        if param == SH["class"]:
            return f"EXISTS {{ {v} {self.form.type_path} {arg.n3()} }}"
        if param == SH.datatype:
            return self._datatype_ok(arg, v, path)
        if param == SH.nodeKind:
            kind = _NODE_KINDS.get(URIRef(str(arg)))
            if kind is None:
                raise UnsupportedShapes(f"unknown sh:nodeKind {arg.n3()}")
            return kind.format(v=v)
        if param == SH.pattern:
            return f"(!isBlank({v}) && REGEX(STR({v}), {Literal(str(arg)).n3()}, {flags}))"
        if param == SH.minLength:
            return f"(!isBlank({v}) && STRLEN(STR({v})) >= {_int(arg)})"
        if param == SH.maxLength:
            return f"(!isBlank({v}) && STRLEN(STR({v})) <= {_int(arg)})"
        if param == SH["in"]:
            members = [f"sameTerm({v}, {self.form.n3(m)})" for m in Collection(self.g, arg)]
            return "(" + (" || ".join(members) or "false") + ")"
        if param == SH.hasValue:
            return f"sameTerm({v}, {self.form.n3(arg)})"
        if param == SH.languageIn:
            tags = [
                f"LANGMATCHES(LANG({v}), {Literal(str(t)).n3()})" for t in Collection(self.g, arg)
            ]
            return f"(isLiteral({v}) && (" + (" || ".join(tags) or "false") + "))"
        if param == SH["or"]:
            return (
                "(" + " || ".join(self._conforms(s, v, path) for s in Collection(self.g, arg)) + ")"
            )
        if param == SH["and"]:
            return (
                "(" + " && ".join(self._conforms(s, v, path) for s in Collection(self.g, arg)) + ")"
            )
        if param == SH["not"]:
            return f"!{self._conforms(arg, v, path)}"
        raise AssertionError(param)

    def _conforms(self, shape: Node, v: str, path: Node | None) -> str:
        """A never-failing expression: ``v`` conforms to an inner (value-only) shape."""
        tests = []
        for p, o in self.g.predicate_objects(shape):
            if p in _COUNT_PARAMS or p in (SH.property, SH.path):
                raise UnsupportedShapes(
                    f"shape {shape_id(shape)}: an inner shape with {shape_id(p)} is not supported "
                    "by the compiled engine (use --engine pyshacl)"
                )
            if p in _VALUE_PARAMS:
                tests.append(self._ok(p, o, v, path, self._flags_of(shape)))
        if not tests:
            return "true"
        return "COALESCE(" + " && ".join(tests) + ", false)"

    def _flags_of(self, shape: Node) -> str:
        flags = self.g.value(shape, SH.flags)
        return Literal(str(flags) if flags is not None else "").n3()

    # -- constraints -------------------------------------------------------------------

    def _meta(self, shape: Node) -> tuple[Severity, str | None]:
        severity = self.g.value(shape, SH.severity)
        message = preferred_message(self.g.objects(shape, SH.message))
        return Severity.parse(str(severity or SH.Violation)), message

    def _add(
        self,
        rule: str,
        shape: Node,
        name: str,
        path: Node | None,
        targets: str,
        query: str,
        default: str,
    ) -> None:
        severity, message = self._meta(shape)
        self.out.constraints.append(
            Constraint(
                rule=rule,
                shape=shape.n3(),
                component=_component(name),
                path=str(path) if path is not None else None,
                severity=severity,
                message=message or default,
                query=query,
                targets=targets,
                focus_subquery=self.form.focus_subquery,
            )
        )

    def shape(self, rule: str, shape: Node, targets: str) -> None:
        """Every constraint of a shape that has focus nodes (node or property shape)."""
        if self.g.value(shape, SH.deactivated) == Literal(True):
            return
        path = self.g.value(shape, SH.path)
        flags = self._flags_of(shape)
        t = TARGET_PLACEHOLDER
        if path is None:
            for p, o in sorted(self.g.predicate_objects(shape)):
                if p in _COUNT_PARAMS:
                    raise UnsupportedShapes(
                        f"node shape {shape_id(shape)}: {shape_id(p)} needs sh:path"
                    )
                if p in _VALUE_PARAMS or p == SH.hasValue:
                    ok = self._ok(p, o, "?focus", None, flags)
                    query = f"{VALUE_SELECT} {{ {t} {_violates(ok)} BIND(?focus AS ?value) }}"
                    self._add(rule, shape, _name(p), None, targets, query, _default(p, o))
            for prop in self.g.objects(shape, SH.property):
                self.shape(rule, prop, targets)
            return
        pn = path.n3()
        for p, o in sorted(self.g.predicate_objects(shape)):
            if p in _VALUE_PARAMS:
                ok = self._ok(p, o, "?value", path, flags)
                query = f"{VALUE_SELECT} {{ {t} {self.form.values(path)} {_violates(ok)} }}"
            elif p == SH.hasValue:
                # On the stored triples, not the raw copies: rdflib, like Oxigraph,
                # reads "05"^^xsd:integer as 5, and pySHACL compares the values.
                query = f"{_FOCUS_SELECT} {{ {t} FILTER NOT EXISTS {{ ?focus {pn} {o.n3()} }} }}"
            elif p == SH.minCount and _int(o) == 1:
                query = f"{_FOCUS_SELECT} {{ {t} FILTER NOT EXISTS {{ ?focus {pn} ?v0 }} }}"
            elif p == SH.minCount and _int(o) > 1:
                query = (
                    f"SELECT ?focus WHERE {{ {t} OPTIONAL {{ ?focus {pn} ?v0 }} }} "
                    f"GROUP BY ?focus HAVING (COUNT(DISTINCT ?v0) < {_int(o)})"
                )
            elif p == SH.maxCount:
                query = (
                    f"SELECT ?focus WHERE {{ {t} ?focus {pn} ?v0 }} "
                    f"GROUP BY ?focus HAVING (COUNT(DISTINCT ?v0) > {_int(o)})"
                )
            elif p == SH.uniqueLang and o == Literal(True):
                query = (
                    f"SELECT ?focus WHERE {{ {t} ?focus {pn} ?v0 . "
                    'FILTER(isLiteral(?v0) && LANG(?v0) != "") } '
                    "GROUP BY ?focus (LCASE(LANG(?v0)) AS ?lang) HAVING (COUNT(DISTINCT ?v0) > 1)"
                )
            elif p in (SH.qualifiedMinCount, SH.qualifiedMaxCount):
                inner = self.g.value(shape, SH.qualifiedValueShape)
                if inner is None:
                    continue
                ok = self._conforms(inner, "?value", path)
                if p == SH.qualifiedMinCount:
                    query = (
                        f"SELECT ?focus WHERE {{ {t} "
                        f"OPTIONAL {{ {self.form.values(path)} FILTER({ok}) }} }} "
                        f"GROUP BY ?focus HAVING (COUNT(DISTINCT ?value) < {_int(o)})"
                    )
                else:
                    query = (
                        f"SELECT ?focus WHERE {{ {t} {self.form.values(path)} FILTER({ok}) }} "
                        f"GROUP BY ?focus HAVING (COUNT(DISTINCT ?value) > {_int(o)})"
                    )
            else:
                continue
            self._add(rule, shape, _name(p), path, targets, query, _default(p, o))

    def compile(self) -> Compiled:
        tops = {s for t in _TARGETS for s in self.g.subjects(t, None)}
        tops |= {
            s
            for s in self.g.subjects(RDF.type, SH.NodeShape)
            if (s, RDF.type, RDFS.Class) in self.g
        }
        seen: set[Node] = set()
        for shape in sorted(tops, key=lambda n: (isinstance(n, BNode), str(n))):
            self._check_supported(shape, seen, shape)
        for shape in sorted(tops, key=lambda n: (isinstance(n, BNode), str(n))):
            self.shape(shape_id(shape), shape, self._targets(shape))
        return self.out


def _violates(ok: str) -> str:
    return f"FILTER(!COALESCE({ok}, false))"


def _int(node: Node) -> int:
    try:
        return int(str(node))
    except ValueError:
        raise UnsupportedShapes(f"{node.n3()} is not an integer") from None


def _name(param: Node) -> str:
    return str(param).rsplit("#", 1)[-1]


def _default(param: Node, arg: Node) -> str:
    """A message for a constraint whose shape has no sh:message (after pySHACL's wording)."""
    name = _name(param)
    if param == SH.minCount:
        return f"Less than {arg} values"
    if param == SH.maxCount:
        return f"More than {arg} values"
    if param == SH["class"]:
        return f"Value does not have class {arg.n3()}"
    if param == SH.datatype:
        return f"Value is not Literal with datatype {arg.n3()}"
    if param == SH.nodeKind:
        return f"Value is not of Node Kind {arg.n3()}"
    if param == SH.pattern:
        return f"Value does not match pattern {Literal(str(arg)).n3()}"
    if param == SH["or"]:
        return "Value does not conform to one or more shapes of the sh:or list"
    if param == SH["not"]:
        return "Value conforms to the shape it must not conform to"
    shown = arg.n3() if not isinstance(arg, BNode) else ""
    return f"Value does not satisfy sh:{name} {shown}".rstrip()


def compile_shapes(shapes: rdflib.Graph, form: LocalForm | None = None) -> Compiled:
    """The constraints of ``shapes`` as queries on the data in ``form`` (default: the
    local validation store's); raises :class:`UnsupportedShapes`."""
    return _Compiler(shapes, form or LocalForm()).compile()


__all__ = ["SUPPORTED", "compile_shapes"]

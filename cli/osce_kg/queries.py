"""Stored SPARQL queries: ``queries/*.rq`` files with grlc-style metadata.

A stored query is a SPARQL file whose leading ``#+`` lines are a YAML header
(``summary``, ``description``, ``tags``, ``defaults``, optionally ``params``),
so grlc can serve the same files unchanged.  Parameters follow grlc's (BASIL's)
variable-name convention, found among the variables of the *parsed* query:

* ``?_name`` — a required parameter bound as a plain literal;
* ``?__name`` — the same, optional (left unbound when not given);
* ``?_name_iri`` — an IRI;  ``?_name_en`` — a literal in language ``en``;
* ``?_name_integer`` / ``?_name_number`` — an xsd:integer / xsd:decimal;
* ``?_name_prefix_type`` — a literal of datatype ``prefix:type``, e.g. ``?_day_xsd_date``.

Or a ``params:`` list in the header names ordinary variables explicitly
(``name``, ``type``: iri|literal|integer|…|a prefixed datatype, ``required``,
``description``).  :func:`bind_values` turns user text into checked RDF terms.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import namespaces as ns
from .errors import InputError, ParseError
from .recursion import deep_recursion
from .sparql_bind import check_text, iri_term, literal_term

if TYPE_CHECKING:
    from .sparql_bind import Term

XSD = ns.PREFIXES["xsd"]
_SIMPLE_TYPES = {"integer": XSD + "integer", "number": XSD + "decimal"}
_LANG_SEGMENT = re.compile(r"^[a-z]{2}$")
_CHECKED_BY_REGEX = {
    XSD + "gYear": re.compile(r"^-?\d{4,}(Z|[+-]\d\d:\d\d)?$"),
    XSD + "gYearMonth": re.compile(r"^-?\d{4,}-(0[1-9]|1[0-2])(Z|[+-]\d\d:\d\d)?$"),
}


@dataclass(frozen=True)
class Param:
    """One parameter of a stored query."""

    name: str  # what the user writes: -p NAME=VALUE
    variable: str  # the query variable it binds
    required: bool
    type: str  # "iri", "literal", "lang" or "datatype"
    datatype: str | None = None
    lang: str | None = None
    description: str = ""
    default: str | None = None

    @property
    def type_label(self) -> str:
        if self.type == "datatype" and self.datatype:
            for prefix, iri in ns.PREFIXES.items():
                if self.datatype.startswith(iri):
                    return f"{prefix}:{self.datatype[len(iri) :]}"
            return f"<{self.datatype}>"
        if self.type == "lang":
            return f"literal@{self.lang}"
        return self.type

    def describe(self) -> str:
        opt = "" if self.required else "?"
        return f"{self.name}{opt}:{self.type_label}"


@dataclass
class StoredQuery:
    """A SPARQL query with its metadata and parameters."""

    name: str
    path: Path | None
    text: str
    kind: str
    summary: str = ""
    description: str = ""
    tags: list[str] = field(default_factory=list)
    params: list[Param] = field(default_factory=list)
    ordered: bool = False  # the query has an ORDER BY: its rows come in a meaningful order
    star: bool = False  # SELECT *: the columns come in the order the query first names them

    @classmethod
    def from_text(cls, text: str, name: str, path: Path | None = None) -> StoredQuery:
        """Parse a query and its header; ParseError (with line and column) if malformed."""
        where = str(path) if path else name
        meta = parse_header(text, where)
        parsed = parse_sparql(text, where)
        variables = set(_variables(parsed))
        kind = _kind(parsed)
        params = (
            _explicit_params(meta, variables, where)
            if "params" in meta
            else _convention_params(variables, where)
        )
        defaults = _defaults(meta)
        params = [
            Param(**{**p.__dict__, "default": defaults.get(p.name)}) if p.name in defaults else p
            for p in params
        ]
        tags = meta.get("tags") or []
        return cls(
            name=name,
            path=path,
            text=text,
            kind=kind,
            summary=str(meta.get("summary", "")).strip(),
            description=str(meta.get("description", "")).strip(),
            tags=[str(t) for t in tags] if isinstance(tags, list) else [str(tags)],
            params=sorted(params, key=lambda p: (not p.required, p.name)),
            ordered="orderby" in parsed[1],
            star=kind == "SELECT" and "projection" not in parsed[1],
        )


# --------------------------------------------------------------------------- ad hoc

_DECLARED = re.compile(r"(?im)^\s*PREFIX\s+([A-Za-z][\w.-]*)?:")


def ad_hoc_query(text: str, where: str, path: Path | None = None) -> StoredQuery:
    """A query typed by a user, with the project's prefixes declared for it (each
    one the query does not declare itself), on one line after its leading
    comments; positions in errors are those of the text as typed."""
    declared = {m.group(1) or "" for m in _DECLARED.finditer(text)}
    missing = [(p, iri) for p, iri in sorted(ns.PREFIXES.items()) if p not in declared]
    if not missing:
        return StoredQuery.from_text(text, where, path)
    lines = text.split("\n")
    at = next(
        (i for i, line in enumerate(lines) if line.strip() and not line.lstrip().startswith("#")),
        len(lines),
    )
    prologue = " ".join(f"PREFIX {p}: <{iri}>" for p, iri in missing)
    full = "\n".join([*lines[:at], prologue, *lines[at:]])
    try:
        return StoredQuery.from_text(full, where, path)
    except ParseError as exc:
        line = exc.line - 1 if exc.line is not None and exc.line > at + 1 else exc.line
        raise ParseError(exc.path, line, exc.column, exc.message) from None


# --------------------------------------------------------------------------- parsing


def parse_header(text: str, where: str) -> dict[str, Any]:
    """The YAML of the leading ``#+`` lines (an empty dict if none)."""
    import yaml

    lines = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("#+"):
            body = stripped[2:]
            lines.append(body[1:] if body.startswith(" ") else body)
        elif stripped and not stripped.startswith("#"):
            break
    if not lines:
        return {}
    try:
        meta = yaml.safe_load("\n".join(lines))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        lineno: int | None = mark.line + 1 if mark is not None else None
        raise ParseError(where, lineno, None, f"bad #+ YAML header: {exc}") from None
    if meta is None:
        return {}
    if not isinstance(meta, dict):
        raise ParseError(where, 1, None, "the #+ header must be a YAML mapping (key: value)")
    return meta


def parse_sparql(text: str, where: str) -> Any:
    """rdflib's parse tree of a query; ParseError FILE:LINE:COL on a syntax error."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql import parser

    from .sparql_bind import check_nesting

    check_nesting(text, where)
    try:
        with deep_recursion():
            return parser.parseQuery(text)
    except ParseException as exc:
        msg = str(exc.msg).strip() or "syntax error"
        found = text[exc.loc : exc.loc + 20].split("\n")[0] if exc.loc < len(text) else ""
        detail = f"SPARQL syntax error: {msg}" + (f", found {found!r}" if found else "")
        raise ParseError(where, exc.lineno, exc.col, detail) from None
    except ValueError as exc:  # e.g. an invalid \u escape
        raise ParseError(where, None, None, f"SPARQL syntax error: {exc}") from None


def _walk(node: Any) -> Iterator[Any]:
    yield node
    # pyparsing registers ParseResults as a Mapping (of its named parts only),
    # so test for it first and walk all its items.
    if isinstance(node, list | tuple) or type(node).__name__ == "ParseResults":
        for value in node:
            yield from _walk(value)
    elif isinstance(node, Mapping):
        for value in node.values():
            yield from _walk(value)


def _variables(parsed: Any) -> Iterator[str]:
    from rdflib.term import Variable

    for node in _walk(parsed):
        if isinstance(node, Variable):
            yield str(node)


def _kind(parsed: Any) -> str:
    name = str(getattr(parsed[1], "name", ""))
    kinds = {
        "SelectQuery": "SELECT",
        "ConstructQuery": "CONSTRUCT",
        "DescribeQuery": "DESCRIBE",
        "AskQuery": "ASK",
    }
    return kinds.get(name, "SELECT")


def _convention_params(variables: set[str], where: str) -> list[Param]:
    params: dict[str, Param] = {}
    for var in sorted(variables):
        if not var.startswith("_") or var == "_":
            continue
        required = not var.startswith("__")
        parts = var.lstrip("_").split("_")
        ptype, datatype, lang = "literal", None, None
        if len(parts) >= 2 and parts[-1] == "iri":
            ptype, parts = "iri", parts[:-1]
        elif len(parts) >= 2 and parts[-1] in _SIMPLE_TYPES:
            ptype, datatype, parts = "datatype", _SIMPLE_TYPES[parts[-1]], parts[:-1]
        elif len(parts) >= 3 and parts[-2] in ns.PREFIXES:
            ptype, datatype = "datatype", ns.PREFIXES[parts[-2]] + parts[-1]
            parts = parts[:-2]
        elif len(parts) >= 2 and _LANG_SEGMENT.match(parts[-1]):
            ptype, lang, parts = "lang", parts[-1], parts[:-1]
        name = "_".join(parts)
        if not name:
            raise ParseError(where, None, None, f"parameter variable ?{var} has no name")
        if name in params:
            raise ParseError(where, None, None, f"two variables give parameter {name!r}")
        params[name] = Param(name, var, required, ptype, datatype, lang)
    return list(params.values())


def _explicit_params(meta: dict[str, Any], variables: set[str], where: str) -> list[Param]:
    declared = meta["params"]
    if not isinstance(declared, list):
        raise ParseError(where, None, None, "#+ params: must be a list")
    out = []
    for item in declared:
        if not isinstance(item, dict) or "name" not in item:
            raise ParseError(where, None, None, "each #+ params: entry needs a name")
        name = str(item["name"])
        var = str(item.get("variable", name))
        if var not in variables:
            raise ParseError(where, None, None, f"parameter {name!r}: no ?{var} in the query")
        ptype = str(item.get("type", "literal"))
        datatype = lang = None
        if ptype in _SIMPLE_TYPES:
            ptype, datatype = "datatype", _SIMPLE_TYPES[ptype]
        elif ":" in ptype and ptype.split(":", 1)[0] in ns.PREFIXES:
            prefix, local = ptype.split(":", 1)
            ptype, datatype = "datatype", ns.PREFIXES[prefix] + local
        elif ptype.startswith("@"):
            ptype, lang = "lang", ptype[1:]
        elif ptype not in ("iri", "literal"):
            raise ParseError(where, None, None, f"parameter {name!r}: unknown type {ptype!r}")
        out.append(
            Param(
                name,
                var,
                bool(item.get("required", True)),
                ptype,
                datatype,
                lang,
                str(item.get("description", "")),
            )
        )
    return out


def _defaults(meta: dict[str, Any]) -> dict[str, str]:
    # grlc writes defaults as a list of one-key mappings.
    raw = meta.get("defaults") or []
    items = raw if isinstance(raw, list) else [raw]
    out: dict[str, str] = {}
    for item in items:
        if isinstance(item, dict):
            out.update({str(k): str(v) for k, v in item.items()})
    return out


# --------------------------------------------------------------------------- binding


def expand_iri(value: str) -> str:
    """``id:person/x`` → the full IRI, for the project's prefixes; anything else as given."""
    prefix, sep, local = value.partition(":")
    if sep and prefix in ns.PREFIXES and not local.startswith("//"):
        return ns.PREFIXES[prefix] + local
    return value


def resolve_values(query: StoredQuery, values: Mapping[str, str]) -> list[tuple[Param, str]]:
    """Each parameter given (or defaulted) with its value; InputError for an unknown
    parameter or a missing required one."""
    known = {p.name for p in query.params}
    for name in values:
        if name not in known:
            listing = ", ".join(sorted(known)) or "none"
            raise InputError(f"{query.name}: unknown parameter {name!r} (parameters: {listing})")
    out: list[tuple[Param, str]] = []
    for p in query.params:
        value = values.get(p.name, p.default)
        if value is None:
            if p.required:
                raise InputError(
                    f"{query.name}: missing required parameter {p.name!r} "
                    f"(-p {p.name}=VALUE, {p.type_label})"
                )
            continue
        out.append((p, value))
    return out


def term_for(param: Param, value: str) -> Term:
    """The RDF term (Oxigraph's) for a user's ``value`` of ``param``; InputError
    naming it if ill-formed.  A typed value is given in its canonical form (as
    rdflib writes it: `` 05 `` as an integer is ``5``), the same on every back end."""
    import pyoxigraph

    what = f"parameter {param.name}"
    check_text(value, what)  # before any term is made of it: UTF-8, no lone surrogate
    try:
        if param.type == "iri":
            iri = expand_iri(value)
            iri_term(iri, what)
            return pyoxigraph.NamedNode(iri)
        if param.type == "lang":
            literal_term(value, param.lang)  # InputError for a malformed language tag
            return pyoxigraph.Literal(value, language=param.lang)
        if param.type == "datatype" and param.datatype:
            lexical = _canonical(value, param.datatype)
            if lexical is None:
                raise InputError(f"{what}: {value!r} is not a valid {param.type_label}")
            return pyoxigraph.Literal(lexical, datatype=pyoxigraph.NamedNode(param.datatype))
        return pyoxigraph.Literal(value)
    except ValueError as exc:  # a term Oxigraph refuses (an IRI, a language tag)
        raise InputError(f"{what}: {value!r} is not usable: {exc}") from None


def _canonical(value: str, datatype: str) -> str | None:
    """``value``'s canonical lexical form for ``datatype``, or None if it is ill-typed."""
    regex = _CHECKED_BY_REGEX.get(datatype)
    if regex is not None:
        return value if regex.match(value) else None
    # rdflib knows which lexical forms each XSD datatype allows, and their canonical form.
    from rdflib.term import Literal, URIRef

    from .loading import quiet_rdflib_terms

    with quiet_rdflib_terms():  # rdflib logs a traceback for an ill-typed literal
        lit = Literal(value, datatype=URIRef(datatype))
        return None if lit.ill_typed else str(lit)


def bind_values(query: StoredQuery, values: Mapping[str, str]) -> dict[str, Term]:
    """Variable bindings for ``values`` (by parameter name), checked against ``query``."""
    return {p.variable: term_for(p, value) for p, value in resolve_values(query, values)}

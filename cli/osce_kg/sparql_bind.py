"""Check query parameters as RDF terms, and bind them for the text-based back ends.

:func:`check_bindings` checks every parameter for every back end.  The
embedded rdflib store then passes the terms as initBindings; Oxigraph and
remote endpoints receive the query text, so :func:`bind` writes the terms there.
A parameter value never becomes query text of its own: it is checked as an RDF
term (an IRI without forbidden characters, a literal with a well-formed
language tag) and written with SPARQL's term syntax, escaped, into one
``VALUES`` block that is put first in the query's WHERE group.  Whatever the
value holds — quotes, braces, ``#``, newlines — it stays inside one term, so it
cannot change the shape of the query.  Putting the block first in the group
(rather than after the query) means FILTERs and BINDs of the group see the
values: the engine evaluates ``Join(values, group)``, which for a variable of
the group's required patterns is what rdflib's initBindings give.

The WHERE group is found with a small scanner that skips comments, strings
and IRIs, so braces inside them do not confuse it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyoxigraph
    from rdflib.term import Identifier, URIRef, Variable

    # A parameter's value: an rdflib term, or Oxigraph's (what the command line binds:
    # a command that runs on the embedded store then never imports rdflib).
    Term = Identifier | pyoxigraph.NamedNode | pyoxigraph.Literal | pyoxigraph.BlankNode

from .errors import InputError

# Characters RFC 3987 / the SPARQL IRIREF production do not allow in an IRI.
_BAD_IRI_CHARS = re.compile(r'[\x00-\x20<>"{}|^`\\\x7f]')
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")
_LANG = LANGUAGE_TAG
_VARNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_IRIREF = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

_SURROGATE = re.compile(r"[\ud800-\udfff]")


def text_problem(value: str) -> str | None:
    """Why ``value`` is not text (a byte that was not UTF-8 on the command line
    arrives as a lone surrogate), or None."""
    bad = _SURROGATE.search(value)
    if bad is None:
        return None
    code = ord(bad.group())
    byte = f" (byte 0x{code - 0xDC00:02x})" if 0xDC80 <= code <= 0xDCFF else ""
    return f"not valid UTF-8 text{byte}"


def check_text(value: str, what: str) -> str:
    """``value``, or InputError naming ``what`` if it is not valid text."""
    problem = text_problem(value)
    if problem:
        raise InputError(f"{what}: {problem}")
    return value


def iri_problem(value: str) -> str | None:
    """Why ``value`` is not an absolute IRI we accept, or None if it is one."""
    if problem := text_problem(value):
        return problem
    if not _SCHEME.match(value):
        return "not an absolute IRI (no scheme such as https:)"
    bad = _BAD_IRI_CHARS.search(value)
    if bad:
        return f"character {bad.group()!r} is not allowed in an IRI"
    return None


def iri_term(value: str, what: str = "IRI") -> str:
    """An IRI a user gave, in SPARQL (and Turtle) syntax, checked (InputError naming
    ``what``): besides :func:`iri_problem`, the rest of RFC 3987 (brackets,
    percent-escapes, one fragment …) as Oxigraph reads it, since the store can
    hold no other IRI; every command that takes an IRI refuses the same ones."""
    import pyoxigraph

    problem = iri_problem(value)
    if problem is None:
        try:
            pyoxigraph.NamedNode(value)
        except ValueError as exc:
            problem = f"not a valid IRI ({exc})"
    if problem:
        raise InputError(f"{what}: {value!r}: {problem}")
    return f"<{value}>"


def check_iri(value: str, what: str = "IRI") -> URIRef:
    """``value`` as a URIRef, or InputError naming ``what``."""
    from rdflib.term import URIRef

    iri_term(value, what)
    return URIRef(value)


def quote_string(text: str) -> str:
    """``text`` as a short string literal of SPARQL, Turtle and N-Triples (and TSV results).

    Only the characters such a string cannot hold as themselves are escaped.
    (An engine that expands \\uXXXX before parsing, as SPARQL's pre-pass does,
    may read a backslash followed by "u0022" differently, but still as one
    string: the pre-pass can only make an escape or a syntax error of it, never
    query text.)
    """
    escaped = (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
    )
    return f'"{escaped}"'


def literal_term(value: str, lang: str | None = None, datatype: str | None = None) -> str:
    """A plain, language-tagged or typed literal in SPARQL syntax, escaped and checked."""
    check_text(value, "literal")
    text = quote_string(value)
    if lang:
        if not _LANG.match(lang):
            raise InputError(f"{lang!r} is not a language tag")
        return f"{text}@{lang}"
    if datatype is not None:
        return f"{text}^^{iri_term(datatype, 'datatype')}"
    return text


def sparql_term(term: Term) -> str:
    """One rdflib or Oxigraph term in SPARQL syntax, checked and escaped."""
    import pyoxigraph

    if isinstance(term, pyoxigraph.NamedNode):
        return iri_term(term.value)
    if isinstance(term, pyoxigraph.Literal):
        datatype = term.datatype.value
        plain = term.language or datatype == XSD_STRING
        return literal_term(term.value, term.language, None if plain else datatype)
    if isinstance(term, pyoxigraph.BlankNode):
        raise InputError("a blank node cannot be bound as a parameter")
    from rdflib.term import BNode, Literal, URIRef

    if isinstance(term, URIRef):
        return iri_term(str(term))
    if isinstance(term, Literal):
        written = str(term.datatype) if term.datatype is not None else None
        return literal_term(str(term), term.language, written)
    if isinstance(term, BNode):
        raise InputError("a blank node cannot be bound as a parameter")
    raise InputError(f"cannot bind {term!r} as a parameter")


def rdflib_term(term: Term) -> Identifier:
    """``term`` as rdflib's (an Oxigraph term converted by
    :class:`osce_kg.loading.TermConverter`)."""
    import pyoxigraph

    if isinstance(term, pyoxigraph.BlankNode):
        raise InputError("a blank node cannot be bound as a parameter")
    if isinstance(term, pyoxigraph.NamedNode | pyoxigraph.Literal):
        from .loading import TermConverter

        return TermConverter(fresh_bnodes=False)(term)
    return term


def check_bindings(bindings: Mapping[str, Term] | None) -> dict[Variable, Identifier]:
    """``bindings`` keyed by Variable, each name and term checked (InputError if bad),
    the terms as rdflib's."""
    from rdflib.term import Variable

    out: dict[Variable, Identifier] = {}
    for name, term in (bindings or {}).items():
        if not _VARNAME.match(name):
            raise InputError(f"{name!r} is not a SPARQL variable name")
        sparql_term(term)
        out[Variable(name)] = rdflib_term(term)
    return out


def values_block(terms: Mapping[str, str]) -> str:
    """``VALUES (?a ?b) { (t1 t2) }`` for terms already written by :func:`iri_term`,
    :func:`literal_term` or :func:`sparql_term` (never for raw user text)."""
    names = list(terms)
    for name in names:
        if not _VARNAME.match(name):
            raise InputError(f"{name!r} is not a SPARQL variable name")
    variables = " ".join(f"?{n}" for n in names)
    row = " ".join(terms[n] for n in names)
    return f"VALUES ({variables}) {{ ({row}) }}"


def scan_top_level(text: str) -> list[tuple[int, str]]:
    """Depth-0 structure of a query: (position, token) for words and braces."""
    tokens: list[tuple[int, str]] = []
    depth = 0
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end + 1
        elif ch in "\"'":
            long_quote = text.startswith(ch * 3, i)
            quote = ch * 3 if long_quote else ch
            j = i + len(quote)
            while j < n and not text.startswith(quote, j):
                j += 2 if text[j] == "\\" else 1
            i = j + len(quote)
        elif ch == "<" and (m := _IRIREF.match(text, i)):
            i = m.end()
        elif ch == "{":
            if depth == 0:
                tokens.append((i, "{"))
            depth += 1
            i += 1
        elif ch == "}":
            depth -= 1
            i += 1
        elif depth == 0 and (m := _WORD.match(text, i)) and (i == 0 or not text[i - 1].isalnum()):
            prev = text[i - 1] if i else " "
            if prev not in "?$:":
                tokens.append((i, m.group().upper()))
            i = m.end()
        else:
            i += 1
    return tokens


# Deeper than any real query; rdflib's parser (which reads every query for its
# variables) recurses per level, and a hostile query of 10,000 levels must be
# refused before it is parsed, by every engine alike.
MAX_NESTING = 64


# What a SPARQL scan must step over whole: comments, strings (long and short)
# and IRIs, inside which braces, "?" and keywords are text.  Every scan of
# query text below (nesting, variable order, osce_kg.gateway's SERVICE check)
# starts from this one pattern.
SKIPPED = (
    r'#[^\n]*|"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\x00-\x20]*>'
)
_BRACKETS = re.compile(SKIPPED + r"|([{(\[])|([})\]])")


def nesting_depth(text: str) -> tuple[int, int]:
    """The deepest nesting of ``{``, ``(`` and ``[`` in a query (comments, strings
    and IRIs skipped), and the index where it is first reached."""
    depth = deepest = at = 0
    for m in _BRACKETS.finditer(text):
        if m.group(1):
            depth += 1
            if depth > deepest:
                deepest, at = depth, m.start()
        elif m.group(2):
            depth -= 1
    return deepest, at


_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def unescape_codepoints(text: str) -> str:
    """``text`` with SPARQL's ``\\uXXXX`` / ``\\UXXXXXXXX`` escapes replaced, as an
    engine does before parsing (so a check cannot be dodged by writing ``{`` or
    a keyword's letters as escapes)."""

    def one(m: re.Match[str]) -> str:
        code = int(m.group(1) or m.group(2), 16)
        return chr(code) if code <= 0x10FFFF else m.group()

    return _CODEPOINT.sub(one, text) if "\\" in text else text


def check_nesting(text: str, where: str) -> None:
    """ParseError (with line and column) if ``text`` nests deeper than :data:`MAX_NESTING`."""
    from .errors import ParseError

    deepest, at = nesting_depth(unescape_codepoints(text))
    if deepest > MAX_NESTING:
        line = text.count("\n", 0, at) + 1
        column = at - (text.rfind("\n", 0, at) + 1) + 1
        raise ParseError(
            where,
            line,
            column,
            f"the query nests {deepest} levels deep (brackets and groups); "
            f"osce-kg reads at most {MAX_NESTING}",
        )


_TOKENS = re.compile(SKIPPED + r"|[?$]([A-Za-z0-9_\u00b7\u00c0-\ufffd]+)")


def variable_order(text: str) -> list[str]:
    """The query's variables in the order it first names them (comments, strings
    and IRIs skipped): the columns of ``SELECT *``, which SPARQL leaves unordered
    and engines order differently (Oxigraph by name, rdflib by hash)."""
    seen: dict[str, None] = {}
    for m in _TOKENS.finditer(text):
        if m.group(1):
            seen.setdefault(m.group(1), None)
    return list(seen)


QUERY_FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")


def query_kind(text: str) -> str:
    """SELECT, CONSTRUCT, DESCRIBE or ASK: the form of a query (comments and strings skipped)."""
    return _form([word for _, word in scan_top_level(text)])


def _form(words: list[str]) -> str:
    for word in words:
        if word in QUERY_FORMS:
            return word
    raise InputError("not a SPARQL query (no SELECT, CONSTRUCT, DESCRIBE or ASK)")


def where_position(text: str) -> int:
    """Index just after the ``{`` that opens the query's WHERE group."""
    tokens = scan_top_level(text)
    words = [t for _, t in tokens]
    start = words.index(_form(words))
    braces = [k for k in range(start, len(tokens)) if words[k] == "{"]
    if not braces:
        raise InputError("the query has no WHERE clause to bind parameters in")
    first = braces[0]
    if words[start] == "CONSTRUCT":
        if start + 1 < len(words) and words[start + 1] == "WHERE":
            raise InputError("parameters cannot be bound in the CONSTRUCT WHERE short form")
        if first == start + 1:  # the template; the WHERE group comes next
            if len(braces) < 2:
                raise InputError("the CONSTRUCT query has no WHERE group")
            first = braces[1]
    return tokens[first][0] + 1


def bind(text: str, bindings: Mapping[str, Term] | None) -> str:
    """``text`` with ``bindings`` as a VALUES block first in its WHERE group."""
    if not bindings:
        return text
    return bind_terms(text, {n: sparql_term(t) for n, t in bindings.items()})


def bind_terms(text: str, terms: Mapping[str, str]) -> str:
    """:func:`bind` for terms already written by :func:`sparql_term` / :func:`iri_term` /
    :func:`literal_term`."""
    if not terms:
        return text
    at = where_position(text)
    return f"{text[:at]} {values_block(terms)}\n{text[at:]}"

"""Refuse RDF/XML whose entities would expand beyond reason ("billion laughs").

RDF/XML may declare entities in its DTD (``<!ENTITY xsd "http://...#">``), and
Oxigraph's parser expands them as XML requires: ten entities that each repeat
the previous one ten times make a 3 GB literal from a 1 kB file.  Before such a
file is parsed, the internal entities are read from its DTD, the length each
expands to is computed (without expanding it), and the file is refused if one
entity, or all references in the file together, would expand beyond the
limits below.  External entities (``SYSTEM``/``PUBLIC``) and parameter
entities are refused too: osce-kg reads no file a document points to.
"""

from __future__ import annotations

import re

from .errors import ParseError

MAX_ENTITY_CHARS = 1_000_000
MAX_EXPANDED_CHARS = 50_000_000

_DECL = re.compile(rb"<!ENTITY\s+(%\s+)?([^\s%\"'>]+)\s+(?:\"([^\"]*)\"|'([^']*)'|([^>]*))\s*>")
_REF = re.compile(rb"&([A-Za-z_:][\w.:-]*);")
_PREDEFINED = {b"amp", b"lt", b"gt", b"quot", b"apos"}


def check_entities(where: str, data: bytes) -> None:
    """ParseError naming ``where`` if ``data`` (an RDF/XML document) declares
    entities that expand beyond the limits, or external or parameter entities."""
    if b"<!ENTITY" not in data:
        return
    values: dict[bytes, bytes] = {}
    for m in _DECL.finditer(data):
        name = m.group(2)
        if m.group(1) or m.group(5) is not None:
            what = "a parameter entity" if m.group(1) else "an external entity"
            raise ParseError(
                where,
                _line(data, m.start()),
                None,
                f"{what} ({name.decode(errors='replace')}): osce-kg reads no "
                "entity that points outside the document",
            )
        values.setdefault(name, m.group(3) if m.group(3) is not None else m.group(4))
    sizes: dict[bytes, int] = {}

    def size(name: bytes, path: tuple[bytes, ...]) -> int:
        if name in sizes:
            return sizes[name]
        if name in path:
            raise ParseError(
                where, None, None, f"XML entity &{name.decode(errors='replace')}; refers to itself"
            )
        value = values[name]
        total = len(value)
        for ref in _REF.finditer(value):
            inner = ref.group(1)
            if inner in values:
                total += size(inner, (*path, name)) - len(ref.group(0))
            if total > MAX_ENTITY_CHARS:
                break
        sizes[name] = total
        if total > MAX_ENTITY_CHARS:
            raise ParseError(
                where,
                None,
                None,
                f"XML entity &{name.decode(errors='replace')}; expands to more than "
                f"{MAX_ENTITY_CHARS:,} characters: refused (entity expansion)",
            )
        return total

    for name in values:
        size(name, ())
    body_start = data.find(b"]>")
    expanded = sum(
        sizes.get(m.group(1), 0)
        for m in _REF.finditer(data, max(body_start, 0))
        if m.group(1) not in _PREDEFINED
    )
    if expanded > MAX_EXPANDED_CHARS:
        raise ParseError(
            where,
            None,
            None,
            f"its XML entities expand to more than {MAX_EXPANDED_CHARS:,} characters "
            "in all: refused (entity expansion)",
        )


def _line(data: bytes, at: int) -> int:
    return data.count(b"\n", 0, at) + 1

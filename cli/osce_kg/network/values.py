"""Make attribute values safe for every export format.

Graph attributes can be anything Python holds; file formats cannot.  The
rules, the same for GEXF, GraphML and CSV (JSON keeps lists as lists):

* ``None`` is a missing value: nothing is written;
* lists, tuples and sets become one string, items joined by ``"; "`` (sets
  sorted first); dicts become JSON text;
* characters that XML 1.0 forbids (most C0 controls, lone surrogates,
  U+FFFE/U+FFFF) become U+FFFD, so the file stays well-formed;
* non-finite floats (NaN, ±inf) are written as text.
"""

from __future__ import annotations

import json
import math
import re

LIST_SEPARATOR = "; "

Scalar = str | int | float | bool

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """``text`` with characters XML 1.0 cannot carry replaced by U+FFFD."""
    return _XML_ILLEGAL.sub("\ufffd", text)


def flatten(value: object) -> Scalar | None:
    """One scalar for a value of any type (see the module docstring)."""
    if value is None:
        return None
    if isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, str):
        return xml_safe(value)
    if isinstance(value, set | frozenset):
        return xml_safe(LIST_SEPARATOR.join(sorted(_item(v) for v in value)))
    if isinstance(value, list | tuple):
        return xml_safe(LIST_SEPARATOR.join(_item(v) for v in value))
    if isinstance(value, dict):
        return xml_safe(json.dumps(value, sort_keys=True, ensure_ascii=False, default=str))
    return xml_safe(str(value))


def _item(value: object) -> str:
    flat = flatten(value)
    return "" if flat is None else str(flat)


def scalar_type(values: list[Scalar]) -> str:
    """The GEXF attribute type that holds every value: boolean, integer, long,
    double or string."""
    if not values:
        return "string"
    if all(isinstance(v, bool) for v in values):
        return "boolean"
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        ints = [int(v) for v in values]
        if all(-(2**31) <= v < 2**31 for v in ints):
            return "integer"
        if all(-(2**63) <= v < 2**63 for v in ints):
            return "long"
        return "string"
    if all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
        return "double"
    return "string"


def text_of(value: Scalar, type_: str) -> str:
    """How a value is written in an attribute of GEXF type ``type_``."""
    if type_ == "boolean":
        return "true" if value else "false"
    if type_ == "double":
        return repr(float(value))
    return xml_safe(str(value))

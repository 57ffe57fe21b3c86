"""Validation of the osce-kg graph and of users' own RDF files.

The library behind ``osce-kg validate``: :func:`validate` returns a
:class:`Report` of :class:`Result` records; :mod:`.reports` and
:mod:`.ci_reports` write it as text, JSON, a SHACL report graph, JUnit XML,
SARIF or GitHub workflow commands.
"""

from __future__ import annotations

from .model import Report, Result, Rule, Severity
from .run import ENGINES, validate

__all__ = ["ENGINES", "Report", "Result", "Rule", "Severity", "validate"]

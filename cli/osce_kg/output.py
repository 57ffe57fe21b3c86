"""Transitional: the two names ``commands/validate.py`` and ``quick.py`` still
import from here.

They belong to the command layer (:mod:`osce_kg.commands.options`); this module
goes when the one-pipeline validation/store change moves those two modules to
import them from there.
"""

from __future__ import annotations

from .commands.options import emit, output_options

__all__ = ["emit", "output_options"]

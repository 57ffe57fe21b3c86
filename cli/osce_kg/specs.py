"""Small frozen values that carry a command's options into library code.

The command layer builds them from its options (:mod:`osce_kg.commands.options`)
and hands one value to the library, rather than threading the same loose
arguments through every call.  This module imports only the standard library,
so the command layer may import it while ``osce-kg --help`` stays fast.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .store import Store


@dataclass(frozen=True)
class StoreSpec:
    """Where queries run: ``--store``, ``--endpoint``, ``--timeout``, ``--retries``.

    ``endpoint`` wins over ``store``; ``timeout`` (seconds) and ``retries``
    apply to the endpoint only.
    """

    store: str | None = None
    endpoint: str | None = None
    timeout: float = 30.0
    retries: int = 2

    def open(self) -> Store:
        """The store these options name (see :func:`osce_kg.store.open_store`)."""
        from .store import open_store

        return open_store(self.store, self.endpoint, timeout=self.timeout, retries=self.retries)

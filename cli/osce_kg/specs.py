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
    from .layout import DataLayout
    from .resultset import Store

STORES = ("oxigraph", "rdflib")


@dataclass(frozen=True)
class StoreSpec:
    """Where queries run: ``--store``, ``--endpoint``, ``--timeout``, ``--retries``,
    ``--graph``.

    ``endpoint`` wins over ``store``; ``timeout`` (seconds), ``retries``,
    ``graphs`` (the endpoint's named graphs that hold the dataset, read together
    as the default graph) and ``named_graphs`` (the named graphs a query's
    ``GRAPH`` patterns may see) apply to the endpoint only.
    """

    store: str | None = None
    endpoint: str | None = None
    timeout: float = 30.0
    retries: int = 2
    graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()

    def open(self, layout: DataLayout | None = None) -> Store:
        """The store these options name: ``endpoint`` if given, else ``store``:
        ``oxigraph`` (the default, the dataset store of ``layout``) or ``rdflib``."""
        from .errors import InputError

        if self.endpoint:
            from .endpoint import EndpointStore

            return EndpointStore(
                self.endpoint,
                timeout=self.timeout,
                retries=self.retries,
                graphs=self.graphs,
                named_graphs=self.named_graphs,
            )
        if self.graphs:
            raise InputError("--graph: only with --endpoint (the local store holds one dataset)")
        kind = (self.store or "oxigraph").strip()
        if kind not in STORES:
            raise InputError(f"--store: unknown store {kind!r} (use {' or '.join(STORES)})")
        from .store import OxigraphStore, RdflibStore

        return OxigraphStore.open(layout) if kind == "oxigraph" else RdflibStore.default(layout)

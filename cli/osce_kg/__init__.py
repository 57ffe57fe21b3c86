"""osce-kg: a knowledge graph of OSCE actors and events, and the tool that builds,
validates, queries, analyses and exports it."""

from .version import __version__ as __version__

# The Python API (osce_kg.api), loaded on first use so that importing the
# package (as the command line does) stays light.
_API = (
    "init_workspace",
    "open_workspace",
    "query",
    "validate",
    "network_graph",
    "search",
    "show",
)


def __getattr__(name: str) -> object:
    if name in _API:
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module 'osce_kg' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_API])

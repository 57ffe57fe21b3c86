"""osce-kg: a knowledge graph of OSCE actors and events, and the tool that builds,
validates, queries, analyses and exports it."""

__version__ = "0.1.0"

"""Find the project's data folders (ontology, shapes, graph, queries).

One function serves every way osce-kg is installed:

* a source checkout or an editable install: the package lives in
  ``<repo>/cli/osce_kg`` and the folders are at ``<repo>/``;
* a built wheel: the folders are copied into the package as ``osce_kg/_data``.

``OSCE_KG_DATA`` overrides both, for a user's own copy of the data.
"""

from __future__ import annotations

import os
from pathlib import Path

DATA_FOLDERS = ("ontology", "shapes", "graph", "queries")

_PACKAGE_DIR = Path(__file__).resolve().parent


def data_root() -> Path:
    """The folder that holds ``ontology/``, ``shapes/``, ``graph/`` and ``queries/``."""
    override = os.environ.get("OSCE_KG_DATA")
    if override:
        return Path(override)
    bundled = _PACKAGE_DIR / "_data"
    if (bundled / "ontology").is_dir():
        return bundled
    checkout = _PACKAGE_DIR.parent.parent
    if (checkout / "ontology").is_dir():
        return checkout
    raise FileNotFoundError(
        f"osce-kg data folders not found (looked in {bundled} and {checkout}); "
        "set OSCE_KG_DATA to the folder that holds ontology/ and graph/"
    )


def data_dir(name: str) -> Path:
    """One of the data folders, by name."""
    if name not in DATA_FOLDERS:
        raise ValueError(f"unknown data folder {name!r}; expected one of {DATA_FOLDERS}")
    return data_root() / name

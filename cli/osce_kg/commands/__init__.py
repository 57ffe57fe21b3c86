"""The CLI's sub-commands, one module each, imported lazily by :mod:`osce_kg.cli`."""

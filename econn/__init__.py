"""econn: a local workbench for e-connecteur CSV exchanges between a French GC and web shops.

The public surface is re-exported here lazily, so that ``import econn`` stays light
(no pandas, no widgets) until a name is used.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_EXPORTS: dict[str, str] = {
    "sniff": "econn.reading.sniffer",
    "read_csv": "econn.reading.loaders",
    "LoadResult": "econn.reading.loaders",
    "type_columns": "econn.reading.values",
    "parse_decimal": "econn.reading.values",
    "parse_date": "econn.reading.values",
    "map_headers": "econn.reading.headers",
    "remember_mapping": "econn.reading.headers",
    "find_duplicates": "econn.duplicates",
    "Dialect": "econn.reading.dialect",
    "Finding": "econn.findings",
    "Level": "econn.findings",
    "EconnError": "econn.errors",
    "import_reference": "econn.reading.reference",
    "build_demo": "econn.demo.build",
    "resolve_workspace": "econn.store.workspace",
}

__all__ = sorted(_EXPORTS) + ["__version__"]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'econn' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value

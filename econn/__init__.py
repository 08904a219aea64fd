"""econn: a local workbench for e-connecteur CSV exchanges between a French GC and web shops.

The public surface is re-exported here lazily, so that ``import econn`` stays light
(no pandas, no widgets) until a name is used.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_EXPORTS: dict[str, str] = {
    "sniff": "econn.sniffer",
    "read_csv": "econn.loaders",
    "LoadResult": "econn.loaders",
    "type_columns": "econn.values",
    "parse_decimal": "econn.values",
    "parse_date": "econn.values",
    "map_headers": "econn.headers",
    "remember_mapping": "econn.headers",
    "find_duplicates": "econn.duplicates",
    "Dialect": "econn.dialect",
    "Finding": "econn.findings",
    "Level": "econn.findings",
    "EconnError": "econn.errors",
    "import_reference": "econn.reference",
    "build_demo": "econn.demo",
    "resolve_workspace": "econn.workspace",
}

__all__ = sorted(_EXPORTS) + ["__version__"]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'econn' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value

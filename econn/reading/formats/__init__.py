"""Known export formats of web shops and GC software, as data: headers, mapping, semantics, sources.

A :class:`SourceFormat` says, for one named export (« Export des commandes Shopify »…), which headers it
writes (one tuple per language), which canonical field of :mod:`econn.reading.headers` each header is
(``None``: a column econn knows and does not import), and how its values must be read
(:class:`Semantics`: prices HT or TTC, shipping HT or TTC, order-level fields given on the first line
only, prefixes to strip, full names to split…). :func:`detect_format` recognises a file's format from its
headers; :func:`econn.reading.headers.map_headers` then takes the format's mapping before any synonym or
fuzzy match. The research behind each entry (sources, what is unverified) is in ``docs/formats.md``.

Modules: ``model`` (what a format is), one module per platform family holding its entries (``shopify``,
``woocommerce``, ``prestashop``, ``magento``, ``gc``), ``detection`` (the registry, lookup by id or by
headers), ``apply`` (the value rules of the semantics: full names, multi-line addresses).
"""

from __future__ import annotations

from .detection import FORMATS, MIN_SIGNATURE, UnknownFormatError, detect_format, get_format, resolve_format
from .model import Semantics, SourceFormat

__all__ = ["FORMATS", "MIN_SIGNATURE", "Semantics", "SourceFormat", "UnknownFormatError", "detect_format",
           "get_format", "resolve_format"]

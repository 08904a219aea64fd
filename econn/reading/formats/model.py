"""What a registered export format is: its headers, mapping, semantics and sources (:class:`SourceFormat`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from ..headers import normalize

__all__ = ["Semantics", "SourceFormat", "build"]


@dataclass(frozen=True)
class Semantics:
    """How a format's values must be read.

    Attributes:
        prices: ``HT`` or ``TTC`` (unit prices of lines, or of articles); ``None`` when it has none.
        shipping: ``HT`` or ``TTC`` for the shipping amount; ``None`` when it has none.
        discount: how an order-level discount is given: ``TTC`` (an amount with tax, not in the line prices),
            ``HT``, ``dans les lignes`` (already in the line prices), or ``None``.
        first_line_only: canonical fields given on an order's first line only (forward-filled to its lines).
        decimal: decimal separator of the amounts.
        dates: how dates are written.
        strip_prefix: canonical field → characters to strip at the start of its values (Shopify's ``'``).
        split_names: canonical field holding a full name → (prénom field, nom field) it is split into
            when the file has no separate fields.
        inverted: canonical boolean fields whose values mean the opposite (« en sommeil » → actif).
        lines: the export holds order lines (False: one row per order, totals only).
        price_ttc_flag: header of a per-row flag saying the price is TTC (Sage's ``AR_PrixTTC`` = 1).
        country_names: canonical fields holding a country *name* (« France »), to turn into an ISO code.
        detect_ht_orders: ``prices`` and ``shipping`` say TTC, but an order whose total is subtotal + shipping +
            taxes (``sous_total``) comes from a shop in HT prices and is read HT (Shopify writes no mode).
        optional_trailing: the last headers, which the export's rows may leave out (PrestaShop writes
            « Position » in the header of its products export, a value only when the list is filtered by
            category): a file whose rows have that many values fewer is read without them.
        notes: what else a reader must know (French, shown in the docs).
    """

    prices: str | None = None
    shipping: str | None = None
    discount: str | None = None
    first_line_only: tuple[str, ...] = ()
    decimal: str = "."
    dates: str = ""
    strip_prefix: dict[str, str] = field(default_factory=dict)
    split_names: dict[str, tuple[str, str]] = field(default_factory=dict)
    inverted: tuple[str, ...] = ()
    lines: bool = True
    price_ttc_flag: str | None = None
    country_names: tuple[str, ...] = ()
    detect_ht_orders: bool = False
    optional_trailing: tuple[str, ...] = ()
    notes: str = ""


@dataclass(frozen=True)
class SourceFormat:
    """One named export format.

    Attributes:
        id: stable identifier (``shopify-orders``).
        label: French label (« Export des commandes Shopify »).
        flow: ``documents``, ``tiers`` or ``articles`` (the flows of :mod:`econn.reading.headers`).
        headers: the header row, per language (``{"en": (...), "fr": (...)}``), in the export's order.
        mapping: header → canonical field (``None``: known, not imported); headers of every language.
        signature: the distinctive headers that recognise the format (every language pooled).
        semantics: how values are read.
        source: where the headers and semantics come from.
        unverified: what the sources did not confirm.
    """

    id: str
    label: str
    flow: str
    headers: dict[str, tuple[str, ...]]
    mapping: dict[str, str | None]
    signature: tuple[str, ...]
    semantics: Semantics
    source: str
    unverified: str = ""

    @cached_property
    def normalized_mapping(self) -> dict[str, str | None]:
        """Normalised header (:func:`econn.reading.headers.normalize`) → canonical field or None; every
        header of every language is present (``None`` when not imported)."""
        out: dict[str, str | None] = {}
        for names in self.headers.values():
            for h in names:
                out.setdefault(normalize(h), None)
        out.update({normalize(h): f for h, f in self.mapping.items()})
        return out

    def field_of(self, header: str) -> tuple[bool, str | None]:
        """(the format knows this header, its canonical field or None)."""
        n = normalize(header)
        return (n in self.normalized_mapping, self.normalized_mapping.get(n))

    def to_dict(self, score: float | None = None) -> dict[str, object]:
        """``{"id", "label", "score"}`` (the shape of ``econn preview --json``)."""
        return {"id": self.id, "label": self.label, "score": score}


def build(id: str, label: str, flow: str, headers: dict[str, str], mapping: dict[str, str | None],
          signature: str, semantics: Semantics, source: str, unverified: str = "") -> SourceFormat:
    """Build a format from ``|``-joined header strings (``|``, not ``,``: some headers hold commas)."""
    hdrs = {lang: tuple(text.split("|")) for lang, text in headers.items()}
    known = {normalize(n) for names in hdrs.values() for n in names}
    unknown = [h for h in list(mapping) + signature.split("|") if normalize(h) not in known]
    assert not unknown, f"{id}: headers not in the header list: {unknown}"
    return SourceFormat(id, label, flow, hdrs, mapping, tuple(signature.split("|")), semantics, source, unverified)

"""The registry of export formats, and how a file's format is found: by id, or from its headers."""

from __future__ import annotations

from ...errors import EconnError
from ..headers import normalize
from .gc import GC
from .magento import MAGENTO
from .model import SourceFormat
from .prestashop import PRESTASHOP
from .shopify import SHOPIFY
from .woocommerce import WOOCOMMERCE

__all__ = ["FORMATS", "MIN_SIGNATURE", "UnknownFormatError", "absent_trailing", "detect_format", "get_format",
           "resolve_format"]

# Share of a format's signature headers a file must hold to be recognised (users may hide a few columns).
MIN_SIGNATURE = 0.6

FORMATS: tuple[SourceFormat, ...] = (*SHOPIFY, *WOOCOMMERCE, *PRESTASHOP, *MAGENTO, *GC)

_BY_ID = {f.id: f for f in FORMATS}


class UnknownFormatError(EconnError):
    """``--format`` names no registered format, or one of another flow."""


def get_format(format_id: str, flow: str | None = None) -> SourceFormat:
    """The registered format with this id (of this flow, when given).

    Raises:
        UnknownFormatError: unknown id, or a format of another flow (French message lists the choices).
    """
    fmt = _BY_ID.get(format_id)
    if fmt is None or (flow is not None and fmt.flow != flow):
        ids = ", ".join(f.id for f in FORMATS if flow is None or f.flow == flow)
        why = "inconnu" if fmt is None else f"d'un autre flux ({fmt.flow}, pas {flow})"
        raise UnknownFormatError(f"unknown format {format_id!r} for flow {flow}",
                                 f"Format « {format_id} » {why} : choisissez parmi {ids}.")
    return fmt


def resolve_format(headers: list[str], flow: str | None = None,
                   forced: str | None = None) -> tuple[SourceFormat, float | None] | None:
    """The format imposed by ``forced`` (score None), else the one :func:`detect_format` recognises."""
    if forced:
        return get_format(forced, flow), None
    return detect_format(headers, flow)


def detect_format(headers: list[str], flow: str | None = None) -> tuple[SourceFormat, float] | None:
    """Recognise a file's export format from its headers.

    A format fits when the file holds at least :data:`MIN_SIGNATURE` of its signature headers; the score
    (0–1) weighs that share (0.8) with the share of the file's headers the format knows (0.2), so that
    a file with the whole header scores 1.

    Args:
        headers: the file's headers.
        flow: only formats of this flow (``documents``, ``tiers``, ``articles``).

    Returns:
        (format, score) of the best fitting format, or None when none fits.
    """
    seen = {normalize(h) for h in headers if h}
    best: tuple[SourceFormat, float] | None = None
    for fmt in FORMATS:
        if flow is not None and fmt.flow != flow:
            continue
        sig = {normalize(h) for h in fmt.signature}
        # A format with several languages: a file is written in one, so the share is taken per language.
        shares = []
        for names in fmt.headers.values():
            lang = {normalize(h) for h in names}
            s = sig & lang
            if s:
                shares.append((len(s & seen) / len(s), len(lang & seen) / max(len(seen), 1)))
        if not shares:
            continue
        sig_share, known_share = max(shares)
        if sig_share < MIN_SIGNATURE:
            continue
        score = round(0.8 * sig_share + 0.2 * known_share, 3)
        if best is None or score > best[1]:
            best = (fmt, score)
    return best


def absent_trailing(header: list[str], first_row: list[str]) -> int:
    """How many trailing header columns a file's rows leave out, as its export format allows.

    Args:
        header: the file's header.
        first_row: the values of its first row.

    Returns:
        The number of missing values when the file's recognised format declares that many trailing
        headers optional (:attr:`econn.reading.formats.Semantics.optional_trailing`, PrestaShop's
        « Position ») and they end the header; else 0 (a short row of any other file stays a reject).
    """
    k = len(header) - len(first_row)
    found = detect_format(header) if k > 0 else None
    optional = found[0].semantics.optional_trailing if found else ()
    if not optional or k > len(optional):
        return 0
    return k if [normalize(h) for h in header[-k:]] == [normalize(h) for h in optional[-k:]] else 0

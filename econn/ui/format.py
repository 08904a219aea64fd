"""French display formats and HTML escaping for everything the pages show."""

from __future__ import annotations

import base64
import datetime as dt
import html
from decimal import Decimal
from typing import Any

NBSP = "\u00a0"
NNBSP = "\u202f"


def esc(value: Any) -> str:
    """Text for HTML: a client's value is always shown literally, never interpreted."""
    if value is None:
        return ""
    return html.escape(str(value), quote=True)


def fr_number(value: float | Decimal | int | None, decimals: int = 2) -> str:
    """1234.5 → « 1 234,50 » (narrow no-break space for thousands, comma for decimals)."""
    if value is None:
        return ""
    s = f"{float(value):,.{decimals}f}"
    return s.replace(",", NNBSP).replace(".", ",")


def fr_amount(value: float | Decimal | int | None) -> str:
    """1234.56 → « 1 234,56 € »."""
    return "" if value is None else f"{fr_number(value)}{NBSP}€"


def fr_int(value: int | None) -> str:
    """12345 → « 12 345 »."""
    return "" if value is None else fr_number(value, 0)


def fr_agree(value: int, word: str, plural: str | None = None) -> str:
    """``word`` agreeing with the number ``value``: « supprimée » for 0 or 1, « supprimées » from 2.

    French puts 0 and 1 in the singular; ``plural`` defaults to ``word`` + « s », or ``word`` itself when
    it already ends in s, x or z.
    """
    if abs(value) < 2:
        return word
    return plural or (word if word.endswith(("s", "x", "z")) else word + "s")


def fr_count(value: int, word: str, plural: str | None = None) -> str:
    """« 0 alerte », « 1 alerte », « 2 alertes », « 1 234 erreurs », « 3 succès » (:func:`fr_agree`)."""
    return f"{fr_int(value)} {fr_agree(value, word, plural)}"


def fr_date(value: dt.date | dt.datetime | None, with_time: bool = False) -> str:
    """A date as dd/mm/yyyy (and hh:mm when asked)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y %H:%M" if with_time else "%d/%m/%Y")
    return value.strftime("%d/%m/%Y")


def html_table(rows: list[dict[str, Any]], columns: list[tuple[str, str]], css: str = "econn-table") -> str:
    """A small HTML table; every cell escaped. ``columns`` is (key, French title)."""
    head = "".join(f"<th>{esc(title)}</th>" for _, title in columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{esc(r.get(k))}</td>" for k, _ in columns) + "</tr>" for r in rows
    )
    return f'<table class="{css}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download_link(data: bytes, filename: str, label: str, css: str = "econn-download-link",
                  mime: str = XLSX_MIME) -> str:
    """A link carrying the file in a ``data:`` URI: Voilà serves no files, so the page hands them over itself."""
    b64 = base64.b64encode(data).decode("ascii")
    return f'<a class="{esc(css)}" download="{esc(filename)}" href="data:{mime};base64,{b64}">{esc(label)}</a>'

"""A paged, sortable, filterable table widget for the pages' large tables (issue #9).

:class:`DataTable` keeps its rows in a DataFrame and renders only the current page into one ``w.HTML``:
« Suivant » re-renders at most ``page_size`` rows. Filtering (a text over the shown columns, case- and
accent-insensitive; one value per column) and sorting (numbers as numbers, French text without accents
or case) are vectorised pandas/numpy operations on keys computed once per data set. Every cell goes
through :func:`~econn.ui.format.esc`: values come from client files.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import ipywidgets as w
import numpy as np
import pandas as pd

from .common import css as _css
from .format import esc, fr_count, fr_int

if TYPE_CHECKING:
    from .common import MessagePanel

__all__ = ["DataTable", "PAGE_SIZES", "fold"]

Columns = Sequence[tuple[str, str]]
Rows = pd.DataFrame | Iterable[Mapping[str, Any]] | None

PAGE_SIZES = (25, 50, 100, 500)
SMALL = 25          # a table this short shows no filter, sort or page-size controls
_MARKS = "[\u0300-\u036f]"   # combining accents left by NFKD: « é » → « e » + U+0301
_SCROLL = '<div style="overflow-x:auto; max-width:100%">{}</div>'


def fold(s: pd.Series) -> pd.Series:
    """Text without accents or case, for filtering and sorting: « Éléphant » → « elephant »."""
    return s.str.normalize("NFKD").str.replace(_MARKS, "", regex=True).str.casefold()


def _fold_one(text: str) -> str:
    return re.sub(_MARKS, "", unicodedata.normalize("NFKD", text)).casefold().strip()


def _texts(s: pd.Series, fmt: Callable[[Any], str] | None = None) -> pd.Series:
    """A column as display text: missing → "", whole floats without « .0 », ``fmt`` for the rest."""
    if fmt is not None:
        return s.map(lambda v: "" if v is None or v is pd.NA or v != v else fmt(v))
    text = s.astype("string").fillna("")
    return text.str.replace(r"\.0$", "", regex=True) if pd.api.types.is_float_dtype(s.dtype) else text


class DataTable(w.VBox):
    """A table over row dicts or a DataFrame: one page at a time, « Filtrer », « Trier par », pages.

    Args:
        columns: the shown columns, as (key, French label).
        data: the rows (list of dicts or DataFrame); extra keys may feed filters and row attributes.
        page_size: rows per page (one of :data:`PAGE_SIZES` is offered in the page-size choice).
        css_class: CSS class of the widget (the page's selector, e.g. ``econn-rejects``).
        table_class: CSS class of the ``<table>`` element.
        title: plain-text heading shown above the table; ``heading`` is its tag.
        empty_text: shown when there is no row; empty hides the whole widget instead.
        noun: (singular, plural) of the count line: « 20 000 lignes ».
        filters: (key, French label) of the columns filtered by one value (a Dropdown each).
        formats: key → function giving a cell's text from its raw value (then escaped); the text
            filter sees that text, sorting the raw value (amounts sort as numbers).
        cell_html: key → function wrapping the already escaped text of a cell in HTML.
        row_class: CSS class of every ``<tr>``; ``row_attrs``: attribute name → key (``data-code``).
        messages: the page's message panel, where a failing callback says why (without one, the error
            goes to ipywidgets' log).
    """

    def __init__(self, columns: Columns, data: Rows = None, *, page_size: int = 50, css_class: str = "",
                 table_class: str = "econn-table", title: str = "", heading: str = "h4",
                 empty_text: str = "Aucune ligne.", noun: tuple[str, str] = ("ligne", "lignes"),
                 filters: Columns = (), formats: Mapping[str, Callable[[Any], str]] | None = None,
                 cell_html: Mapping[str, Callable[[str], str]] | None = None, row_class: str = "",
                 row_attrs: Mapping[str, str] | None = None, messages: MessagePanel | None = None) -> None:
        super().__init__()
        _css(self, "econn-datatable", *css_class.split())
        self.columns = list(columns)
        self.table_class, self.heading_tag = table_class, heading
        self.empty_text, self.noun = empty_text, noun
        self.formats, self.cell_html = dict(formats or {}), dict(cell_html or {})
        self.row_class, self.row_attrs = row_class, dict(row_attrs or {})
        self.messages = messages
        self.title = title
        self.page = 0
        self._quiet = False
        self._rows = np.arange(0)
        self._filters: dict[str, str] = {}
        self._cache: dict[tuple[str, str], Any] = {}
        g, auto, initial = self._guard, {"width": "auto"}, {"description_width": "initial"}

        self.heading = _css(w.HTML(), "econn-dt-title")
        self.filter_text = _css(w.Text(placeholder="Filtrer", layout={"width": "16em"}), "econn-dt-filter")
        self.value_filters = {k: _css(w.Dropdown(description=t, options=[("Tous", "")], style=initial),
                                      "econn-dt-value-filter", f"econn-dt-filter-{k}") for k, t in filters}
        sort_options = [("—", ""), *[(t, k) for k, t in columns]]
        self.sort_by = _css(w.Dropdown(description="Trier par", options=sort_options, style=initial,
                                       layout={"width": "18em"}), "econn-dt-sort")
        self.descending = _css(w.ToggleButton(description="Croissant", icon="sort-amount-asc", layout=auto),
                               "econn-dt-order")
        sizes = sorted({*PAGE_SIZES, page_size})
        self.page_size = _css(w.Dropdown(options=[(f"{n} par page", n) for n in sizes], value=page_size,
                                         layout={"width": "9em"}), "econn-dt-size")
        self.count = _css(w.HTML(), "econn-dt-count")
        self.body = _css(w.HTML(), "econn-dt-body")
        self.prev_button = _css(w.Button(description="« Précédent", layout=auto), "econn-dt-prev")
        self.next_button = _css(w.Button(description="Suivant »", layout=auto), "econn-dt-next")
        self.page_label = _css(w.HTML(), "econn-dt-page")
        self.controls = _css(w.HBox([self.filter_text, *self.value_filters.values(), self.sort_by,
                                     self.descending, self.page_size], layout={"flex_flow": "row wrap"}),
                             "econn-dt-controls")
        self.pager = _css(w.HBox([self.prev_button, self.page_label, self.next_button]), "econn-dt-pager")
        self.children = [self.heading, self.controls, self.count, self.body, self.pager]

        for widget in (self.filter_text, self.sort_by, self.descending, *self.value_filters.values()):
            widget.observe(g(lambda _c: None if self._quiet else self._refilter()), "value")
        self.page_size.observe(g(lambda _c: self.goto(0)), "value")
        self.prev_button.on_click(g(lambda _b: self.goto(self.page - 1)))
        self.next_button.on_click(g(lambda _b: self.goto(self.page + 1)))
        self.set_data(data)

    # --- data ------------------------------------------------------------------------------------
    def set_data(self, data: Rows, *, title: str | None = None) -> None:
        """Show new rows (first page); the filter text, value filters and sort are kept."""
        if isinstance(data, pd.DataFrame):
            frame = data.reset_index(drop=True)
        else:
            frame = pd.DataFrame.from_records(list(data or []))
        needed = (*[k for k, _ in self.columns], *self.value_filters, *self.row_attrs.values())
        missing = [k for k in needed if k not in frame.columns]
        self.frame = frame.assign(**dict.fromkeys(missing)) if missing else frame
        self._cache = {}
        self.title = self.title if title is None else title
        self._quiet = True
        try:
            for key, dd in self.value_filters.items():
                values = self._text(key)
                options = sorted(pd.unique(values[values != ""]), key=_fold_one)
                current = dd.value
                dd.options = [("Tous", ""), *[(str(v), str(v)) for v in options]]
                dd.value = current if current in options else ""
        finally:
            self._quiet = False
        self._refilter()

    def clear(self) -> None:
        """No rows (the widget keeps its settings)."""
        self.set_data(None)

    def set_filters(self, values: Mapping[str, str]) -> None:
        """Keep the rows whose text in column ``key`` equals ``value`` ('' = no filter), e.g. a page's own
        « Niveau » and « Code » choices."""
        self._filters = {k: v for k, v in values.items() if v}
        self._refilter()

    def positions(self) -> np.ndarray:
        """Positions, in the data given, of the rows the filters keep, in the shown order (for exports)."""
        return self._rows.copy()

    @property
    def total(self) -> int:
        """Rows in the data."""
        return len(self.frame)

    @property
    def shown(self) -> int:
        """Rows the filters keep."""
        return len(self._rows)

    @property
    def pages(self) -> int:
        """Number of pages (at least 1)."""
        return max(1, -(-self.shown // int(self.page_size.value)))

    @property
    def value(self) -> str:
        """The HTML on screen: heading, count line and current page (read like a ``w.HTML``'s value)."""
        return self.heading.value + self.count.value + self.body.value

    # --- filtering and sorting -----------------------------------------------------------------------
    def _text(self, key: str) -> pd.Series:
        if ("text", key) not in self._cache:
            self._cache[("text", key)] = _texts(self.frame[key], self.formats.get(key))
        return self._cache[("text", key)]

    def _folded(self, key: str, raw: bool = False) -> tuple[np.ndarray, pd.Series]:
        """A column as (code per row, folded distinct texts): folding runs once per distinct value.
        ``raw``: of the value itself rather than its display format (ISO dates sort right)."""
        raw = raw and key in self.formats
        if (f"fold{raw}", key) not in self._cache:
            text = _texts(self.frame[key]) if raw else self._text(key)
            codes, uniques = pd.factorize(text)
            self._cache[(f"fold{raw}", key)] = (codes, fold(pd.Series(uniques, dtype="string")))
        return self._cache[(f"fold{raw}", key)]

    def _sort_key(self, key: str) -> np.ndarray:
        """A float per row: the number itself, else the rank of the folded text; missing = NaN (last)."""
        if ("sort", key) not in self._cache:
            raw = self.frame[key]
            num = raw if pd.api.types.is_numeric_dtype(raw) else pd.to_numeric(raw, errors="coerce")
            if not pd.api.types.is_numeric_dtype(raw) and num.notna().sum() != (_texts(raw) != "").sum():
                num = num.iloc[:0]      # some text is not a number: sort as text
            if num.notna().any():
                out = num.to_numpy(dtype=float, na_value=np.nan)
            else:
                codes, uniques = self._folded(key, raw=True)
                rank = np.array(uniques.rank(method="dense"), dtype=float)
                rank[(uniques == "").to_numpy(dtype=bool)] = np.nan
                out = rank[codes]
            self._cache[("sort", key)] = out
        return self._cache[("sort", key)]

    def _refilter(self) -> None:
        mask = np.ones(len(self.frame), dtype=bool)
        needle = _fold_one(self.filter_text.value or "")
        if needle and len(self.frame):
            found = np.zeros(len(self.frame), dtype=bool)
            for key, _ in self.columns:      # per column, on its distinct values only
                codes, uniques = self._folded(key)
                found |= uniques.str.contains(needle, regex=False).to_numpy(dtype=bool)[codes]
            mask &= found
        wanted = {**self._filters, **{k: dd.value for k, dd in self.value_filters.items() if dd.value}}
        for key, value in wanted.items():
            mask &= (self._text(key) == value).to_numpy(dtype=bool)
        rows = np.flatnonzero(mask)
        key = self.sort_by.value
        self.descending.description = "Décroissant" if self.descending.value else "Croissant"
        self.descending.icon = "sort-amount-desc" if self.descending.value else "sort-amount-asc"
        if key and len(rows):
            k = self._sort_key(key)[rows]
            rows = rows[np.argsort(-k if self.descending.value else k, kind="stable")]
        self._rows = rows
        self.goto(0)

    # --- rendering ---------------------------------------------------------------------------------
    def goto(self, page: int) -> None:
        """Show page ``page`` (0-based, clamped): renders at most ``page_size`` rows."""
        size = int(self.page_size.value)
        self.page = min(max(page, 0), self.pages - 1)
        pos = self._rows[self.page * size:(self.page + 1) * size]
        filtering = bool(self.filter_text.value or self._filters
                         or any(d.value for d in self.value_filters.values()))
        tag = self.heading_tag
        self.heading.value = f"<{tag}>{esc(self.title)}</{tag}>" if self.title else ""
        self.layout.display = "none" if not self.total and not self.empty_text else ""
        self.controls.layout.display = "" if self.total > SMALL or filtering else "none"
        self.pager.layout.display = "" if self.pages > 1 else "none"
        self.prev_button.disabled = self.page == 0
        self.next_button.disabled = self.page >= self.pages - 1
        self.page_label.value = f"page {fr_int(self.page + 1)} / {fr_int(self.pages)}"
        if not self.total:
            self.body.value = f'<div class="econn-muted">{esc(self.empty_text)}</div>'
        elif not len(pos):
            self.body.value = '<div class="econn-muted">Aucune ligne ne correspond au filtre.</div>'
        else:
            self.body.value = _SCROLL.format(self._table_html(pos))
        # After the rows: the browser applies the updates in order, so a new count never sits over old rows.
        self.count.value = self._count_html() if self.total else ""

    def _count_html(self) -> str:
        def n(k: int) -> str:
            return fr_count(k, *self.noun)
        text = n(self.shown) if self.shown == self.total else f"{n(self.shown)} sur {fr_int(self.total)}"
        return f'<div class="econn-muted">{esc(text)}</div>'

    def _table_html(self, pos: np.ndarray) -> str:
        sub = self.frame.iloc[pos]
        keys = [k for k, _ in self.columns]
        cells = {k: [esc(t) for t in _texts(sub[k], self.formats.get(k))] for k in keys}
        for k, wrap in self.cell_html.items():
            if k in cells:
                cells[k] = [wrap(t) for t in cells[k]]
        attrs = {a: [esc(t) for t in _texts(sub[k])] for a, k in self.row_attrs.items()}
        tr = f'<tr class="{esc(self.row_class)}"' if self.row_class else "<tr"
        body = "".join(tr + "".join(f' {a}="{v[i]}"' for a, v in attrs.items()) + ">"
                       + "".join(f"<td>{cells[k][i]}</td>" for k in keys) + "</tr>" for i in range(len(pos)))
        mark = "▼" if self.descending.value else "▲"
        head = "".join(f'<th class="econn-dt-sorted">{esc(label)} {mark}</th>' if k == self.sort_by.value
                       else f"<th>{esc(label)}</th>" for k, label in self.columns)
        return (f'<table class="{esc(self.table_class)}"><thead><tr>{head}</tr></thead>'
                f"<tbody>{body}</tbody></table>")

    def _guard(self, fn: Callable[..., None]) -> Callable[..., None]:
        """A callback that reports its failure on the page (Voilà hides tracebacks)."""
        def run(*args: Any) -> None:
            try:
                fn(*args)
            except Exception as exc:  # a callback must never fail silently
                if self.messages is None:
                    raise
                self.messages.report(exc)
        return run


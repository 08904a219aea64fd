"""The paged, sortable, filterable DataTable (econn.ui.table) and the reception tables built on it."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from econn.reading.dialect import Dialect, Reject
from econn.ui import table as table_mod
from econn.ui.common import MessagePanel
from econn.ui.format import fr_agree, fr_amount, fr_count
from econn.ui.reception_data import LoadSummary
from econn.ui.reception_view import rejects_table, show_rejects
from econn.ui.table import DataTable

COLS = [("name", "Nom"), ("n", "Nombre")]


def _cells(t: DataTable, col: int = 0) -> list[str]:
    """The text of column ``col`` in the rendered page, in order."""
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", t.body.value)[1:]          # skip the header row
    return [re.findall(r"<td>(.*?)</td>", r)[col] for r in rows]


def _rendered_rows(t: DataTable) -> int:
    return t.body.value.count("</tr>") - 1


def test_paging_bounds_and_labels() -> None:
    t = DataTable(COLS, [{"name": f"r{i}", "n": i} for i in range(120)])
    assert t.pages == 3 and t.page == 0 and _rendered_rows(t) == 50
    assert "120 lignes" in t.count.value and t.page_label.value == "page 1 / 3"
    assert t.prev_button.disabled and not t.next_button.disabled
    t.next_button.click()
    assert t.page == 1 and _cells(t)[0] == "r50"
    t.goto(99)
    assert t.page == 2 and _rendered_rows(t) == 20 and t.next_button.disabled
    t.goto(-5)
    assert t.page == 0 and t.prev_button.disabled
    t.goto(2)
    t.page_size.value = 25
    assert t.pages == 5 and t.page == 0 and _rendered_rows(t) == 25
    assert t.controls.layout.display == "" and t.pager.layout.display == ""


def test_sorting_numbers_as_numbers_missing_last() -> None:
    rows = [{"name": "a", "n": 10}, {"name": "b", "n": 9}, {"name": "c", "n": 100}, {"name": "d", "n": None},
            {"name": "e", "n": 2.5}]
    t = DataTable(COLS, rows)
    t.sort_by.value = "n"
    assert _cells(t, 1) == ["2.5", "9", "10", "100", ""]
    t.descending.value = True
    assert _cells(t, 1) == ["100", "10", "9", "2.5", ""]
    assert "Décroissant" == t.descending.description and "Nombre ▼" in t.body.value
    # numbers written as text (a CSV's cells) still sort as numbers
    t.set_data([{"name": x, "n": x} for x in ("10", "9", "100", "")])
    assert _cells(t, 1) == ["100", "10", "9", ""]


def test_sorting_french_text_ignores_accents_and_case() -> None:
    t = DataTable(COLS, [{"name": x, "n": 0} for x in ("zèbre", "École", "abricot", "étage", "Eau", "")])
    t.sort_by.value = "name"
    assert _cells(t) == ["abricot", "Eau", "École", "étage", "zèbre", ""]
    t.descending.value = True
    assert _cells(t) == ["zèbre", "étage", "École", "Eau", "abricot", ""]


def test_sort_is_stable() -> None:
    t = DataTable(COLS, [{"name": f"r{i}", "n": i % 2} for i in range(6)])
    t.sort_by.value = "n"
    assert _cells(t) == ["r0", "r2", "r4", "r1", "r3", "r5"]


def test_text_filter_is_case_and_accent_insensitive() -> None:
    rows = [{"name": "Société Générale", "n": 1}, {"name": "SOCIETE dupont", "n": 2},
            {"name": "Crème brûlée", "n": 3}]
    t = DataTable(COLS, rows)
    t.filter_text.value = "societe"
    assert _cells(t) == ["Société Générale", "SOCIETE dupont"] and "2 lignes sur 3" in t.count.value
    t.filter_text.value = "  CREME BRULEE "
    assert _cells(t) == ["Crème brûlée"]
    t.filter_text.value = "brûlée"
    assert _cells(t) == ["Crème brûlée"]
    t.filter_text.value = "3"                     # every shown column is searched
    assert _cells(t) == ["Crème brûlée"]
    t.filter_text.value = "introuvable"
    assert "Aucune ligne ne correspond" in t.body.value and "0 ligne sur 3" in t.count.value
    t.filter_text.value = ""
    assert len(_cells(t)) == 3


def test_value_filters_and_external_filters() -> None:
    rows = [{"code": c, "level": lv} for c, lv in
            [("TVA-TAUX", "erreur"), ("COR-ART", "alerte"), ("COR-ART", "erreur"), ("FIC-DUP", "succès")]]
    t = DataTable([("code", "Code"), ("level", "Niveau")], rows, filters=[("level", "Niveau")])
    dd = t.value_filters["level"]
    assert [v for _, v in dd.options] == ["", "alerte", "erreur", "succès"]
    assert "econn-dt-filter-level" in dd._dom_classes
    dd.value = "erreur"
    assert _cells(t) == ["TVA-TAUX", "COR-ART"]
    t.set_filters({"code": "COR-ART"})            # a page's own « Code » dropdown
    assert _cells(t) == ["COR-ART"] and list(t.positions()) == [2]
    t.set_filters({"code": ""})
    t.set_data(rows[1:2])                         # « erreur » is gone: the filter falls back to all
    assert dd.value == "" and _cells(t) == ["COR-ART"]


def test_positions_follow_filter_and_sort() -> None:
    t = DataTable(COLS, [{"name": x, "n": i} for i, x in enumerate(["b", "a", "c", "ab"])])
    t.filter_text.value = "a"
    t.sort_by.value = "name"
    assert list(t.positions()) == [1, 3]


def test_hostile_values_are_escaped_everywhere() -> None:
    xss = "<script>alert(1)</script>"
    attr = '"><img src=x onerror=alert(2)>'
    t = DataTable([("name", xss), ("code", "Code")], [{"name": xss, "code": attr}], title=xss,
                  row_class="econn-finding", row_attrs={"data-code": "code"}, filters=[("code", "Code")])
    html = t.value + t.body.value
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in t.body.value and "&lt;h4&gt;" not in t.heading.value
    assert 'data-code="&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"' in t.body.value
    t.set_data([{"name": "x", "code": "y"}], title=xss)
    assert "<script>" not in t.heading.value


def test_formats_display_but_sort_uses_the_raw_value() -> None:
    rows = [{"name": "a", "n": 1000.5}, {"name": "b", "n": 99.0}, {"name": "c", "n": None}]
    t = DataTable(COLS, rows, formats={"n": fr_amount})
    t.sort_by.value = "n"
    assert _cells(t, 1) == ["99,00\u00a0€", "1\u202f000,50\u00a0€", ""]
    t.filter_text.value = "1 000,50"              # filtered on the shown text (narrow space folded by NFKD)
    assert _cells(t) == ["a"]


def test_cell_html_wraps_escaped_text() -> None:
    t = DataTable(COLS, [{"name": "<b>", "n": 1}], cell_html={"name": lambda s: f"<code>{s}</code>"})
    assert "<td><code>&lt;b&gt;</code></td>" in t.body.value


def test_empty_and_small_tables() -> None:
    t = DataTable(COLS, [], empty_text="Aucun constat.")
    assert "Aucun constat." in t.body.value and t.controls.layout.display == "none"
    assert t.pager.layout.display == "none" and t.layout.display == ""
    hidden = DataTable(COLS, None, empty_text="")
    assert hidden.layout.display == "none"
    small = DataTable(COLS, [{"name": "a", "n": 1}])
    assert small.controls.layout.display == "none" and small.pager.layout.display == "none"
    assert "1 ligne" in small.count.value and "lignes" not in small.count.value
    small.clear()
    assert small.total == 0 and "Aucune ligne." in small.body.value


def test_set_data_keeps_the_sort_and_goes_back_to_page_one() -> None:
    t = DataTable(COLS, [{"name": f"r{i:03d}", "n": i} for i in range(200)])
    t.sort_by.value, t.descending.value = "n", True
    t.goto(3)
    t.set_data([{"name": f"s{i}", "n": i} for i in range(60)])
    assert t.page == 0 and _cells(t)[0] == "s59"


def test_a_failing_callback_reports_on_the_page() -> None:
    messages = MessagePanel()

    def fmt(v: object) -> str:
        if v == 70:
            raise RuntimeError("boom")
        return str(v)

    t = DataTable(COLS, [{"name": "x", "n": i} for i in range(100)], formats={"n": fmt}, messages=messages)
    t.next_button.click()                          # page 2 holds the bad value: no exception escapes
    assert any("boom" in m.value for m in messages.children)


def test_a_page_change_on_20000_rows_renders_one_page(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(1)
    n = 20_000
    df = pd.DataFrame({"code": rng.choice(["TVA-TAUX", "COR-ART", "FIC-DUPDOC"], n),
                       "message": [f"Élément n°{i}" for i in range(n)], "line": np.arange(n)})
    t = DataTable([("code", "Code"), ("message", "Message"), ("line", "Ligne")], df)
    assert t.pages == 400 and "20\u202f000 lignes" in t.count.value and t.page_label.value == "page 1 / 400"
    t.sort_by.value = "message"
    t.filter_text.value = "element"
    seen: list[int] = []
    real = table_mod._texts
    monkeypatch.setattr(table_mod, "_texts", lambda s, fmt=None: (seen.append(len(s)), real(s, fmt))[1])
    t.next_button.click()
    t.goto(399)
    assert _rendered_rows(t) == 50 and t.page == 399
    assert seen and max(seen) <= 50                # only the page's cells were formatted
    t.page_size.value = 500
    assert _rendered_rows(t) == 500 and max(seen) <= 500


def test_every_reject_is_reachable_by_paging(tmp_path: Path) -> None:
    rejects = [Reject(line=i + 2, reason="Colonnes en trop", raw=f"CW_{i};<script>{i}</script>")
               for i in range(1234)]
    summary = LoadSummary(tmp_path / "f.csv", Dialect(), ["a"], 0, len(rejects), rejects, [], [])
    t = rejects_table()
    show_rejects(t, summary)
    assert "Lignes rejetées (1\u202f234)" in t.heading.value and t.pages == 25
    assert t.value.count('<tr class="econn-reject">') == 50 and "<script>" not in t.value
    t.goto(t.pages - 1)
    assert '<tr class="econn-reject"><td>1235</td>' in t.value
    t.filter_text.value = "CW_777;"
    assert _cells(t) == ["779"]


@pytest.mark.parametrize(("n", "word", "expected"), [
    (0, "alerte", "0 alerte"), (1, "erreur", "1 erreur"), (2, "erreur", "2 erreurs"), (3, "succès", "3 succès"),
    (1234, "alerte", "1\u202f234 alertes"), (2, "prix", "2 prix"), (5, "tiers", "5 tiers"),
    (2, "travail", "2 travaux"),
])
def test_fr_count_agrees_in_french(n: int, word: str, expected: str) -> None:
    plural = "travaux" if word == "travail" else None
    assert fr_count(n, word, plural) == expected


def test_fr_agree_gives_the_word_alone() -> None:
    assert [fr_agree(n, "supprimée") for n in (0, 1, 2)] == ["supprimée", "supprimée", "supprimées"]
    assert fr_agree(3, "serait supprimée", "seraient supprimées") == "seraient supprimées"
    assert fr_agree(1, "utilise", "utilisent") == "utilise"

"""What the correspondences page shows, as data (no ipywidgets here, so tests can target it).

One row per external value of a domain: stored correspondences of the connector, plus the values
found in its pending files that have none yet (« non vérifiée », distinct from « aucune »: checked,
nothing found), each with the number of pending documents using it.
"""

from __future__ import annotations

import os

import pandas as pd

from .. import store
from ..mappings.correspondences import resolve
from ..mappings import check_domain

# Domain code → French name, in the order of the page's toggle.
DOMAIN_LABELS: dict[str, str] = {"tva": "TVA", "unite": "Unités", "pays": "Pays", "reglement": "Règlements",
                                 "article": "Articles", "tiers": "Tiers"}
STATE_LABELS: dict[str, str] = {
    "non_verifie": "non vérifiée", "suggere": "suggérée", "valide": "validée", "aucune": "aucune correspondance",
    "a_creer": "à créer", "auto": "reconnue sans correspondance",
}
# State filter → states shown (``None``: all).
STATE_FILTERS: dict[str, tuple[str, ...] | None] = {
    "a_traiter": ("non_verifie", "suggere", "aucune", "a_creer"),
    "suggere": ("suggere",),
    "valide": ("valide", "auto"),
    "toutes": None,
}
TO_DO = STATE_FILTERS["a_traiter"] or ()
ARTICLE_FILTERS = ("tous", "export", "filtre")
ROW_COLUMNS = ["external_value", "external_variant", "state", "gc_value", "score", "reason", "origin",
               "inherited", "documents", "export", "famille"]

# Per domain: SQL of (code, French label) of the GC values offered in the picker (active ones only).
_CHOICES_SQL: dict[str, str] = {
    "tva": "SELECT code, libelle FROM tva_codes WHERE actif ORDER BY code",
    "unite": "SELECT code, libelle FROM units WHERE actif ORDER BY code",
    "pays": "SELECT code, libelle FROM countries ORDER BY code",
    "reglement": "SELECT code, libelle FROM payment_methods WHERE actif ORDER BY code",
    "article": "SELECT code, libelle FROM articles WHERE actif ORDER BY code",
    "tiers": "SELECT code, concat_ws(', ', coalesce(nullif(trim(societe), ''), "
             "nullif(trim(concat_ws(' ', nom, prenom)), '')), nullif(trim(ville), '')) "
             "FROM tiers WHERE actif ORDER BY code",
}


def gc_choices(workspace: str | os.PathLike[str], domain: str) -> list[tuple[str, str]]:
    """The GC values a correspondence of ``domain`` may point to: (code, French label)."""
    with store.connect(workspace, read_only=True) as con:
        return [(str(c), str(lib or "")) for c, lib in con.execute(_CHOICES_SQL[check_domain(domain)]).fetchall()]


def article_families(workspace: str | os.PathLike[str]) -> list[str]:
    """Article families present in the GC, sorted."""
    with store.connect(workspace, read_only=True) as con:
        return [r[0] for r in con.execute("SELECT DISTINCT famille FROM articles WHERE famille IS NOT NULL "
                                          "ORDER BY famille").fetchall()]


def correspondence_rows(workspace: str | os.PathLike[str], connector: str, domain: str,
                        pending: pd.DataFrame) -> pd.DataFrame:
    """Stored correspondences of one connector and domain, merged with the pending values.

    Args:
        workspace: the workspace folder.
        connector: connector code.
        domain: correspondence domain.
        pending: :func:`econn.reception.pending_values.pending_values` of the connector (all domains).

    Returns:
        Columns of ``ROW_COLUMNS``. ``state`` is a stored state, or for a pending value without
        correspondence ``auto`` (it already resolves, e.g. an ISO country code) or ``non_verifie``.
        ``inherited`` marks an article variant covered by the article's row without variant.
        ``export`` / ``famille`` describe the GC article (articles only). Values to handle first.
    """
    check_domain(domain)
    pend = pending.loc[pending["domain"] == domain, ["external_value", "external_variant", "documents"]]
    pend = pend.reset_index(drop=True)
    with store.connect(workspace, read_only=True) as con:
        con.register("pend", pend)
        fields = ("state", "gc_value", "score", "reason", "origin")
        picked = ", ".join(f"CASE WHEN ce.external_value IS NOT NULL THEN ce.{f} ELSE cb.{f} END AS {f}"
                           for f in fields)
        df = con.execute(f"""
            WITH c AS (SELECT * FROM correspondences WHERE connector = ? AND domain = ?),
                 k AS (SELECT external_value, external_variant FROM c
                       UNION SELECT external_value, external_variant FROM pend)
            SELECT k.external_value, k.external_variant, {picked},
                   ce.external_value IS NULL AND cb.external_value IS NOT NULL AS inherited,
                   coalesce(p.documents, 0)::BIGINT AS documents
            FROM k
            LEFT JOIN c ce ON ce.external_value = k.external_value AND ce.external_variant = k.external_variant
            LEFT JOIN c cb ON cb.external_value = k.external_value AND cb.external_variant = ''
                           AND k.external_variant <> ''
            LEFT JOIN pend p ON p.external_value = k.external_value AND p.external_variant = k.external_variant
            """, [connector, domain]).df()
        con.unregister("pend")
        articles = ({c: (e, f) for c, e, f in con.execute("SELECT code, export, famille FROM articles").fetchall()}
                    if domain == "article" else {})
    unchecked = df["state"].isna()
    if unchecked.any():
        keys = [(v, var) if var else v for v, var in zip(df.loc[unchecked, "external_value"],
                                                            df.loc[unchecked, "external_variant"], strict=True)]
        # Articles: only a validated correspondence applies (as in the reception analysis: a SKU equal
        # to a GC code is only suggested — the seed's recap lists ARRO « sans correspondance »).
        found = {} if domain == "article" else resolve(workspace, connector, domain, keys)
        hits = [found.get(k) for k in keys]
        df.loc[unchecked, "gc_value"] = hits
        df.loc[unchecked, "state"] = ["auto" if h else "non_verifie" for h in hits]
        df.loc[unchecked, "reason"] = ["Valeur reconnue telle quelle (code ou nom officiel)" if h
                                       else "Pas encore vérifiée" for h in hits]
    df["export"], df["famille"] = None, None
    if articles:
        df["export"] = [articles.get(g, (None, None))[0] for g in df["gc_value"]]
        df["famille"] = [articles.get(g, (None, None))[1] for g in df["gc_value"]]
    df["todo"] = df["state"].isin(TO_DO)
    df = df.sort_values(["todo", "documents", "external_value", "external_variant"],
                        ascending=[False, False, True, True], kind="stable").reset_index(drop=True)
    return df[ROW_COLUMNS]


def filter_rows(rows: pd.DataFrame, state_filter: str = "a_traiter", article_filter: str = "tous",
                family: str | None = None) -> pd.DataFrame:
    """Rows of one state group and, for articles, of the seed's filter.

    The article filter (« disponibles à l'export » / « correspondant au filtre » of a family) applies to
    the GC article a row points to; a row without any GC article stays visible, since it is what
    needs a decision.
    """
    states = STATE_FILTERS[state_filter]
    keep = rows["state"].isin(states) if states is not None else pd.Series(True, index=rows.index)
    has_gc = rows["gc_value"].notna()
    if article_filter == "export":
        keep &= ~has_gc | (rows["export"] == True)  # noqa: E712 (object column: None/True/False)
    elif article_filter == "filtre" and family:
        keep &= ~has_gc | (rows["famille"] == family)
    return rows[keep].reset_index(drop=True)


def articles_without_code(workspace: str | os.PathLike[str], connector: str, article_filter: str,
                          family: str | None = None) -> list[tuple[str, str]]:
    """GC articles of the filter (export or family) that have no validated external code on the connector."""
    if article_filter == "export":
        cond, params = "a.export", []
    elif article_filter == "filtre" and family:
        cond, params = "a.famille = ?", [family]
    else:
        return []
    with store.connect(workspace, read_only=True) as con:
        return [(c, lib or "") for c, lib in con.execute(f"""
            SELECT a.code, a.libelle FROM articles a
            WHERE a.actif AND {cond} AND NOT EXISTS (
                SELECT 1 FROM correspondences c WHERE c.connector = ? AND c.domain = 'article'
                  AND c.state = 'valide' AND c.gc_value = a.code)
            ORDER BY a.code""", [*params, connector]).fetchall()]

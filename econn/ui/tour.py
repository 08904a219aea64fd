"""« Visite guidée »: the e-connecteur flows of the manual, step by step, on the demo data.

Each step has a short French explanation, live figures read from the workspace and a link to
the dashboard that does it. The figures are read when the step is shown, so the tour follows
what the trainee did (integrated a file, accepted a correspondence…).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import ipywidgets as w

from .. import store
from ..history.overview import connector_overview, level_counts
from ..store.workspace import connector_dir, resolve_workspace
from .common import MessagePanel, css, load_when_free, page_header
from .format import esc, fr_count, fr_int

Figures = list[tuple[str, str]]


@dataclass(frozen=True)
class Step:
    """One step of the tour: title, explanation (HTML), dashboard link, live figures."""

    title: str
    text: str
    link: tuple[str, str]
    figures: Callable[[Path], Figures]


def _one(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> Any:
    row = store.first(con.execute(sql, params or []))
    return None if row is None else row[0]


def _connectors(ws: Path) -> Figures:
    with store.connect(ws, read_only=True) as con:
        rows = con.execute(
            "SELECT code, partner, mode, doc_type, file_encoding, file_delimiter, price_category, auto_payment, "
            "articles_send, clients_send FROM connectors ORDER BY code").fetchall()
    out: Figures = [("Connecteurs paramétrés", fr_int(len(rows)))]
    for code, partner, mode, doc, enc, delim, cat, auto, arts, clients in rows:
        out.append((f"{code} — en liaison avec {partner}",
                    (f"mode {str(mode).upper()}, réception des {doc}, fichiers {enc} séparés par « {delim} », "
                     f"catégorie tarifaire {cat}, règlement automatique {'oui' if auto else 'non'}, "
                     f"envoi des articles : {arts or '—'}, des clients : {clients or '—'}")))
    return out


def _articles(ws: Path) -> Figures:
    with store.connect(ws, read_only=True) as con:
        n_art = _one(con, "SELECT count(*) FROM articles")
        per = con.execute("SELECT connector, count(*) FROM correspondences WHERE domain = 'article' "
                          "GROUP BY connector ORDER BY connector").fetchall()
        arro = _one(con, "SELECT count(*) FROM correspondences WHERE domain = 'article' AND connector = 'CSV' "
                         "AND (gc_value = 'ARRO' OR external_value = 'ARRO')")
    out: Figures = [("Articles en GC", fr_int(n_art))]
    out += [(f"Correspondances d'articles {c}", fr_int(n)) for c, n in per]
    out.append(("ARRO (Arrosage) sur le connecteur CSV",
                "Sans correspondance" if not arro else fr_count(arro, "correspondance")))
    return out


def _tiers(ws: Path) -> Figures:
    with store.connect(ws, read_only=True) as con:
        rows = con.execute(
            "SELECT gc_value, string_agg(DISTINCT external_value, ', ' ORDER BY external_value) FROM correspondences "
            "WHERE domain = 'tiers' AND gc_value IN ('RYCMI', 'ANDPA', 'GUEPI') GROUP BY gc_value "
            "ORDER BY gc_value").fetchall()
        per = con.execute("SELECT connector, count(*) FROM correspondences WHERE domain = 'tiers' "
                          "GROUP BY connector ORDER BY connector").fetchall()
        n = _one(con, "SELECT count(*) FROM tiers")
    out: Figures = [("Tiers en GC", fr_int(n))]
    out += [(f"Correspondances de tiers {c}", fr_int(k)) for c, k in per]
    out += [(f"Tiers {gc}", f"code externe : {ext}") for gc, ext in rows]
    return out


def _sync(ws: Path) -> Figures:
    counts = level_counts(ws)
    out: Figures = [("Dernières 48 h", ", ".join(fr_count(counts[lv], lv) for lv in ("succès", "alerte", "erreur")))]
    for r in connector_overview(ws):
        errors = fr_count(r["open_errors"], "erreur non traitée", "erreurs non traitées")
        out.append((f"{r['code']}", f"{fr_count(r['pending_files'], 'fichier')} en attente, {errors}"))
    return out


def _files(ws: Path, suffix: str) -> list[Path]:
    found: list[Path] = []
    with store.connect(ws, read_only=True) as con:
        rows = con.execute("SELECT code, import_dir FROM connectors ORDER BY code").fetchall()
    for code, import_dir in rows:
        folder = connector_dir(ws, import_dir, code, "import")
        if folder.is_dir():
            found += sorted(p for p in folder.iterdir() if p.name.lower().endswith(suffix))
    return found


def _reception(ws: Path) -> Figures:
    pending = _files(ws, ".csv")
    done = _files(ws, ".bak")
    with store.connect(ws, read_only=True) as con:
        v2 = _one(con, "SELECT gc_value FROM correspondences WHERE domain = 'tva' AND connector = 'CSV' "
                       "AND external_value = 'V2 - 20 %'")
        docs = _one(con, "SELECT count(*) FROM documents")
    return [
        ("Fichiers en attente", ", ".join(f"{p.parent.parent.name}/{p.name}" for p in pending) or "aucun"),
        ("Fichiers intégrés (.bak)", fr_int(len(done))),
        ("Documents intégrés en GC", fr_int(docs)),
        ("Libellé TVA « V2 - 20 % » (CSV)", f"→ {v2}" if v2 else "sans correspondance"),
    ]


def _send(ws: Path) -> Figures:
    with store.connect(ws, read_only=True) as con:
        n = _one(con, "SELECT count(*) FROM history WHERE kind = 'envoi'")
        last = _one(con, "SELECT max(occurred_at) FROM history WHERE kind = 'envoi'")
        exportable = _one(con, "SELECT count(*) FROM articles WHERE export AND actif")
    return [("Envois dans l'historique", fr_int(n)),
            ("Dernier envoi", last.strftime("%d/%m/%Y %H:%M") if last else "—"),
            ("Articles disponibles à l'export", fr_int(exportable))]


def _history(ws: Path) -> Figures:
    with store.connect(ws, read_only=True) as con:
        per = dict(con.execute("SELECT kind, count(*) FROM history GROUP BY kind").fetchall())
        open_err = _one(con, "SELECT count(*) FROM history WHERE kind = 'erreur' AND closed_at IS NULL")
        closed = _one(con, "SELECT count(*) FROM history WHERE kind = 'erreur' AND closed_at IS NOT NULL")
    return [("Réceptions", fr_int(per.get("reception", 0))), ("Envois", fr_int(per.get("envoi", 0))),
            ("Erreurs", fr_int(per.get("erreur", 0))), ("Erreurs non traitées", fr_int(open_err)),
            ("Erreurs closes avec une justification", fr_int(closed))]


def _diagnostics(ws: Path) -> Figures:
    with store.connect(ws, read_only=True) as con:
        grids = _one(con, "SELECT count(*) FROM price_grids")
        tiers = _one(con, "SELECT count(*) FROM tiers")
        arts = _one(con, "SELECT count(*) FROM articles")
    return [("Règles tarifaires", fr_int(grids)), ("Tiers à comparer (doublons)", fr_int(tiers)),
            ("Articles", fr_int(arts))]


STEPS: list[Step] = [
    Step("Paramétrage des connecteurs",
         "Un connecteur décrit un partenaire (site internet ou logiciel tiers) : mode d'échange, dossiers, "
         "encodage et séparateur des fichiers CSV, ce qui est envoyé (articles, clients, contacts) et ce qui est "
         "reçu (commandes ou livraisons). La démo reprend les deux connecteurs du manuel : <b>FACIL</b> "
         "(SuiviETA, livraisons) et <b>CSV</b> (la boutique, commandes avec règlement automatique).",
         ("06_parametrage.ipynb", "Paramétrage"), _connectors),
    Step("Correspondance des articles",
         "Chaque référence du site doit correspondre à un article de la GC. Une référence sans correspondance "
         "bloque tout le document : dans le fichier du jour, l'article <b>ARRO</b> (Arrosage) n'a pas de "
         "correspondance sur le connecteur CSV.",
         ("02_correspondances.ipynb", "Correspondances"), _articles),
    Step("Correspondance des tiers",
         "Un client du site est reconnu par son code externe, puis par e-mail ou téléphone. Les exemples du "
         "manuel : <b>RYCMI</b>, <b>ANDPA</b> et <b>GUEPI</b>, avec leurs codes externes.",
         ("02_correspondances.ipynb", "Correspondances"), _tiers),
    Step("Écran de synchronisation",
         "La page d'accueil : pour chaque connecteur, les fichiers en attente, la dernière réception, le dernier "
         "envoi, l'état des synchronisations précédentes et les compteurs des dernières 48 heures.",
         ("00_accueil.ipynb", "Synchro e-connecteur"), _sync),
    Step("Réceptionner les données",
         "Quatre temps : l'<b>aperçu</b> du fichier (encodage, séparateur, lignes rejetées) ; les "
         "<b>correspondances</b> des valeurs inconnues (« V2 - 20 % » → V3 est connue, mais « TVA 5,5% », "
         "l'unité « Bouteille » et le pays « Hollande » sont à établir) ; le <b>récapitulatif</b> des documents "
         "(nouveaux, existants, bloqués) et des tiers, avec le choix pour l'homonyme (créer ou affecter) ; "
         "l'<b>intégration</b>, après laquelle un fichier entièrement intégré devient <code>.bak</code>.",
         ("01_reception.ipynb", "Réception"), _reception),
    Step("Envoyer les données",
         "L'envoi écrit les fichiers articles, clients et contacts du connecteur dans son dossier d'export, "
         "dans son encodage et son séparateur, après un récapitulatif de ce qui sera envoyé.",
         ("06_parametrage.ipynb", "Paramétrage — Envoyer les données"), _send),
    Step("Historique",
         "Toutes les réceptions, tous les envois et toutes les erreurs, filtrables par niveau (succès, alertes, "
         "erreurs). Une erreur se clôt avec une justification écrite (« ressaisi en GC »…).",
         ("04_historique.ipynb", "Historique"), _history),
    Step("Diagnostics ERO",
         "Produits absents, configuration TVA, doublons clients (simple et complet), grilles de prix et "
         "nettoyage : chaque constat a un niveau et un code ; aucune fusion ni suppression n'est faite sans "
         "votre accord.",
         ("03_diagnostics.ipynb", "Diagnostics"), _diagnostics),
]


class TourPage(w.VBox):
    """The guided tour, as a widget: Précédent / Suivant through :data:`STEPS`."""

    def __init__(self, workspace: str | Path | None = None) -> None:
        super().__init__()
        css(self, "econn-page", "econn-tour")
        self.workspace = resolve_workspace(workspace)
        self.messages = MessagePanel()
        self.index = 0
        self.counter = css(w.HTML(), "econn-tour-step")
        self.body = css(w.HTML(), "econn-tour-body")
        self.figures = css(w.HTML(), "econn-tour-figures")
        self.link = css(w.HTML(), "econn-tour-link")
        self.prev_button = css(w.Button(description="Précédent", icon="arrow-left", layout=w.Layout(width="auto")),
                               "econn-tour-prev")
        self.next_button = css(w.Button(description="Suivant", icon="arrow-right", layout=w.Layout(width="auto")),
                               "econn-tour-next")
        self.prev_button.on_click(self.messages.guard(lambda _b: self.go(self.index - 1)))
        self.next_button.on_click(self.messages.guard(lambda _b: self.go(self.index + 1)))
        self.header = page_header("Visite guidée", self.workspace, allow_all=True)
        self.header.connector.observe(self.messages.guard(lambda _c: self._draw_link()), names="value")
        self.children = [
            self.header,
            self.messages,
            self.counter,
            self.body,
            self.figures,
            self.link,
            w.HBox([self.prev_button, self.next_button]),
        ]
        self.loaded = load_when_free(self.workspace, self.messages, self._start)

    def _start(self) -> None:
        self.header.connector.load()
        self.go(0)

    def _draw_link(self) -> None:
        target, label = self.step.link
        self.link.value = f'<p>Pour le faire : <a href="{esc(self.header.link(target))}">{esc(label)}</a></p>'

    @property
    def step(self) -> Step:
        return STEPS[self.index]

    def go(self, index: int) -> None:
        """Show step ``index`` (clamped to the tour) with fresh figures."""
        self.index = max(0, min(index, len(STEPS) - 1))
        s = self.step
        self.counter.value = f"<b>Étape {self.index + 1} / {len(STEPS)}</b> — {esc(s.title)}"
        self.body.value = f"<h2>{esc(s.title)}</h2><p>{s.text}</p>"
        self._draw_link()
        self.prev_button.disabled = self.index == 0
        self.next_button.disabled = self.index == len(STEPS) - 1
        self.figures.value = ""
        rows = "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in s.figures(self.workspace))
        self.figures.value = f'<h3>Sur la démo</h3><table class="econn-table">{rows}</table>'

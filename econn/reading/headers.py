"""Map a file's column headers to the canonical fields of a flow: one engine for preview, receive and import.

Order of precedence, for each header (compared after :func:`normalize`: case, accents, punctuation,
``N°``/``No``/``Num`` → ``num``):

1. ``option``: an explicit choice for this run (``--map "Header=field"``; ``"Header="`` ignores the column);
2. ``memorise``: the user's remembered choice for this connector and flow (``econn headers set``, the
   dashboard's « Mémoriser »; :mod:`econn.reading.header_choices`);
3. ``format``: the mapping of the file's recognised or imposed export format (:mod:`econn.reading.formats`),
   which also leaves unmapped the headers it knows not to be importable (WooCommerce's « Order Subtotal
   Amount »); a field the format marks inverted is given as its opposite (Sage's ``AR_Sommeil`` → ``sommeil``);
4. ``exact``: the canonical field name itself (« code_postal »);
5. ``synonyme``: a known name of the field (:data:`econn.reading.synonyms.SYNONYMS`), then, for the tiers and
   articles flows, the names the registered formats give it (Gestimum's ``ART_CODE``, Sage's ``AR_Ref``)
   when every format agrees and the value needs none of the format's rules; a name known to be no field
   (:data:`~econn.reading.synonyms.NOT_FIELDS`) gives ``None``;
6. ``approchant``: a close spelling (rapidfuzz ratio ≥ :data:`FUZZY_CUTOFF`);
7. ``aucun``.

A field is given to one header only: the best score wins, then the best origin, then the first header.
"""

from __future__ import annotations

import functools
import os
import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rapidfuzz import fuzz, process

from ..errors import HeaderMapError
from .synonyms import ALL_FLOWS, FLOWS, GC_CODE_FALLBACK, INVERSE, NOT_FIELDS, SYNONYMS

if TYPE_CHECKING:
    from collections.abc import Iterable

    from .formats import SourceFormat

__all__ = ["ALL_FLOWS", "FLOWS", "FUZZY_CUTOFF", "NOT_FIELDS", "ORIGINS", "ORIGIN_LABELS", "SYNONYMS",
           "HeaderMatch", "check_field", "check_flow", "check_map_headers", "map_headers", "normalize", "parse_map",
           "remember_mapping", "remembered_choices"]

FUZZY_CUTOFF = 85.0
ORIGINS = ("option", "memorise", "format", "exact", "synonyme", "approchant", "aucun")
# How each origin is said to a user.
ORIGIN_LABELS = {"option": "imposée (--map)", "memorise": "mémorisée", "format": "format reconnu",
                 "exact": "nom exact", "synonyme": "synonyme connu", "approchant": "orthographe approchante",
                 "aucun": "aucune proposition"}
_ORIGIN_RANK = {o: len(ORIGINS) - 1 - i for i, o in enumerate(ORIGINS)}


@dataclass(frozen=True)
class HeaderMatch:
    """The field chosen for one header; ``field`` is None when nothing matched or the column is ignored."""

    header: str
    field: str | None
    score: float
    origin: str   # one of ORIGINS


def normalize(text: str) -> str:
    """Comparable form of a header: ASCII, lower case, ``n°/no/num/numero`` → ``num``, no punctuation."""
    t = unicodedata.normalize("NFKD", text.replace("°", " num ").replace("º", " num "))
    t = "".join(c for c in t if not unicodedata.combining(c)).lower()
    t = t.replace("%", " pct ").replace("#", " num ").replace("&", " et ")
    t = re.sub(r"[^a-z0-9]+", " ", t)
    t = re.sub(r"\b(n|no|nr|nro|num|numero|number)\b", "num", t)
    t = re.sub(r"\b(num )+", "num ", t)
    t = re.sub(r"\b(\w+) (\d)\b", r"\1\2", t)   # "adresse 1" == "adresse1"
    return " ".join(t.split())


def check_flow(flow: str) -> None:
    """Raise :class:`HeaderMapError` (French message listing the flows) for an unknown flow."""
    if flow not in SYNONYMS:
        raise HeaderMapError(f"unknown flow {flow!r}; expected one of {ALL_FLOWS}",
                             f"Flux inconnu « {flow} » : choisissez parmi {', '.join(ALL_FLOWS)}.")


def check_field(flow: str, field: str | None) -> None:
    """Raise :class:`HeaderMapError` for a field that is not one of the flow's (None, « ignorer », is valid)."""
    check_flow(flow)
    if field is not None and field not in SYNONYMS[flow]:
        raise HeaderMapError(
            f"unknown field {field!r} for flow {flow}; expected one of {list(SYNONYMS[flow])}",
            f"Champ inconnu « {field} » pour le flux {flow}. Champs possibles : {', '.join(SYNONYMS[flow])} "
            "(rien après « = » pour ignorer la colonne).")


def parse_map(pairs: Iterable[str], flow: str) -> dict[str, str | None]:
    """Read ``--map`` values: ``"Header=field"``, or ``"Header="`` to ignore the column.

    Returns:
        Header (as typed) → field or None.

    Raises:
        HeaderMapError: not ``Header=field``, an unknown field, a header given twice with two fields, or a
            field given to two headers.
    """
    out: dict[str, str | None] = {}
    by_norm: dict[str, str] = {}
    for pair in pairs:
        header, sep, fld = pair.rpartition("=")   # a field never holds « = »; a header might
        header = header.strip()
        if not sep or not header:
            raise HeaderMapError(f"bad --map {pair!r}",
                                 f"--map attend « Colonne=champ » (rien après « = » pour ignorer la colonne) : "
                                 f"« {pair} ».")
        chosen = fld.strip() or None
        check_field(flow, chosen)
        n = normalize(header)
        if n in by_norm and out[by_norm[n]] != chosen:
            raise HeaderMapError(f"--map gives header {header!r} twice",
                                 f"--map donne deux champs à la colonne « {header} ».")
        twice = [h for h, f in out.items() if chosen is not None and f == chosen and normalize(h) != n]
        if twice:
            raise HeaderMapError(f"--map gives field {chosen} to {twice[0]!r} and {header!r}",
                                 f"--map donne le champ « {chosen} » à deux colonnes : « {twice[0]} » et "
                                 f"« {header} ».")
        by_norm[n] = header
        out[header] = chosen
    return out


def check_map_headers(overrides: dict[str, str | None], headers: list[str], source: str) -> None:
    """Raise :class:`HeaderMapError` when a ``--map`` header is not a column of the file ``source``."""
    have = {normalize(h) for h in headers}
    missing = [h for h in overrides if normalize(h) not in have]
    if missing:
        raise HeaderMapError(
            f"--map header(s) not in {source}: {missing}",
            f"--map : colonne(s) absente(s) de {source} : {', '.join(missing)} "
            f"(colonnes du fichier : {', '.join(headers)}).")


@functools.cache
def _registry_names(flow: str) -> tuple[dict[str, str], frozenset[str]]:
    """What the registered formats of a tiers or articles flow say of their headers, usable as synonyms:
    (normalised header → field, on which every format knowing the header agrees; normalised headers that are
    no field, or whose value needs the format's rules: a country name, a price flagged TTC, a prefix…)."""
    if flow not in ("tiers", "articles"):   # orders formats: their values need the format's semantics
        return {}, frozenset()
    from .formats import FORMATS

    seen: dict[str, set[str | None]] = {}
    for fmt in FORMATS:
        if fmt.flow != flow:
            continue
        sem = fmt.semantics
        needs_rules = {*sem.country_names, *sem.strip_prefix, *sem.split_names,
                       *(("prix_ht", "prix_ttc") if sem.price_ttc_flag else ())}
        for n, fld in fmt.normalized_mapping.items():
            if fld in needs_rules:
                fld = None
            elif fld in sem.inverted:
                fld = INVERSE.get(fld, fld)
            seen.setdefault(n, set()).add(fld)
    names = {n: f for n, fs in seen.items() if len(fs) == 1 for f in fs if f is not None}
    return names, frozenset(n for n, fs in seen.items() if fs == {None})


@functools.cache
def _index(flow: str) -> tuple[dict[str, str], dict[str, str], frozenset[str], dict[str, str]]:
    """(exact field names, synonyms, names of no field, GC-code fallbacks), all keyed by normalised header."""
    check_flow(flow)
    exact = {normalize(f): f for f in SYNONYMS[flow]}
    syn: dict[str, str] = {}
    for fld, names in SYNONYMS[flow].items():
        for name in names:
            syn.setdefault(normalize(name), fld)
    not_fields = {normalize(h) for h in NOT_FIELDS.get(flow, [])}
    reg, reg_none = _registry_names(flow)
    for n, fld in reg.items():
        if n not in syn and n not in exact and n not in not_fields:
            syn[n] = fld
    not_fields |= {n for n in reg_none if n not in syn and n not in exact}
    fallback = {normalize(h): "code_gc" for h in GC_CODE_FALLBACK.get(flow, [])}
    return exact, syn, frozenset(not_fields), fallback


def _remembered(workspace: str | os.PathLike[str], connector: str, flow: str) -> dict[str, str | None]:
    from .. import store

    with store.connect(workspace, read_only=True) as con:
        return remembered_choices(con, connector, flow)


def remembered_choices(con: Any, connector: str, flow: str) -> dict[str, str | None]:
    """The user's stored header choices of a connector and flow (normalised header → field or None),
    read through an open store connection."""
    rows = con.execute("SELECT header, field FROM header_mappings WHERE connector = ? AND flow = ? "
                       "ORDER BY updated_at, header", [connector, flow]).fetchall()
    return {normalize(h): f for h, f in rows}


def map_headers(headers: list[str], flow: str, connector: str | None = None,
                workspace: str | os.PathLike[str] | None = None, *,
                remembered: dict[str, str | None] | None = None,
                source_format: SourceFormat | None = None,
                overrides: dict[str, str | None] | None = None,
                fields: Iterable[str] | None = None) -> list[HeaderMatch]:
    """Choose a canonical field for each header of a file (order of precedence in the module docstring).

    Args:
        headers: the file's headers, in order.
        flow: one of :data:`~econn.reading.synonyms.ALL_FLOWS` (``documents``, ``tiers``, ``articles``…).
        connector: connector code whose remembered choices apply (needs ``workspace``).
        workspace: workspace folder holding ``header_mappings``.
        remembered: the connector's remembered choices already read (:func:`remembered_choices`),
            instead of reading them from ``workspace``.
        source_format: the file's export format (:func:`econn.reading.formats.resolve_format`).
        overrides: explicit choices for this run, header → field or None (:func:`parse_map`).
        fields: the fields the caller can use (``econn import`` loads no ``code_ext``): a synonym or close
            spelling of another field leaves the column unmapped, and « ID » then means the GC code.
            Explicit, remembered and format choices are given as they are.

    Returns:
        One :class:`HeaderMatch` per header, in the same order; each field used at most once.

    Raises:
        HeaderMapError: unknown flow, or an override naming an unknown field.
    """
    exact, syn, not_fields, fallback = _index(flow)
    forced = {normalize(h): f for h, f in (overrides or {}).items()}
    for f in forced.values():
        check_field(flow, f)
    if remembered is not None:
        memo = remembered
    else:
        memo = _remembered(workspace, connector, flow) if workspace is not None and connector else {}
    usable = None if fields is None else set(fields)

    def ok(fld: str | None) -> bool:
        return fld is not None and (usable is None or fld in usable)

    choices = [n for n, f in syn.items() if ok(f)]
    cands: list[tuple[float, int, int, str | None, str]] = []   # (score, origin rank, -position, field, origin)
    for pos, header in enumerate(headers):
        n = normalize(header)
        found: list[tuple[float, str | None, str]] = []
        if n in forced:
            found.append((100.0, forced[n], "option"))
        else:
            if n in memo:
                found.append((100.0, memo[n], "memorise"))
            known, fmt_field = source_format.field_of(header) if source_format is not None else (False, None)
            if known:   # the format's field, or None for a column it knows econn does not import
                if source_format is not None and fmt_field in source_format.semantics.inverted:
                    fmt_field = INVERSE.get(fmt_field, fmt_field)
                found.append((100.0, fmt_field, "format"))
            elif n in exact:
                found.append((100.0, exact[n] if ok(exact[n]) else None, "exact"))
            elif n in not_fields:
                found.append((100.0, None, "synonyme"))
            elif n in syn and ok(syn[n]):
                found.append((100.0, syn[n], "synonyme"))
            elif n in syn:   # a name of a field the caller cannot use; a fallback ranks after the field's own names
                found.append((99.0, fallback[n], "synonyme") if ok(fallback.get(n)) else (100.0, None, "synonyme"))
            elif n:
                for name, score, _ in process.extract(n, choices, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF,
                                                      limit=3):
                    found.append((round(float(score), 1), syn[name], "approchant"))
        for score, fld, origin in found:
            cands.append((score, _ORIGIN_RANK[origin], -pos, fld, origin))
    result: dict[int, HeaderMatch] = {}
    used: set[str] = set()
    for score, _, neg_pos, fld, origin in sorted(cands, key=lambda c: (c[0], c[1], c[2]), reverse=True):
        pos = -neg_pos
        if pos in result or (fld is not None and fld in used):
            continue
        result[pos] = HeaderMatch(headers[pos], fld, score, origin)
        if fld is not None:
            used.add(fld)
    return [result.get(i, HeaderMatch(h, None, 0.0, "aucun")) for i, h in enumerate(headers)]


def remember_mapping(workspace: str | os.PathLike[str], connector: str, flow: str, header: str,
                     field: str | None) -> None:
    """Store the user's choice for a header (``field=None``: « ne pas importer »); it wins next time.

    The same as ``econn headers set`` (:func:`econn.reading.header_choices.set_choices`).

    Raises:
        HeaderMapError: unknown flow, field or connector.
    """
    from .header_choices import set_choices

    set_choices(workspace, connector, flow, {header: field})

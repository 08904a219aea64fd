"""Correspondence suggestions: external values → GC values, scored and explained in French.

Pure lookups (no workspace): :func:`country_code`, :func:`suggest_country`, :func:`vat_rate`,
:func:`rates_for`, :func:`unit_code`, :func:`payment_family`. Against a workspace's GC data:
:func:`suggest` (one entry point for every domain) and :func:`match_tiers` (records, not strings).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping

import duckdb

from .. import store
from ..errors import EconnError
from . import articles, countries, payments, tiers, units, vat
from .countries import country_code, lookup_country, suggest_country
from .payments import payment_family
from .suggestion import Suggestion
from .tiers import match_tiers
from .units import unit_code
from .vat import label_kind, rates_for, seed_vat_rates, vat_rate

__all__ = [
    "DOMAINS", "Suggestion", "country_code", "label_kind", "lookup_country", "match_tiers", "payment_family",
    "rates_for", "seed_vat_rates", "suggest", "suggest_country", "unit_code", "vat_rate",
]

# Domain → (suggestion engine, GC table, French name). Domain codes are those of correspondences.domain.
DOMAINS: dict[str, tuple[Callable[..., dict[str, list[Suggestion]]], str, str]] = {
    "tva": (vat.suggest_gc, "tva_codes", "TVA"),
    "unite": (units.suggest_gc, "units", "Unités"),
    "pays": (countries.suggest_gc, "countries", "Pays"),
    "reglement": (payments.suggest_gc, "payment_methods", "Règlements"),
    "article": (articles.suggest_gc, "articles", "Articles"),
    "tiers": (tiers.suggest_gc, "tiers", "Tiers"),
}


class UnknownDomainError(EconnError):
    """A correspondence domain that econn does not know."""


def check_domain(domain: str) -> str:
    """The domain code, or :class:`UnknownDomainError` with the list of valid ones."""
    if domain not in DOMAINS:
        raise UnknownDomainError(f"unknown correspondence domain {domain!r}",
                                 f"Domaine de correspondance inconnu « {domain} » : "
                                 f"choisissez parmi {', '.join(DOMAINS)}.")
    return domain


def suggest_con(con: duckdb.DuckDBPyConnection, connector: str, domain: str, external_values: list[str], *,
                country: str | None = None,
                labels: Mapping[str, str] | None = None) -> dict[str, list[Suggestion]]:
    """:func:`suggest` on an open connection (used inside a caller's transaction)."""
    engine = DOMAINS[check_domain(domain)][0]
    values = list(dict.fromkeys(str(v) for v in external_values))
    if not values:
        return {}
    return engine(con, values, country=country, labels=labels, connector=connector)


def suggest(workspace: str | os.PathLike[str], connector: str, domain: str, external_values: list[str], *,
            country: str | None = None,
            labels: Mapping[str, str] | None = None) -> dict[str, list[Suggestion]]:
    """Ranked GC candidates for each external value of one domain, best first.

    Args:
        workspace: the workspace folder.
        connector: connector code (tiers use its stored external codes).
        domain: ``tva``, ``unite``, ``pays``, ``reglement``, ``article`` or ``tiers``.
        external_values: values read from the connector's files.
        country: country of the flow (ISO code or name), used by ``tva`` for « Taux normal » and
            to prefer the country's codes.
        labels: for ``article``, the external label of each reference.

    Returns:
        Every distinct external value → its suggestions (an empty list means « aucune »: checked,
        nothing found). Scores are in [0, 1]; reasons are French.

    Raises:
        UnknownDomainError: the domain is not one of the six.
    """
    check_domain(domain)
    with store.connect(workspace, read_only=True) as con:
        return suggest_con(con, connector, domain, external_values, country=country, labels=labels)

"""Value rules the formats' semantics call for, in Python and as the SQL the reception analysis runs.

A full name (Shopify's « Billing Name », Magento's « Bill-to Name ») is split into prénom and nom: the nom
starts at the first particle after the first word (« Jean-Pierre | de La Fontaine », « Marie | Le Gall »),
else it is the last word (« Anne-Sophie | Dupont-Martin »). The file cannot say more: Shopify builds the full
name from its two fields, so « Jean Pierre Martin » may be either split; the tiers to create are shown before
anything is written.

The Python function and the SQL expression share one pattern; ``tests/test_formats_reading.py`` checks they
agree.
"""

from __future__ import annotations

import re

__all__ = ["PARTICLES", "split_full_name", "split_name_sql"]

# Lower-case particles that open a family name (French, Dutch, German, Italian, Spanish, Portuguese).
PARTICLES = ("de", "du", "des", "le", "la", "les", "van", "von", "der", "den", "ten", "ter", "di", "da", "del",
             "della", "dos", "das")
# prénom = the shortest run of leading words after which the rest is a particle-led name, a « d'… » name,
# or a single word. RE2 (DuckDB) and Python's re read it alike.
_PATTERN = ("(?i)^(.+?) ((?:(?:" + "|".join(PARTICLES) + r") .*)|(?:d['’]\S.*)|\S+)$")
_RE = re.compile(_PATTERN)


def split_full_name(full: str | None) -> tuple[str | None, str | None]:
    """Split a full name written « prénom nom » into (prénom, nom).

    Args:
        full: the full name; spaces are collapsed.

    Returns:
        (prénom, nom); a single word is a nom without prénom; (None, None) for an empty name.
    """
    name = " ".join((full or "").split())
    if not name:
        return None, None
    m = _RE.match(name)
    return (m.group(1), m.group(2)) if m else (None, name)


def split_name_sql(column: str) -> tuple[str, str]:
    """SQL expressions (prénom, nom) splitting a full-name column as :func:`split_full_name` does.

    ``column`` is an SQL expression written by the caller (a column name), never a value of the file.
    """
    name = f"nullif(regexp_replace(trim({column}), '\\s+', ' ', 'g'), '')"
    pat = "'" + _PATTERN.replace("'", "''") + "'"
    prenom = f"nullif(regexp_extract({name}, {pat}, 1), '')"
    nom = f"CASE WHEN regexp_matches({name}, {pat}) THEN regexp_extract({name}, {pat}, 2) ELSE {name} END"
    return prenom, nom

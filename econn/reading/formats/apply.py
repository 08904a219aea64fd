"""Value rules the formats' semantics call for, in Python and as the SQL the reception analysis runs.

A full name (Shopify's « Billing Name », Magento's « Bill-to Name ») is split into prénom and nom: the nom
starts at the first particle after the first word (« Jean-Pierre | de La Fontaine », « Marie | Le Gall »),
else it is the last word (« Anne-Sophie | Dupont-Martin »). The file cannot say more: Shopify builds the full
name from its two fields, so « Jean Pierre Martin » may be either split; the tiers to create are shown before
anything is written.

An address typed on several lines (a line break inside a quoted value, which Shopify and Magento keep) is
laid on the GC's two address fields: its first line is the adresse 1, its other lines go before the
adresse 2; a line break in another text field becomes a space.

The Python function and the SQL expression share one pattern; ``tests/test_formats_reading.py`` checks they
agree.
"""

from __future__ import annotations

import re

__all__ = ["PARTICLES", "address_sql", "one_line_sql", "split_full_name", "split_name_sql"]

# Lower-case particles that open a family name (French, Dutch, German, Italian, Spanish, Portuguese).
PARTICLES = ("de", "du", "des", "le", "la", "les", "van", "von", "der", "den", "ten", "ter", "di", "da",
             "del", "della", "dos", "das")
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



def _strip(x: str) -> str:
    # DuckDB's trim() removes spaces only; a value may end with a line break.
    return rf"regexp_replace({x}, '^\s+|\s+$', '', 'g')"


def _breaks(x: str, by: str) -> str:
    """SQL: ``x`` stripped, each line break (with the spaces and blank lines around it) made ``by``."""
    return rf"regexp_replace({_strip(x)}, '\s*[\r\n]\s*', {by}, 'g')"


def one_line_sql(column: str) -> str:
    """SQL expression: the column's value with its line breaks (and the spaces around them) made one space."""
    return f"nullif({_breaks(column, chr(39) + ' ' + chr(39))}, '')"


def address_sql(adresse1: str, adresse2: str) -> tuple[str, str]:
    """SQL expressions (adresse 1, adresse 2) laying a multi-line adresse 1 on both fields.

    The first line of ``adresse1`` stays there; its other lines, then ``adresse2`` (its own line breaks
    made « , »), are joined with « , » into the adresse 2. Blank lines are dropped.
    """
    a1 = _breaks(adresse1, "chr(10)")
    a2 = _breaks(adresse2, "', '")
    first = rf"nullif(regexp_extract({a1}, '^[^\n]*'), '')"
    rest = (rf"CASE WHEN contains({a1}, chr(10)) "
            rf"THEN replace(regexp_replace({a1}, '^[^\n]*\n', ''), chr(10), ', ') END")
    return first, f"nullif(concat_ws(', ', nullif({rest}, ''), nullif({a2}, '')), '')"

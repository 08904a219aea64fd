"""Workspace settings (« Réglages »): the keys of the ``settings`` table that a user sets.

Each setting is declared once in :func:`registry` — French label, kind, bounds, default, help and the code
that reads it — so that ``econn settings list|set`` and the « Réglages » section of the Paramétrage page
show and check the same thing, field by field, and a finding's hint can name a place where its setting
changes (:func:`place`). A value is checked before anything is stored (:func:`set_values` is all or
nothing) and stored normalised (a dot as decimal mark), as its readers expect; an empty value removes the
setting, which brings back the default. Every change is written to the history (« action »), since
raising a safety threshold disarms a guard.

Internal keys (``demo.seed``, ``demo.today``, written by ``econn demo``) are listed but cannot be set.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from .. import store
from ..errors import EconnError


class SettingError(EconnError):
    """A setting was refused (unknown key, invalid value); ``errors`` maps each key to its French message.
    Nothing was stored."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = dict(errors)
        detail = " ; ".join(f"{k} : {v}" for k, v in self.errors.items())
        super().__init__(f"invalid settings: {sorted(self.errors)}", f"Réglage refusé — {detail}")


@dataclass(frozen=True)
class Setting:
    """One workspace setting.

    Attributes:
        key: the key in the ``settings`` table (``tva.oss``).
        label: French label.
        kind: ``choice`` (one of ``choices``), ``number`` (decimal), ``integer`` or ``text`` (internal keys).
        default: the value that applies when the setting is absent (None: « non renseigné »).
        help: French help, shown next to the field.
        choices: (stored value, French label) of a ``choice``.
        minimum, maximum: bounds of a number (inclusive; ``minimum`` exclusive when ``above_minimum``).
        unit: shown after the value (%, €, mois).
        readers: the functions that read it (``module:function``), for the test that every stored setting acts.
        internal: written by econn itself, never by a user.
    """

    key: str
    label: str
    kind: str
    default: str | None
    help: str
    readers: tuple[str, ...]
    choices: tuple[tuple[str, str], ...] = ()
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    above_minimum: bool = False
    unit: str = ""
    internal: bool = False

    def allowed(self) -> str:
        """The valid values, in French (« oui ou non », « un nombre de 0 (exclu) à 100 »)."""
        if self.kind == "choice":
            return " ou ".join(v for v, _ in self.choices)
        if self.kind == "text":
            return "un texte"
        what = "un nombre entier" if self.kind == "integer" else "un nombre"
        unit = f" {self.unit}" if self.unit else ""
        low = "" if self.minimum is None else f"{_fr(self.minimum)}{' (exclu)' if self.above_minimum else ''}"
        if self.minimum is not None and self.maximum is not None:
            return f"{what} de {low} à {_fr(self.maximum)}{unit}"
        if self.minimum is not None:
            return f"{what} supérieur{' ' if self.above_minimum else ' ou égal '}à {_fr(self.minimum)}{unit}"
        return what


@dataclass(frozen=True)
class SettingValue:
    """A setting and its value in one workspace."""

    setting: Setting
    stored: str | None

    @property
    def effective(self) -> str | None:
        """What applies: the stored value, else the default."""
        return self.stored if self.stored not in (None, "") else self.setting.default

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        s = self.setting
        return {"key": s.key, "label": s.label, "value": self.stored, "default": s.default,
                "effective": self.effective, "allowed": s.allowed(), "unit": s.unit, "help": s.help,
                "settable": not s.internal}


def _fr(d: Decimal) -> str:
    return f"{d.normalize():f}".replace(".", ",")


@lru_cache(maxsize=1)
def registry() -> dict[str, Setting]:
    """Every workspace setting, by key (the defaults come from the modules that read them)."""
    from ..diagnostics.price_grids import DEFAULT_MAX_DISCOUNT, SETTING_MAX_DISCOUNT
    from ..diagnostics.safety import OPERATIONS, setting_key
    from ..diagnostics.vat import DEFAULT_THRESHOLD, SETTING_OSS, SETTING_THRESHOLD
    from ..history.journal import DEFAULT_RETENTION_MONTHS, MAX_RETENTION_MONTHS, RETENTION_KEY

    items = [
        Setting(SETTING_OSS, "Inscrit au guichet unique OSS", "choice", None,
                "TVA des ventes à distance dans l'UE (TVA-B2C-UE) : oui, le taux du pays de destination ; non, le "
                "taux français sous le seuil. Non renseigné : chaque vente UE est signalée « à confirmer ».",
                ("econn.diagnostics.vat:run",), choices=(("oui", "oui"), ("non", "non"))),
        Setting(SETTING_THRESHOLD, "Seuil des ventes à distance UE", "number", f"{DEFAULT_THRESHOLD.normalize():f}",
                "Montant annuel HT des ventes à distance UE au-delà duquel le taux du pays de destination "
                "s'applique (TVA-B2C-UE).", ("econn.diagnostics.vat:run",), minimum=Decimal(0), unit="€ HT"),
        Setting(SETTING_MAX_DISCOUNT, "Plafond de remise des grilles", "number",
                f"{DEFAULT_MAX_DISCOUNT.normalize():f}",
                "Une remise de grille au-delà de ce pourcentage est une alerte PRIX-REM.",
                ("econn.diagnostics.price_grids:run",), minimum=Decimal(0), maximum=Decimal(100),
                above_minimum=True, unit="%"),
        Setting(RETENTION_KEY, "Durée de conservation de l'historique", "integer", str(DEFAULT_RETENTION_MONTHS),
                "Les lignes plus anciennes sont purgées ; les erreurs ouvertes sont toujours conservées.",
                ("econn.history.journal:_retention",), minimum=Decimal(1), maximum=Decimal(MAX_RETENTION_MONTHS),
                unit="mois"),
    ]
    for op, guard in OPERATIONS.items():
        pct = guard.unit == "pct"
        items.append(Setting(
            setting_key(op), f"Seuil du mode de sécurité : {guard.label}", "number" if pct else "integer",
            f"{guard.default.normalize():f}",
            ("Au-delà de ce pourcentage des lignes concernées" if pct else "Au-delà de ce nombre")
            + f", une {guard.label} est bloquée (SEC-SEUIL) jusqu'à une levée justifiée.",
            ("econn.diagnostics.safety:threshold",), minimum=Decimal(0), maximum=Decimal(100) if pct else None,
            unit="%" if pct else ""))
    items += [
        Setting("demo.seed", "Graine de la démonstration", "integer", None,
                "Écrite par « econn demo » : la réinitialisation reconstruit la même démo.",
                ("econn.demo.trainer:demo_settings",), internal=True),
        Setting("demo.today", "Jour de la démonstration", "text", None,
                "Écrit par « econn demo » : la date du jour de la démo.",
                ("econn.demo.trainer:demo_settings",), internal=True),
    ]
    return {s.key: s for s in items}


def place(key: str) -> str:
    """Where a user changes a setting, for a finding's hint (« Paramétrage > Réglages, ou econn settings … »)."""
    return f"page Paramétrage, section « Réglages », ou « econn settings set {key} VALEUR »"


def _setting(key: str) -> Setting:
    s = registry().get(key)
    if s is None:
        known = ", ".join(k for k, v in registry().items() if not v.internal)
        raise SettingError({key: f"réglage inconnu ; réglages possibles : {known}"})
    return s


_YES = {"oui", "o", "yes", "y", "true", "vrai", "1"}
_NO = {"non", "n", "no", "false", "faux", "0"}


def parse(key: str, text: str | None) -> str | None:
    """The value to store for ``text`` (None: remove the setting, back to the default).

    Numbers accept a comma or a dot and a trailing unit (« 12,5 % »); they are stored with a dot.

    Raises:
        SettingError: unknown or internal key, or a value outside the allowed ones (the message names them).
    """
    s = _setting(key)
    if s.internal:
        raise SettingError({key: "réglage interne, écrit par econn : il ne se modifie pas"})
    raw = (text or "").strip()
    if not raw:
        return None
    if s.kind == "choice":
        low = raw.lower()
        if "oui" in dict(s.choices) and low in _YES:
            return "oui"
        if "non" in dict(s.choices) and low in _NO:
            return "non"
        if low in dict(s.choices):
            return low
        return _refuse(s, raw)
    number = raw
    if s.unit and number.endswith(s.unit):
        number = number[: -len(s.unit)].strip()
    number = number.rstrip("%€ ").replace("\u202f", "").replace("\xa0", "").replace(" ", "").replace(",", ".")
    try:
        value = Decimal(number)
    except InvalidOperation:
        return _refuse(s, raw)
    if not value.is_finite() or (s.kind == "integer" and value != value.to_integral_value()):
        return _refuse(s, raw)
    if s.minimum is not None and (value < s.minimum or (s.above_minimum and value == s.minimum)):
        return _refuse(s, raw)
    if s.maximum is not None and value > s.maximum:
        return _refuse(s, raw)
    return str(int(value)) if s.kind == "integer" else f"{value.normalize():f}"


def _refuse(s: Setting, raw: str) -> str:
    raise SettingError({s.key: f"valeur « {raw} » refusée : indiquez {s.allowed()}"})


def list_settings(workspace: str | os.PathLike[str]) -> list[SettingValue]:
    """Every setting with its stored value, in :func:`registry` order."""
    with store.connect(workspace, read_only=True) as con:
        stored = dict(con.execute("SELECT key, value FROM settings").fetchall())
    return [SettingValue(s, stored.get(k)) for k, s in registry().items()]


def get(workspace: str | os.PathLike[str], key: str) -> SettingValue:
    """One setting and its stored value.

    Raises:
        SettingError: unknown key.
    """
    s = _setting(key)
    with store.connect(workspace, read_only=True) as con:
        return SettingValue(s, store.get_setting(con, key))


def set_values(workspace: str | os.PathLike[str], values: dict[str, str | None], *,
               user: str | None = None) -> list[SettingValue]:
    """Check then store several settings at once (all or nothing); returns the settings that changed.

    Args:
        workspace: the workspace folder.
        values: key → text as typed (empty or None: remove, back to the default).
        user: who changes them (history).

    Raises:
        SettingError: one French message per refused key; nothing was stored.
    """
    errors: dict[str, str] = {}
    parsed: dict[str, str | None] = {}
    for key, text in values.items():
        try:
            parsed[key] = parse(key, text)
        except SettingError as exc:
            errors.update(exc.errors)
    if errors:
        raise SettingError(errors)
    from ..diagnostics.safety import current_user

    who = user or current_user()
    changed = []
    now = dt.datetime.now()
    with store.transaction(workspace) as con:
        for key, value in parsed.items():
            old = store.get_setting(con, key)
            if old == value:
                continue
            if value is None:
                con.execute("DELETE FROM settings WHERE key = ?", [key])
            else:
                store.set_setting(con, key, value)
            s = registry()[key]
            shown = value if value is not None else f"défaut ({s.default or 'non renseigné'})"
            con.execute("INSERT INTO history (connector, kind, data_type, level, occurred_at, message, reference, "
                        "closed_at, closed_by) VALUES ('', 'action', 'reglage', 'succès', ?, ?, ?, ?, ?)",
                        [now, f"Réglage {key} : {old or 'défaut'} → {shown}", key, now, who])
            changed.append(SettingValue(s, value))
    return changed


def set_value(workspace: str | os.PathLike[str], key: str, text: str | None, *,
              user: str | None = None) -> SettingValue:
    """Check then store one setting (empty: back to the default); returns it.

    Raises:
        SettingError: unknown or internal key, invalid value; nothing was stored.
    """
    set_values(workspace, {key: text}, user=user)
    return get(workspace, key)

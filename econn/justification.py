"""The one rule for a written justification (closing an error by hand, lifting the safety mode).

A justification is what an auditor reads later to understand a decision taken outside the normal flow:
« ok » or « x » tells them nothing. Every place that demands one applies :func:`problem`, so a text
refused by one is refused by all.
"""

from __future__ import annotations

MIN_LENGTH = 10


def clean(text: str | None) -> str:
    """The justification as stored: surrounding blanks removed."""
    return (text or "").strip()


def problem(text: str | None, action: str, example: str) -> str | None:
    """None when ``text`` is an acceptable justification, else the French message saying why not.

    Acceptable: at least :data:`MIN_LENGTH` characters once trimmed, with at least one letter.

    Args:
        text: the justification typed by the user.
        action: what it justifies, as it follows « pour » (« fermer une erreur »).
        example: an example of a good justification for this action.
    """
    t = clean(text)
    if not t:
        return f"La justification est obligatoire pour {action} (ex. « {example} »)."
    if len(t) < MIN_LENGTH or not any(ch.isalpha() for ch in t):
        return (f"La justification « {t} » est trop courte pour {action} : au moins {MIN_LENGTH} caractères, "
                f"avec des lettres (ex. « {example} »).")
    return None

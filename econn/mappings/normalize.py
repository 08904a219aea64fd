"""Text keys shared by the suggestion families (fold accents, case and punctuation)."""

from __future__ import annotations

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
# Typographic variants that NFKD does not fold to ASCII.
_TRANSLATE = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss", "’": "'",
                            "ø": "o", "Ø": "O"})


def fold(text: object) -> str:
    """Lower-case ASCII key: accents, case, punctuation and repeated spaces removed.

    ``"  Pays-Bas "`` → ``"pays bas"``; ``"Côte d’Ivoire"`` → ``"cote d ivoire"``; None → ``""``.
    """
    if text is None:
        return ""
    s = str(text).translate(_TRANSLATE)
    s = unicodedata.normalize("NFKD", s)
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).lower()
    return _NON_ALNUM.sub(" ", s).strip()


def fingerprint(text: object) -> str:
    """OpenRefine key-collision fingerprint: folded tokens, sorted and de-duplicated."""
    return " ".join(sorted(set(fold(text).split())))


def compact_code(text: object) -> str:
    """Reference key for near matches: upper case, no separators, no leading zeros in digit runs.

    ``"0012-ab"`` and ``"12AB"`` give ``"12AB"``; ``"AB 007"`` gives ``"AB7"``.
    """
    s = re.sub(r"[\s\-_./]+", "", str(text or "")).upper()
    return re.sub(r"(^|[^0-9])0+(?=[0-9])", r"\1", s)

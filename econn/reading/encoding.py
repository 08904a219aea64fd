"""Encoding detection for the CSV files a GC exports, from a bounded sample of bytes.

Order of evidence: byte-order mark, UTF-16 NUL patterns, strict UTF-8, then the 8-bit code
pages a French ERP actually writes (cp1252 first, then latin-9, cp850 and Mac Roman), each
scored on how plausible its letters are. charset-normalizer is only a second opinion for
files no Western code page explains: on French text it confuses cp1252 with cp1250.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from econn.errors import LoaderError

DEFAULT_SAMPLE_BYTES = 128 * 1024

# Binary signatures worth a precise message: a workbook dropped where a CSV was expected.
_MAGIC = {
    b"PK\x03\x04": "une archive ZIP (classeur Excel .xlsx ?)",
    b"\xd0\xcf\x11\xe0": "un document Office ancien format (.xls ?)",
    b"%PDF": "un document PDF",
    b"\x1f\x8b": "une archive gzip",
    b"\x89PNG": "une image PNG",
    b"\xff\xd8\xff": "une image JPEG",
}

# 8-bit code pages in order of prior probability for a French GC export: ties go to the first.
_CODE_PAGES = ("cp1252", "iso8859-15", "cp850", "mac_roman")

# Letters French and its neighbours use: evidence for a code page when they sit inside words.
_COMMON_LETTERS = set("éèêëàâäçîïôöùûüÿœæñßáíóúãõåøÉÈÊËÀÂÄÇÎÏÔÖÙÛÜŸŒÆÑÁÍÓÚ")
# Symbols a business CSV plausibly holds; anything else non-ASCII counts against the code page.
_COMMON_SYMBOLS = set("€’‘“”«»°–—…•²³£§©®µ·\u00a0½¼¾¤")
_IMPROBABLE_IN_WORDS = set("½¼¾¤¦¨´¸‚„ƒˆ‰‹›ŽžŠš")


@dataclass
class EncodingGuess:
    """Codec (a Python name), whether a BOM starts the file, confidence in [0, 1], notes."""

    codec: str
    bom: bool = False
    confidence: float = 1.0
    notes: list[str] = field(default_factory=list)


def read_sample(path: str | Path, sample_bytes: int = DEFAULT_SAMPLE_BYTES) -> tuple[bytes, bool]:
    """Read at most ``sample_bytes`` from the start of ``path``.

    Returns:
        The bytes read and whether the file continues beyond them.

    Raises:
        LoaderError: the file cannot be opened.
    """
    try:
        with open(path, "rb") as fh:
            raw = fh.read(sample_bytes)
            more = bool(fh.read(1))
    except OSError as exc:
        raise LoaderError(f"cannot read {path}: {exc}", f"Impossible de lire le fichier {path} : {exc}") from exc
    return raw, more


def _utf16_without_bom(raw: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when NULs sit on one parity only, as ASCII text in UTF-16 does."""
    sample = raw[:4096]
    half = len(sample) // 2
    if half < 4:
        return None
    even = sample[0::2].count(0) / half
    odd = sample[1::2].count(0) / half
    if odd > 0.3 and even < 0.05:
        return "utf-16-le"
    if even > 0.3 and odd < 0.05:
        return "utf-16-be"
    return None


def _check_binary(raw: bytes, path: str | Path) -> None:
    for magic, what in _MAGIC.items():
        if raw.startswith(magic):
            raise LoaderError(f"{path} is a binary file ({magic!r})",
                              f"Le fichier {Path(path).name} n'est pas un CSV : c'est {what}. "
                              "Enregistrez-le au format CSV (séparateur point-virgule) puis réessayez.")
    # A stray NUL or two happens in real exports (a padded field); a text file never has many.
    controls = sum(raw.count(bytes([b])) for b in range(32) if b not in (9, 10, 12, 13, 26, 27))
    if raw.count(0) > len(raw) * 0.01 or controls > len(raw) * 0.05:
        raise LoaderError(f"{path} looks binary ({controls} control bytes in {len(raw)})",
                          f"Le fichier {Path(path).name} ne ressemble pas à un fichier texte "
                          "(trop d'octets non imprimables) : ce n'est pas un CSV.")


_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")


def _plausibility(text: str) -> float:
    """Score non-ASCII characters of ``text``: plausible letters and symbols up, oddities down."""
    score = 0.0
    for match in _NON_ASCII_RUN.finditer(text):
        start, end = match.span()
        # Western words rarely chain 3 accented letters; Cyrillic or CJK bytes read as latin do.
        score -= 2.0 * max(0, end - start - 2)
        for i in range(start, min(end, start + 2)):
            score += _char_score(text[i - 1] if i else " ", text[i], text[i + 1] if i + 1 < len(text) else " ")
    return score


def _char_score(prev: str, ch: str, nxt: str) -> float:
    in_word = prev.isalpha() or nxt.isalpha()
    if ch in _COMMON_LETTERS:
        # A letter whose case disagrees with both neighbours was decoded with the wrong table
        # (cp850 'SEäORA' for Mac Roman 'SEÑORA', 'Ú' inside a lower-case word).
        if (ch.isupper() and prev.islower() and (nxt.islower() or not nxt.isalpha())) or (
                ch.islower() and prev.isupper() and nxt.isupper()):
            return -1.0
        return 2.0 if in_word else 1.0
    if ch in _IMPROBABLE_IN_WORDS and in_word:
        return -2.0
    if ch in _COMMON_SYMBOLS:
        return 2.0 if ch == "’" and prev.isalpha() else 1.0   # l’œuf: the French apostrophe
    if unicodedata.category(ch)[0] == "C":
        return -5.0   # C1 controls: latin-1/latin-9 reading of cp1252 punctuation
    if ch.isalpha():
        return 0.5 if in_word else -0.5
    return -1.5


def _best_code_page(raw: bytes) -> tuple[str, float, float, list[str]]:
    """Pick the Western code page whose decoding of ``raw`` reads most like real text."""
    scores: dict[str, float] = {}
    high = sum(1 for b in raw if b >= 0x80) or 1
    for codec in _CODE_PAGES:
        try:
            text = raw.decode(codec)
        except UnicodeDecodeError:
            continue   # cp1252 leaves 0x81 0x8D 0x8F 0x90 0x9D undefined: that rules it out
        scores[codec] = _plausibility(text) / high
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], _CODE_PAGES.index(kv[0])))
    notes: list[str] = []
    if not ranked:
        return "cp1252", 0.0, -99.0, ["no Western code page decodes the sample"]
    best, best_score = ranked[0]
    runner = ranked[1][1] if len(ranked) > 1 else -2.0
    # Prefer cp1252 unless another code page is clearly better: most French exports are cp1252.
    if best != "cp1252" and "cp1252" in scores and scores["cp1252"] >= best_score - 0.75:
        best, best_score = "cp1252", scores["cp1252"]
    # Latin-9 and cp1252 differ on 8 bytes only (and on 0x80-0x9F, controls in latin-9): any gain
    # there, e.g. 'c½ur' read as 'cœur', is real evidence.
    if best == "cp1252" and scores.get("iso8859-15", -99.0) > scores["cp1252"]:
        best, best_score = "iso8859-15", scores["iso8859-15"]
    confidence = max(0.0, min(1.0, 0.5 + (best_score - runner) / 4)) if best_score > 0 else 0.2
    notes.append("8-bit code page scores: " + ", ".join(f"{c}={s:.2f}" for c, s in ranked))
    return best, confidence, best_score, notes


def _second_opinion(raw: bytes) -> tuple[str, float] | None:
    """charset-normalizer's guess, or None when it has none (imported lazily: it is slow to load)."""
    try:
        from charset_normalizer import from_bytes
    except ImportError:   # optional: Western code pages still work without it
        return None
    best = from_bytes(raw[:32768]).best()
    if best is None:
        return None
    return codecs.lookup(best.encoding).name, 1.0 - float(best.chaos)


def detect_encoding(raw: bytes, truncated: bool, path: str | Path = "") -> EncodingGuess:
    """Guess the codec of a sample of bytes.

    Args:
        raw: the first bytes of the file.
        truncated: whether the file continues beyond ``raw`` (a cut multibyte tail is fine).
        path: for messages only.

    Returns:
        The guess, with a Python codec name.

    Raises:
        LoaderError: the file is empty or binary.
    """
    name = Path(path).name if path else "fichier"
    if not raw.strip(b" \t\r\n\x00"):
        raise LoaderError(f"{path} is empty", f"Le fichier {name} est vide : il n'y a rien à charger.")
    if raw.startswith(codecs.BOM_UTF8):
        return EncodingGuess("utf-8-sig", bom=True, notes=["UTF-8 byte-order mark"])
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return EncodingGuess("utf-16", bom=True, notes=["UTF-16 byte-order mark (Excel 'Texte Unicode')"])
    utf16 = _utf16_without_bom(raw)
    if utf16:
        return EncodingGuess(utf16, confidence=0.9, notes=["UTF-16 without BOM (NUL on one byte parity)"])
    _check_binary(raw, path)
    try:
        codecs.getincrementaldecoder("utf-8")().decode(raw, final=not truncated)
        ascii_only = raw.isascii()
        return EncodingGuess("utf-8", confidence=0.9 if ascii_only else 0.99,
                             notes=["ASCII only" if ascii_only else "valid UTF-8"])
    except UnicodeDecodeError:
        # A UTF-8 file with a few stray bytes (a pasted cp1252 line) is still a UTF-8 file.
        text = raw.decode("utf-8", errors="replace")
        bad = text.count("\ufffd")
        multibyte = sum(1 for ch in text if ch > "\x7f") - bad
        if multibyte >= 10 and bad * 20 <= multibyte:
            return EncodingGuess("utf-8", confidence=0.8,
                                 notes=[f"UTF-8 with {bad} invalid byte sequence(s) in the sample"])
    codec, confidence, score, notes = _best_code_page(raw)
    # Only a clearly bad fit on enough bytes is worth a second opinion: on a few bytes
    # charset-normalizer guesses wildly (UTF-16 for two accented words).
    if score < 0 and sum(1 for b in raw if b >= 0x80) >= 16:
        opinion = _second_opinion(raw)
        if opinion and not opinion[0].startswith(("utf", "ascii")):
            notes.append(f"no Western code page fits; charset-normalizer says {opinion[0]}")
            return EncodingGuess(opinion[0].replace("_", "-"), confidence=max(0.3, opinion[1] * 0.8),
                                 notes=notes)
    return EncodingGuess(codec, confidence=confidence, notes=notes)


def decode_sample(raw: bytes, guess: EncodingGuess, truncated: bool) -> str:
    """Decode a sample, dropping a cut last line and the BOM, so the text ends on a full record."""
    text = raw.decode(guess.codec, errors="replace")
    if text.startswith("\ufeff"):
        text = text[1:]
    if truncated:
        cut = max(text.rfind("\n"), text.rfind("\r"))
        if cut > 0:
            text = text[: cut + 1]
    return text.replace("\x00", "")

"""« Guide utilisateur »: docs/guide-utilisateur.md shown as a dashboard page, screenshots included.

Voilà serves rendered notebooks only (no file of the checkout), so the guide is rendered here: Markdown to
HTML with mistune (Voilà's nbconvert already depends on it), headings given the GitHub-style ids the guide's
table of contents links to, and the screenshots inlined as data URIs. The text is the checkout's file,
read when the page opens: the page and the file never differ.
"""

from __future__ import annotations

import base64
import re
import unicodedata
from pathlib import Path

import ipywidgets as w

from ..store.workspace import repo_root
from .common import css, page_header
from .format import esc

GUIDE = Path("docs") / "guide-utilisateur.md"
_IMAGE = re.compile(r'<img src="(screenshots/[\w.-]+\.png)"')
_HEADING = re.compile(r"<h([1-6])>(.*?)</h\1>", re.S)
_TAGS = re.compile(r"<[^>]+>")


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens, accents kept."""
    text = unicodedata.normalize("NFC", _TAGS.sub("", heading)).strip().lower()
    text = re.sub(r"&(?:[a-z]+|#\d+|#x[0-9a-f]+);", "", text)
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def guide_html(path: Path | None = None) -> str:
    """The guide as HTML with heading ids and inlined screenshots; a French notice when it is missing."""
    import mistune

    root = repo_root()
    path = path or (root / GUIDE if root else None)
    if path is None or not path.exists():
        return ("<p>Le guide utilisateur n'est pas disponible dans cette installation : il se trouve dans le "
                "dossier <code>docs/</code> du dépôt d'econn (<code>guide-utilisateur.md</code>).</p>")
    html = str(mistune.html(path.read_text(encoding="utf-8")))
    html = _HEADING.sub(lambda m: f'<h{m[1]} id="{esc(slug(m[2]))}">{m[2]}</h{m[1]}>', html)

    def inline(m: re.Match[str]) -> str:
        image = path.parent / m[1]
        if not image.exists():
            return m[0]
        data = base64.b64encode(image.read_bytes()).decode("ascii")
        return f'<img loading="lazy" style="max-width:100%" src="data:image/png;base64,{data}"'

    return _IMAGE.sub(inline, html)


class GuidePage(w.VBox):
    """The user guide, with the page header every dashboard has."""

    def __init__(self) -> None:
        super().__init__()
        self.add_class("econn-page")
        self.header = page_header("Guide utilisateur", connector=False)
        self.body = css(w.HTML(guide_html()), "econn-guide")
        self.children = [self.header, self.body]

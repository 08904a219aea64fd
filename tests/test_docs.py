"""The documentation is current: generated pages match the code, links resolve, the README stays short."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


def test_generated_pages_are_current() -> None:
    run = subprocess.run([sys.executable, str(ROOT / "tools" / "gen_docs.py"), "--check"],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr


def test_findings_page_lists_every_code_with_its_level() -> None:
    from econn.findings import CATALOGUE

    page = (ROOT / "docs" / "findings.md").read_text(encoding="utf-8")
    for code, spec in CATALOGUE.items():
        assert f"| `{code}` | {spec.level.value} |" in page, code


def test_links_of_readme_and_docs_resolve() -> None:
    pages = [ROOT / "README.md", ROOT / "SECURITY.md", *sorted((ROOT / "docs").glob("*.md"))]
    broken = []
    for page in pages:
        for target in LINK.findall(page.read_text(encoding="utf-8")):
            if re.match(r"[a-z]+://", target):
                continue
            if not (page.parent / target).exists():
                broken.append(f"{page.relative_to(ROOT)} → {target}")
    assert not broken, broken


def test_readme_is_for_a_newcomer() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 200
    assert "make run" in text and "make test" in text
    diary = re.compile(r"\bsessions?\b|tried and dropped|\bearlier\b|\bbefore, \b", re.I)
    for page in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        hits = [line for line in page.read_text(encoding="utf-8").splitlines() if diary.search(line)]
        assert not hits, (page.name, hits[:3])

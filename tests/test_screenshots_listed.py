"""The README's screenshots are the ones `make screenshots` takes, and no other (issue #9).

`make screenshots` runs the browser tests with ECONN_SCREENSHOTS=docs/screenshots; each
``screenshot(pg, "name")`` call writes docs/screenshots/name.png. A README image that no browser test
takes would never be regenerated; a screenshot taken but shown nowhere, or a PNG left in
docs/screenshots that no test takes any more, is stale weight.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "docs" / "screenshots"
README_IMAGE = re.compile(r"docs/screenshots/([\w.-]+)\.png")
CALL = re.compile(r"\bscreenshot\(\s*\w+\s*,\s*(?P<arg>[^)]*)\)")
LITERAL = re.compile(r"""^(["'])([\w.-]+)\1$""")


def _taken() -> dict[str, list[str]]:
    """Screenshot name → the browser test files whose ``screenshot(pg, "name")`` takes it."""
    taken: dict[str, list[str]] = {}
    for path in sorted((ROOT / "tests" / "browser").glob("test_*.py")):
        for m in CALL.finditer(path.read_text(encoding="utf-8")):
            literal = LITERAL.match(m.group("arg").strip())
            assert literal, (f"{path.name}: screenshot({m.group('arg')}) — give the name as a string "
                             "literal, so that this test can check it against the README")
            taken.setdefault(literal.group(2), []).append(path.name)
    return taken


def _in_readme() -> set[str]:
    return set(README_IMAGE.findall((ROOT / "README.md").read_text(encoding="utf-8")))


def test_browser_tests_take_screenshots() -> None:
    assert _taken(), "no screenshot(pg, \"name\") call found under tests/browser"


def test_every_readme_screenshot_is_taken_by_a_browser_test() -> None:
    missing = sorted(_in_readme() - set(_taken()))
    assert not missing, (f"README shows docs/screenshots/{{{', '.join(missing)}}}.png "
                         "but no browser test takes it")


def test_every_screenshot_taken_is_in_the_readme() -> None:
    unused = sorted(set(_taken()) - _in_readme())
    assert not unused, (f"browser tests take {', '.join(unused)} (docs/screenshots/NAME.png) "
                        "but README.md does not show it")


def test_no_stale_png_in_docs_screenshots() -> None:
    stale = sorted(p.name for p in SHOTS.glob("*.png") if p.stem not in _taken())
    assert not stale, f"docs/screenshots holds {stale}, which no browser test takes any more"

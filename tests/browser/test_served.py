"""What Voilà serves: dashboards only — no notebook sources, no workspace database, no client files."""

from __future__ import annotations

import re
import urllib.error
import urllib.request

import pytest


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=20) as r:
            return r.status, r.read(4096)
    except urllib.error.HTTPError as e:
        return e.code, b""


@pytest.mark.parametrize("path", [
    "/api/contents",
    "/api/contents/00_accueil.ipynb",
    "/api/kernels",
    "/voila/files/00_accueil.ipynb",
    "/files/00_accueil.ipynb",
    "/voila/files/../data/demo/econn.duckdb",
    "/voila/files/%2e%2e/data/demo/econn.duckdb",
    "/voila/render/../pyproject.toml",
    "/voila/static/../../../pyproject.toml",
    "/tree",
    "/lab",
])
def test_sources_and_data_are_not_served(voila_server, path: str) -> None:  # type: ignore[no-untyped-def]
    status, body = _get(voila_server.url + path)
    assert status in (403, 404, 405), f"{path} answered {status}"
    assert b"DUCK" not in body and b'"cells"' not in body


def test_client_files_of_the_workspace_are_not_served(voila_server) -> None:  # type: ignore[no-untyped-def]
    pending = sorted((voila_server.workspace / "connecteurs" / "CSV" / "import").glob("*.csv"))[0]
    for path in (f"/voila/files/{pending}", f"/files/{pending}", f"/voila/files/{pending.name}"):
        status, _ = _get(voila_server.url + path)
        assert status in (403, 404), f"{path} answered {status}"


def test_rendered_page_has_no_source_and_server_binds_loopback(voila_server) -> None:  # type: ignore[no-untyped-def]
    status, _ = _get(voila_server.url + "/voila/render/00_accueil.ipynb")
    assert status == 200
    with urllib.request.urlopen(voila_server.url + "/voila/render/00_accueil.ipynb", timeout=60) as r:
        html = r.read().decode("utf-8", "replace")
    assert "from econn" not in html and "import " not in html
    # econn's template: nothing asked of a CDN (offline, a CDN style sheet holds the first paint)
    assert "/voila/templates/econn/static/" in html
    assert not re.findall(r'(?:src|href)="(?:https?:)?//', html), "the page asks another host for something"
    assert voila_server.url.startswith("http://127.0.0.1:")

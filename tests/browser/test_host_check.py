"""DNS rebinding (issue #17, point 1): a foreign Host header gets 403 on pages, static files and websockets.

A web page the user visits can rebind its own name to 127.0.0.1; its requests then reach Voilà with
``Host: evil.example:PORT`` and an Origin that matches it. 127.0.0.1 and localhost must keep working.
"""

from __future__ import annotations

import base64
import http.client
import os
import re
import urllib.request

import pytest

FOREIGN = "evil.example"


def _port(server) -> int:  # type: ignore[no-untyped-def]
    return int(server.url.rsplit(":", 1)[1])


def _get(server, path: str, host: str) -> int:  # type: ignore[no-untyped-def]
    c = http.client.HTTPConnection("127.0.0.1", _port(server), timeout=60)
    try:
        c.request("GET", path, headers={"Host": f"{host}:{_port(server)}"})
        r = c.getresponse()
        r.read()
        return r.status
    finally:
        c.close()


def _websocket(server, path: str, host: str) -> int:  # type: ignore[no-untyped-def]
    """The status of a websocket handshake (101 accepted) with matching Host and Origin, as a rebound page sends."""
    c = http.client.HTTPConnection("127.0.0.1", _port(server), timeout=60)
    try:
        c.request("GET", path, headers={
            "Host": f"{host}:{_port(server)}", "Origin": f"http://{host}:{_port(server)}",
            "Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Version": "13",
            "Sec-WebSocket-Key": base64.b64encode(os.urandom(16)).decode()})
        return c.getresponse().status
    finally:
        c.close()


@pytest.fixture(scope="module")
def page_html(voila_server) -> str:  # type: ignore[no-untyped-def]
    with urllib.request.urlopen(voila_server.render_url("04_historique.ipynb"), timeout=120) as r:
        return r.read().decode("utf-8", "replace")


@pytest.mark.parametrize("path", ["/voila/render/00_accueil.ipynb", "/"])
def test_foreign_host_gets_403_on_pages(voila_server, path: str) -> None:  # type: ignore[no-untyped-def]
    assert _get(voila_server, path, FOREIGN) == 403


def test_static_files_answer_local_hosts_only(voila_server, page_html: str) -> None:  # type: ignore[no-untyped-def]
    statics = sorted(set(re.findall(r'(?:src|href)="(/voila/(?:static|templates)/[^"?]+)', page_html)))
    assert statics, "the page links no static file"
    for path in statics[:4]:
        assert _get(voila_server, path, FOREIGN) == 403, path
        assert _get(voila_server, path, "127.0.0.1") == 200, path
        assert _get(voila_server, path, "localhost") == 200, path


def test_websockets_refuse_a_foreign_host(voila_server, page_html: str) -> None:  # type: ignore[no-untyped-def]
    kernel = re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", page_html)
    assert kernel, "no kernel id in the page"
    channels = f"/api/kernels/{kernel.group(0)}/channels"
    query = f"/voila/query/{kernel.group(0)}"
    assert _websocket(voila_server, channels, FOREIGN) == 403
    assert _websocket(voila_server, query, FOREIGN) == 403
    assert _websocket(voila_server, query, "127.0.0.1") == 101   # the control: the same handshake, local


def test_local_hosts_still_get_the_pages(voila_server) -> None:  # type: ignore[no-untyped-def]
    assert _get(voila_server, "/voila/render/00_accueil.ipynb", "127.0.0.1") == 200
    assert _get(voila_server, "/voila/render/00_accueil.ipynb", "localhost") == 200


@pytest.mark.parametrize("path", ["/voila/api/contents", "/voila/api/contents/", "/voila/api/contents/00_accueil.ipynb"])
def test_the_contents_api_is_not_served(voila_server, path: str) -> None:  # type: ignore[no-untyped-def]
    assert _get(voila_server, path, "127.0.0.1") in (403, 404)

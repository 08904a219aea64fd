"""Voilà as econn serves it (``econn ui``, ``make run``, the browser tests): Voilà with three guards.

* **Host check on every request.** Voilà sets tornado's ``allow_remote_access`` to True, so jupyter_server
  answers any ``Host`` header: a web page the user visits can rebind its own name to 127.0.0.1 (DNS rebinding)
  and drive the dashboards — its requests and websockets then carry ``Host: evil.example:8866`` and matching
  origins. Here ``allow_remote_access`` is False (``voila.json`` says so too): jupyter_server's handlers
  (pages, API, kernel websockets) answer 403 to a host that is neither a loopback address nor in
  ``local_hostnames`` (``localhost``), and Voilà's plain tornado handlers (static files, templates,
  lab extensions, the ``/voila/query`` websocket) get the same check from :class:`HostChecked`.
* **A token whenever the server is exposed.** Listening on a non-loopback address, or widening the host check
  (``allow_remote_access: true`` in ``tornado_settings``), without a token is refused at start-up.
* **No contents API.** ``/voila/api/contents`` (the notebook listing of the tree page's script) is not served.
"""

from __future__ import annotations

import ipaddress
import re
import sys
from typing import Any

from jupyter_server.base.handlers import JupyterHandler
from tornado import web
from voila.app import Voila
from voila.tornado.contentshandler import VoilaContentsHandler
from voila.tornado.handler import TornadoVoilaHandler

from .limits import CappedRender


def host_is_local(host_header: str, local_hostnames: list[str]) -> bool:
    """jupyter_server's rule (``JupyterHandler.check_host``): a loopback address or a listed local name."""
    m = re.match(r"^(.*?)(:\d+)?$", host_header)
    host = m.group(1) if m else host_header
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host in local_hostnames


class HostChecked:
    """Mixin for tornado handlers that are not jupyter_server's: the same Host check, before anything else."""

    def prepare(self) -> Any:
        settings = self.settings  # type: ignore[attr-defined]
        if not settings.get("allow_remote_access", False) and not host_is_local(
                self.request.host, settings.get("local_hostnames", ["localhost"])):  # type: ignore[attr-defined]
            raise web.HTTPError(403, "Host %s refused", self.request.host)  # type: ignore[attr-defined]
        return super().prepare()  # type: ignore[misc]


def _host_checked(cls: type) -> type:
    if issubclass(cls, TornadoVoilaHandler):   # a page: the Host check, then the cap on page kernels
        return type(f"Capped{cls.__name__}", (CappedRender, cls), {})
    if issubclass(cls, JupyterHandler):
        return cls                         # JupyterHandler.prepare already calls check_host
    return type(f"HostChecked{cls.__name__}", (HostChecked, cls), {})


def exposed_without_token(ip: str, tornado_settings: dict[str, Any], token: str | None) -> bool:
    """True when the server would answer other machines (or any Host) and no token protects it."""
    try:
        loopback = ipaddress.ip_address(ip).is_loopback
    except ValueError:
        loopback = ip == "localhost"
    wide = not loopback or bool(tornado_settings.get("allow_remote_access", False))
    return wide and not token


class EconnVoila(Voila):  # type: ignore[misc]
    """Voilà with the Host check on every handler, a token required when exposed, no contents API."""

    def init_settings(self) -> dict[str, Any]:
        settings = super().init_settings()
        settings["allow_remote_access"] = False   # tornado_settings (voila.json) is applied after this
        return settings

    def init_handlers(self) -> list[Any]:
        out = []
        for h in super().init_handlers():
            if isinstance(h, tuple) and len(h) >= 2 and isinstance(h[1], type):
                if issubclass(h[1], VoilaContentsHandler):
                    continue
                h = (h[0], _host_checked(h[1]), *h[2:])
            out.append(h)
        return out

    def start(self) -> None:
        token = getattr(self, "token", None) or getattr(getattr(self, "identity_provider", None), "token", None)
        if exposed_without_token(self.ip, self.tornado_settings, token):
            self.log.critical("Refusing to serve on %s without a token (set --Voila.token=<long random value>)",
                              self.ip)
            print(f"econn : refus de servir les tableaux de bord sur {self.ip} sans jeton. Ajoutez "
                  "--Voila.token=<valeur longue et aléatoire>, ou gardez l'adresse 127.0.0.1.", file=sys.stderr)
            sys.exit(2)
        super().start()


main = EconnVoila.launch_instance

if __name__ == "__main__":
    main()

"""The request of a preheated Voilà page, received without importing Voilà in the kernel.

A preheated kernel runs its notebook before anyone asks for the page; when a browser asks, Voilà's server
sends the request's variables (address, query string) over its ``/voila/query/<kernel id>`` websocket to
whoever waits there. Voilà's own helper, ``voila.utils.wait_for_request``, lives in a module that imports
the whole Voilà package and, through it, jupyter_server and its event schemas: 2.5 s of CPU in every
preheated kernel (a grammar compiled by ``lark`` on import), seven kernels at start-up, and on the path
of the first page asked right after start-up. This module speaks the same small protocol with the
``websockets`` client Voilà itself uses: connect, receive one JSON object, put it in ``os.environ``.
"""

from __future__ import annotations

import asyncio
import json
import os

import websockets

# Names of the variables Voilà's kernel manager gives a preheated kernel (voila.utils.ENV_VARIABLE).
PREHEAT = "VOILA_PREHEAT"
KERNEL_ID = "VOILA_KERNEL_ID"


def query_url(environ: dict[str, str] | None = None) -> str:
    """The websocket address where Voilà sends this kernel its page's request (as Voilà builds it)."""
    env = os.environ if environ is None else environ
    protocol = env.get("VOILA_WS_PROTOCOL", "ws")
    ip = env.get("VOILA_APP_IP", "127.0.0.1")
    port = env.get("VOILA_APP_PORT", "8866")
    base = env.get("VOILA_WS_BASE_URL", env.get("VOILA_SERVER_URL", "/"))
    return f"{protocol}://{ip}:{port}{base}voila/query/{env.get(KERNEL_ID, '')}"


async def _receive(url: str, open_timeout: float) -> str:
    async with websockets.connect(url, open_timeout=open_timeout) as ws:
        message = await ws.recv()
    return message if isinstance(message, str) else message.decode("utf-8")


def wait_for_voila_request(open_timeout: float = 5.0) -> bool:
    """Block until a browser asks for this preheated kernel's page, then set the request's variables
    (``QUERY_STRING``, ``SCRIPT_NAME``…) in ``os.environ``. Call it from a helper thread: it runs its own
    event loop. Returns False at once outside a preheated Voilà kernel.

    Raises:
        OSError, asyncio.TimeoutError, websockets.WebSocketException: the server could not be reached.
        ValueError: the server sent something other than a JSON object.
    """
    if os.environ.get(PREHEAT, "False") != "True":
        return False
    loop = asyncio.new_event_loop()
    try:
        message = loop.run_until_complete(_receive(query_url(), open_timeout))
    finally:
        loop.close()
    info = json.loads(message)
    if not isinstance(info, dict):
        raise ValueError(f"Voilà's request info is not an object: {message[:200]!r}")
    for key, value in info.items():
        os.environ[str(key)] = str(value)
    return True

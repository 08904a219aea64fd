"""econn.server.app: Voilà with a Host check everywhere, a token required when exposed (issue #17, point 1)."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from econn.cli.ui_cmds import voila_env
from econn.server.app import exposed_without_token, host_is_local

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("host, local", [("127.0.0.1:8866", True), ("localhost:8866", True), ("[::1]:8866", True),
                                         ("127.3.4.5", True), ("evil.example:8866", False),
                                         ("localhost.evil.example:8866", False), ("192.168.1.10:8866", False)])
def test_host_is_local(host: str, local: bool) -> None:
    assert host_is_local(host, ["localhost"]) is local


def test_exposure_needs_a_token() -> None:
    assert not exposed_without_token("127.0.0.1", {}, None)
    assert exposed_without_token("0.0.0.0", {}, None)
    assert exposed_without_token("127.0.0.1", {"allow_remote_access": True}, "")
    assert not exposed_without_token("0.0.0.0", {}, "a-long-random-token")


def test_voila_json_keeps_the_host_check_on() -> None:
    settings = json.loads((ROOT / "voila.json").read_text(encoding="utf-8"))["Voila"]["tornado_settings"]
    assert settings["allow_remote_access"] is False and settings["local_hostnames"] == ["localhost"]


def test_serving_every_address_without_a_token_is_refused_at_start(tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    r = subprocess.run([sys.executable, "-m", "econn.server.app", "notebooks/", "--Voila.ip=0.0.0.0",
                        f"--Voila.port={port}", "--Voila.port_retries=0", "--no-browser",
                        f"--Voila.config_file_paths={ROOT}", "--VoilaConfiguration.preheat_kernel=False"],
                       cwd=ROOT, env=voila_env(ROOT, tmp_path), capture_output=True, text=True, timeout=120)
    assert r.returncode == 2, r.stderr[-2000:]
    assert "refus de servir" in r.stderr and "jeton" in r.stderr

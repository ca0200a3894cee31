"""A real learning record store for the tests: Ralph's LRS server (``ralph-malph`` from PyPI).

It runs from its own venv (``.venv-lrs/``, made by scripts/test.sh from requirements-lrs.txt,
since its pins clash with Streamlit's), with the filesystem backend in a temporary folder, on a
free port of 127.0.0.1, and an HTTP Basic credentials file written by ``ralph auth``. The server
is Ralph's app under uvicorn, as ``ralph runserver`` starts it, without the auto-reloader and
with the filesystem backend appending (tests/helpers/lrs_serve.py says why).
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
RALPH = Path(os.environ.get("MESO_RALPH", ROOT / ".venv-lrs" / "bin" / "ralph"))
SERVE = Path(__file__).with_name("lrs_serve.py")
USERNAME = "meso-course"


def require_ralph() -> Path:
    """The ralph command; a skip without it (a failure in CI, where scripts/test.sh installs it)."""
    if not RALPH.exists():
        message = f"Ralph's LRS is not installed at {RALPH} (bash scripts/test.sh installs it)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return RALPH


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Ralph:
    """A running Ralph LRS: its xAPI endpoint and the credentials it accepts."""

    endpoint: str
    password: str
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def auth(self) -> tuple[str, str]:
        return USERNAME, self.password

    def env(self) -> dict[str, str]:
        """The course's settings that send statements to this LRS."""
        return {"MESO_LRS_URL": self.endpoint, "MESO_LRS_USERNAME": USERNAME, "MESO_LRS_PASSWORD": self.password}

    def statements(self, **params: str) -> list[dict[str, Any]]:
        """Every statement the LRS holds that matches ``params`` (following ``more`` links)."""
        found: list[dict[str, Any]] = []
        url: str | None = f"{self.endpoint}/statements"
        query: dict[str, str] | None = {"limit": "100", **params}
        base = self.endpoint.rsplit("/xAPI", 1)[0]
        while url:
            reply = requests.get(
                url, params=query, auth=self.auth, headers={"X-Experience-API-Version": "1.0.3"}, timeout=10
            )
            reply.raise_for_status()
            body = reply.json()
            found += body["statements"]
            more = body.get("more")
            url, query = (base + more if more and not more.startswith("http") else more), None
        return found

    def statement(self, statement_id: str) -> dict[str, Any]:
        reply = requests.get(
            f"{self.endpoint}/statements",
            params={"statementId": statement_id},
            auth=self.auth,
            headers={"X-Experience-API-Version": "1.0.3"},
            timeout=10,
        )
        reply.raise_for_status()
        body = reply.json()
        if "statements" in body:  # Ralph 5.1 answers a single-statement GET with a list of one
            [body] = body["statements"]
        return dict(body)


@contextlib.contextmanager
def ralph_server(folder: Path, port: int | None = None, home: str = "https://meso.example") -> Iterator[Ralph]:
    """Start Ralph in ``folder`` (credentials, store, log), wait until it answers, stop it after."""
    ralph = require_ralph()
    folder.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    password = secrets.token_urlsafe(16)
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(folder),
        "RALPH_APP_DIR": str(folder / "app"),
        "RALPH_AUTH_FILE": str(folder / "auth.json"),
        "RALPH_RUNSERVER_BACKEND": "fs",
    }
    subprocess.run(
        [str(ralph), "auth", "-u", USERNAME, "-p", password, "-s", "all", "-A", USERNAME, home, "-w"],
        cwd=folder, env=env, check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    log = folder / "ralph.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [str(ralph.with_name("python")), str(SERVE), "127.0.0.1", str(port)],
            cwd=folder, env=env | {"RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(folder / "store")},
            stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    server = Ralph(f"http://127.0.0.1:{port}/xAPI", password, process, log)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"Ralph stopped at start:\n{log.read_text(errors='replace')[-2000:]}")
            with contextlib.suppress(requests.RequestException):
                if requests.get(f"http://127.0.0.1:{port}/__heartbeat__", timeout=1).ok:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError(f"Ralph did not answer in 60 s:\n{log.read_text(errors='replace')[-2000:]}")
            time.sleep(0.2)
        yield server
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)  # the server's own process group
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


def agent_query(home: str, login: str) -> str:
    return json.dumps({"objectType": "Agent", "account": {"homePage": home, "name": login}})

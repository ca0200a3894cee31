"""A real nginx (Debian's) in front of test replicas, running the shipped deploy/nginx/meso.conf.

The shipped file is the one source: :func:`render` only swaps its replica list, its ``listen``
port and its access log path for the test's (and fails if any of them is not found, so a
change to the file's shape shows up here rather than a test that no longer tests it). The
main configuration around it keeps the pid file, logs and temporary files in a folder of the
test's, with ``daemon off`` so the test owns the process.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

NGINX = Path("/usr/sbin/nginx")
ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "deploy" / "nginx" / "meso.conf"

_REPLICA = re.compile(r"^(\s*)server 127\.0\.0\.1:\d+;\n", re.MULTILINE)
_LISTEN = re.compile(r"^(\s*)listen 80;$", re.MULTILINE)
_ACCESS_LOG = re.compile(r"access_log /var/log/nginx/meso\.access\.log ")


def render(text: str, replica_ports: Sequence[int], listen_port: int, log: Path) -> str:
    """The shipped configuration with the test's replicas, port and access log."""
    replicas = _REPLICA.findall(text)
    assert len(replicas) >= 1, "deploy/nginx/meso.conf lists no replica (server 127.0.0.1:PORT;)"
    indent = replicas[0]
    listed = "".join(f"{indent}server 127.0.0.1:{port};\n" for port in replica_ports)
    text = _REPLICA.sub("", text)
    text, upstreams = re.subn(r"(hash \$meso_route consistent;\n(?:\s*#.*\n)*)", lambda m: m.group(1) + listed, text)
    assert upstreams == 1, "deploy/nginx/meso.conf has no `hash $meso_route consistent;` upstream"
    text, listens = _LISTEN.subn(rf"\g<1>listen 127.0.0.1:{listen_port};", text)
    assert listens == 1, "deploy/nginx/meso.conf has no `listen 80;`"
    text, logs = _ACCESS_LOG.subn(f"access_log {log} ", text)
    assert logs == 1, "deploy/nginx/meso.conf has no `access_log /var/log/nginx/meso.access.log`"
    return text


MAIN = """daemon off;
{user}worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log info;
events {{ worker_connections 512; }}
http {{
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include {folder}/meso.conf;
}}
"""


@dataclass(frozen=True)
class Proxy:
    base_url: str
    access_log: Path
    folder: Path

    def log_lines(self) -> list[str]:
        return self.access_log.read_text().splitlines() if self.access_log.exists() else []


def _wait_listening(port: int, process: subprocess.Popen[bytes], folder: Path, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"nginx exited:\n{(folder / 'error.log').read_text()}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nginx did not listen on {port} in {timeout}s")


@contextmanager
def start_proxy(replica_ports: Sequence[int], listen_port: int, folder: Path) -> Iterator[Proxy]:
    """Run nginx with the shipped configuration in front of ``replica_ports``; stop it after."""
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / "meso.access.log"
    (folder / "meso.conf").write_text(render(SHIPPED.read_text(), replica_ports, listen_port, log))
    # as root the workers would run as nobody, who cannot enter pytest's private tmp folders
    user = "user root;\n" if os.geteuid() == 0 else ""
    main = folder / "nginx.conf"
    main.write_text(MAIN.format(folder=folder, user=user))
    command = [str(NGINX), "-p", str(folder), "-c", str(main)]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stderr
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=(folder / "stderr.log").open("w"))
    try:
        _wait_listening(listen_port, process, folder)
        yield Proxy(f"http://127.0.0.1:{listen_port}", log, folder)
    finally:
        process.terminate()  # SIGTERM: nginx's fast shutdown
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()

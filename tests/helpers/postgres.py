"""A real PostgreSQL for the tests: Debian's server, started in a temporary folder.

``initdb`` runs in a fresh folder (as the ``postgres`` user when the tests run as root, since
PostgreSQL refuses to run as root), the server listens on a free localhost port and on a
unix socket in that folder, and it is stopped when the test session ends. Local connections
are trusted; TCP ones need a password (so a wrong one can be tested). A template database
holds the migrated schema, and each test gets its own copy (``CREATE DATABASE ... TEMPLATE``),
which takes a few tens of milliseconds.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

BIN = Path("/usr/lib/postgresql/15/bin")
TEMPLATE = "meso_template"
PASSWORD = "tests-only-password"
ROLE = "meso"


def available() -> bool:
    return (BIN / "initdb").exists()


def _as_postgres(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@dataclass
class Server:
    """One running PostgreSQL; :meth:`new_database` gives a test its own migrated database."""

    folder: Path
    port: int
    counter: itertools.count[int] = field(default_factory=itertools.count)

    @property
    def socket_dir(self) -> Path:
        return self.folder / "sock"

    def url(self, database: str = "postgres") -> str:
        """A trusted address over the unix socket (as the ``meso`` role)."""
        return f"postgresql://{ROLE}@/{database}?host={self.socket_dir}&port={self.port}"

    def tcp_url(self, database: str, password: str = PASSWORD) -> str:
        """An address over TCP on localhost, which needs the password."""
        return f"postgresql://{ROLE}:{password}@127.0.0.1:{self.port}/{database}"

    def admin(self) -> psycopg.Connection[tuple[object, ...]]:
        return psycopg.connect(self.url("postgres"), autocommit=True)

    def new_database(self, template: str = TEMPLATE) -> str:
        """A fresh database copied from the migrated template; returns its name."""
        name = f"t{os.getpid()}_{next(self.counter)}"
        with self.admin() as connection:
            connection.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        return name

    def stop(self) -> None:
        subprocess.run(
            _as_postgres([str(BIN / "pg_ctl"), "-D", str(self.folder / "db"), "-m", "fast", "-w", "stop"]),
            check=False,
            capture_output=True,
        )

    def start(self) -> None:
        log = self.folder / "server.log"
        subprocess.run(
            _as_postgres(
                [str(BIN / "pg_ctl"), "-D", str(self.folder / "db"), "-l", str(log), "-w", "-t", "60", "start"]
            ),
            check=True,
            capture_output=True,
        )


def start(port: int) -> Server:
    """initdb in a temporary folder and start the server on ``port``; the caller stops it."""
    folder = Path(tempfile.mkdtemp(prefix="meso-pg-"))
    (folder / "sock").mkdir()
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
        shutil.chown(folder / "sock", "postgres", "postgres")
    subprocess.run(
        _as_postgres(
            [
                str(BIN / "initdb"),
                "-D",
                str(folder / "db"),
                "-U",
                "postgres",
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ]
        ),
        check=True,
        capture_output=True,
    )
    conf = folder / "db" / "postgresql.conf"
    with conf.open("a") as handle:
        handle.write(
            f"\nport = {port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{folder / 'sock'}'\n"
            "fsync = on\nsynchronous_commit = on\nmax_connections = 200\nshared_buffers = 128MB\n"
        )
    server = Server(folder, port)
    server.start()
    deadline = time.monotonic() + 30
    while True:
        try:
            superuser = f"postgresql://postgres@/postgres?host={folder / 'sock'}&port={port}"
            with psycopg.connect(superuser, autocommit=True) as c:
                c.execute(f"CREATE ROLE {ROLE} LOGIN SUPERUSER PASSWORD '{PASSWORD}'")
                c.execute(f"CREATE DATABASE {TEMPLATE} OWNER {ROLE}")
            break
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
    from course.store.migrate import upgrade

    upgrade(server.url(TEMPLATE))
    return server


def remove(server: Server) -> None:
    server.stop()
    shutil.rmtree(server.folder, ignore_errors=True)


@contextlib.contextmanager
def running() -> Iterator[Server]:
    """:func:`start` on a free port for the block, then :func:`remove` (the callers check
    :func:`available` first, each saying in its own way what to install)."""
    from tests.browser.server import free_port

    server = start(free_port())
    try:
        yield server
    finally:
        remove(server)

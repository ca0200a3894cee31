"""Several ``streamlit run app.py`` replicas against one real PostgreSQL, for the scale-out tests.

:func:`fresh_database` makes an empty database on the test session's server and creates its
schema with the command an operator runs (``python -m course db upgrade``); :func:`start_replicas`
starts N servers on free ports, all with ``MESO_DATABASE_URL`` pointing at it and with the same
content folders (the shipped lessons and banks, plus the fixed-order test bank).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from tests.browser.server import start_server
from tests.helpers.apptest import write_bank
from tests.helpers.postgres import Server

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Replica:
    process: subprocess.Popen[bytes]
    base_url: str
    log: Path

    @property
    def port(self) -> int:
        port = urlsplit(self.base_url).port
        assert port is not None
        return port


def fresh_database(postgres: Server, name: str) -> str:
    """An empty database whose schema ``python -m course db upgrade`` creates; returns its address."""
    with postgres.admin() as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    url = postgres.url(name)
    upgraded = subprocess.run(
        [sys.executable, "-m", "course", "db", "upgrade"],
        check=False,
        cwd=ROOT,
        env={**os.environ, "MESO_DATABASE_URL": url},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert upgraded.returncode == 0, upgraded.stdout + upgraded.stderr
    return url


@contextmanager
def start_replicas(url: str, folder: Path, count: int = 2) -> Iterator[list[Replica]]:
    """Start ``count`` app servers on one database (content copied into ``folder``); stop them after."""
    lessons, quizzes = folder / "lessons", folder / "quizzes"
    shutil.copytree(ROOT / "lessons", lessons)
    shutil.copytree(ROOT / "quizzes", quizzes)
    write_bank(quizzes)
    started: list[Replica] = []
    try:
        for n in range(count):
            data = folder / f"data-{n}"  # unused with a database, but never the repository's data/
            data.mkdir()
            log = folder / f"replica-{n}.log"
            env = {
                "MESO_DATABASE_URL": url,
                "MESO_DATA_DIR": str(data),
                "MESO_LESSONS_DIR": str(lessons),
                "MESO_QUIZZES_DIR": str(quizzes),
            }
            process, base_url = start_server(ROOT, env, log)
            started.append(Replica(process, base_url, log))
        yield started
    finally:
        for replica in started:
            replica.process.terminate()
        for replica in started:
            try:
                replica.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                replica.process.kill()

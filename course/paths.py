"""Where the course's files live.

Content folders sit beside ``app.py``; learner data goes to ``MESO_DATA_DIR`` (default
``data/``), which is git-ignored so results never end up in a commit.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ASSETS_DIR = ROOT / "assets"


def lessons_dir() -> Path:
    """Lesson folder; ``MESO_LESSONS_DIR`` points tests and staging copies elsewhere."""
    return Path(os.environ.get("MESO_LESSONS_DIR", ROOT / "lessons"))


def quizzes_dir() -> Path:
    """Question-bank folder; ``MESO_QUIZZES_DIR`` overrides it like the lessons folder."""
    return Path(os.environ.get("MESO_QUIZZES_DIR", ROOT / "quizzes"))


def data_dir() -> Path:
    """The folder for accounts, progress and results, created on first use.

    Read from the environment on every call so tests (and a second server) can point
    one process at a throwaway folder.
    """
    path = Path(os.environ.get("MESO_DATA_DIR", ROOT / "data"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def files_signature(paths: Iterable[Path]) -> tuple[tuple[str, int, int], ...]:
    """Name, size and mtime of each of ``paths`` that exists: a cheap cache key that changes
    when a file is edited, added or removed (a missing file is left out, not an error).
    """
    signature = []
    for path in paths:
        try:
            stat = path.stat()
        except FileNotFoundError:
            continue
        signature.append((path.name, stat.st_size, stat.st_mtime_ns))
    return tuple(signature)

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


def cases_dir() -> Path:
    """Clinical-case folder; ``MESO_CASES_DIR`` overrides it like the lessons folder."""
    return Path(os.environ.get("MESO_CASES_DIR", ROOT / "cases"))


def data_dir() -> Path:
    """The folder for accounts, progress and results, created on first use.

    Read from the environment on every call so tests (and a second server) can point
    one process at a throwaway folder.
    """
    path = Path(os.environ.get("MESO_DATA_DIR", ROOT / "data"))
    path.mkdir(parents=True, exist_ok=True)
    return path


Signature = tuple[tuple[str, int, int], ...]


def is_content_file(name: str, suffix: str) -> bool:
    """Whether a file named ``name`` is course content (``*suffix``): names starting with
    ``.`` or ``_`` are editors' temporary files and tutors' drafts, which are skipped."""
    return name.endswith(suffix) and not name.startswith((".", "_"))


def content_files(folder: Path, suffix: str) -> list[Path]:
    """The content files (see :func:`is_content_file`) in ``folder``, in name order."""
    return sorted(p for p in folder.glob(f"*{suffix}") if is_content_file(p.name, suffix))


def folder_signature(folder: Path, suffix: str, also: Iterable[str] = ()) -> Signature:
    """Name, size and mtime of the content files in ``folder`` (:func:`is_content_file`) and
    of the files named in ``also``: a cheap cache key that changes
    when a file is edited, added or removed.

    Pages ask for it several times per rerun, so it is one ``scandir`` (whose entries carry
    what ``stat`` needs) instead of a glob then a ``stat`` per path: about 3x cheaper.
    """
    extra = set(also)
    entries = []
    try:
        with os.scandir(folder) as found:
            for entry in found:
                name = entry.name
                if name in extra or is_content_file(name, suffix):
                    try:
                        stat = entry.stat()
                    except FileNotFoundError:  # removed between the listing and the stat
                        continue
                    entries.append((name, stat.st_size, stat.st_mtime_ns))
    except FileNotFoundError:
        return ()
    return tuple(sorted(entries))

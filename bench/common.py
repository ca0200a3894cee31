"""Shared helpers for the benchmarks: timing statistics and a ratio table."""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
# Streamlit reads .streamlit/config.toml from the working directory: run from the project
# root, so AppTest measures the app with its own settings (e.g. magic off), as a server would.
os.chdir(ROOT)


def bare_app_dir(script: str, source: str) -> Path:
    """A temp folder holding a baseline app ``script`` and a copy of the app's own Streamlit
    config, so a server started there runs with the same settings (magic, post-run garbage
    collection, theme) as the app it is compared with.
    """
    folder = Path(tempfile.mkdtemp(prefix="bench-bare-"))
    (folder / script).write_text(source)
    shutil.copytree(ROOT / ".streamlit", folder / ".streamlit")
    return folder


def time_runs(fn: Callable[[], object], repeat: int, warmup: int = 1) -> list[float]:
    """Wall-clock seconds of ``repeat`` calls of ``fn`` after ``warmup`` unmeasured calls."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def fsynced_appends(path: Path, count: int) -> list[float]:
    """The seconds of each of ``count`` one-line appends to ``path``, each flushed and fsync'd:
    the floor under any durable write, measured beside the store's own in the same run."""
    times = []
    for n in range(count):
        start = time.perf_counter()
        with open(path, "ab") as handle:
            handle.write(f"row {n}\n".encode())
            handle.flush()
            os.fsync(handle.fileno())
        times.append(time.perf_counter() - start)
    return times


def median_ms(times: list[float]) -> float:
    return statistics.median(times) * 1000


def p95_ms(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))] * 1000


def print_table(title: str, header: tuple[str, ...], rows: list[tuple[object, ...]]) -> None:
    """A markdown table, so the output can be pasted into bench/README.md as it is."""
    print(f"\n### {title}\n")
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" for _ in header) + "|")
    for row in rows:
        print("| " + " | ".join(f"{c:.2f}" if isinstance(c, float) else str(c) for c in row) + " |")

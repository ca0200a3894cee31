"""Cold ``python -m course check`` of the real course, and a cold import of the content modules.

Each is a fresh Python process (nothing cached), measured beside a bare ``python -c pass`` in
the same run and in turn, one of each per round, so the ratio holds on a noisy machine. This is
what a tutor waits for before a commit and what CI runs first.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

from common import ROOT, print_table

ROUNDS = 15
CONTENT = (
    "import course.content.lessons, course.content.glossary, course.content.editor, "
    "course.quiz.banks, course.simulator.loading"
)
COMMANDS = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "import the content modules": [sys.executable, "-c", CONTENT],
    "python -m course check --strict": [sys.executable, "-m", "course", "check", "--strict"],
}


def seconds(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for _ in range(ROUNDS):
        for name, command in COMMANDS.items():
            times[name].append(seconds(command))
    bare = statistics.median(times["python -c pass"])
    print_table(
        f"Cold command, median of {ROUNDS} fresh processes (taken in turn)",
        ("command", "ms", "÷ python -c pass"),
        [(name, statistics.median(t) * 1000, statistics.median(t) / bare) for name, t in times.items()],
    )
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            CONTENT + "; import sys; print(sorted(m for m in ('pandas', 'pyarrow', 'plotly', "
            "'streamlit', 'argon2', 'numpy') if m in sys.modules))",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    print(f"\nHeavy modules loaded by the content imports: {loaded}")


if __name__ == "__main__":
    main()

"""Run every benchmark in bench/ (``python bench/run_all.py``) and collect their tables.

Each ``bench_*.py`` runs in its own process, so one's imports and caches do not flatter
another's. The combined output goes to stdout and to ``bench/out/latest.md``; copy the
figures into bench/README.md when they change.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(selected: list[str]) -> int:
    scripts = sorted(HERE.glob("bench_*.py"))
    if selected:
        scripts = [s for s in scripts if any(name in s.name for name in selected)]
    out_dir = HERE / "out"
    out_dir.mkdir(exist_ok=True)
    report = [f"# Benchmarks, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}\n"]
    failed = 0
    for script in scripts:
        print(f"== {script.name}", flush=True)
        start = time.perf_counter()
        result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, check=False)
        took = time.perf_counter() - start
        print(result.stdout, flush=True)
        if result.returncode != 0:
            failed += 1
            print(result.stderr[-4000:], file=sys.stderr)
        report.append(f"## {script.name} ({took:.0f} s, exit {result.returncode})\n\n{result.stdout}\n")
    (out_dir / "latest.md").write_text("\n".join(report))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

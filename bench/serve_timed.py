"""``streamlit`` with each script run's server time appended to ``$RUN_LOG`` (one JSON line a run).

Used by ``bench_frame_server.py``: ``python bench/serve_timed.py run app.py ...``. The wall time
and the script thread's CPU time of ``ScriptRunner._run_script`` (the script, its widgets'
callbacks and the messages it queues for the browser) are written after each run.
"""

from __future__ import annotations

import json
import os
import sys
import time
from typing import Any

from streamlit.runtime.scriptrunner import script_runner
from streamlit.web.cli import main

_run_script = script_runner.ScriptRunner._run_script


def _timed(self: script_runner.ScriptRunner, rerun_data: Any) -> None:
    wall, cpu = time.perf_counter(), time.thread_time()
    try:
        _run_script(self, rerun_data)
    finally:
        row = {
            "wall": time.perf_counter() - wall,
            "cpu": time.thread_time() - cpu,
            "fragment": bool(rerun_data.fragment_id_queue),
        }
        with open(os.environ["RUN_LOG"], "a") as out:
            out.write(json.dumps(row) + "\n")


script_runner.ScriptRunner._run_script = _timed  # type: ignore[method-assign]

if __name__ == "__main__":
    sys.argv = ["streamlit", *sys.argv[1:]]
    main()

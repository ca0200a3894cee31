"""Rerun time of every page (AppTest) divided by a bare Streamlit page's rerun, same run.

Each page is opened once, then rerun ``REPEAT`` times; the median rerun is compared with
the median rerun of a one-title page measured in the same process.
"""

from __future__ import annotations

import os
import tempfile

from common import ROOT, median_ms, print_table, time_runs

REPEAT = 15


def main() -> None:
    data = tempfile.mkdtemp(prefix="bench-pages-")
    os.environ["MESO_DATA_DIR"] = data
    from streamlit.testing.v1 import AppTest
    from streamlit.util import calc_hash

    from course.accounts.accounts import Accounts, Role
    from course.content.lessons import load_catalog
    from course.store.csvstore import Store

    Accounts(Store(data)).create("bench-tutor", "Bench Tutor", "benchpass1", Role.TUTOR)

    bare = AppTest.from_string("import streamlit as st\nst.title('hello')", default_timeout=60).run()
    baseline = median_ms(time_runs(bare.run, REPEAT))

    files = [
        "home",
        "glossary",
        "quizzes",
        "simulator",
        "review",
        "my_progress",
        "account",
        "tutor_editor",
        "tutor_results",
    ]
    targets: list[tuple[str, str, str]] = [(f"views/pages/{name}.py", "file", name) for name in files]
    targets += [(lesson.url_path, "url", lesson.url_path) for lesson in load_catalog().lessons]
    rows = []
    for target, kind, label in targets:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.session_state["user"] = "bench-tutor"
        at.run()
        if kind == "file":
            at.switch_page(target)
        else:
            at._page_hash = calc_hash(target)
        at.run()
        if at.exception:
            rows.append((label, "exception", ""))
            continue
        page_ms = median_ms(time_runs(at.run, REPEAT))
        rows.append((label, page_ms, page_ms / baseline))
    print(f"bare page rerun (baseline): {baseline:.2f} ms median of {REPEAT}")
    print_table("Page rerun vs a bare page (AppTest)", ("page", "median rerun ms", "÷ bare page"), rows)


if __name__ == "__main__":
    main()

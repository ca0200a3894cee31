"""The package stays free of UI code: nothing under course/ imports streamlit."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_no_module_of_the_package_imports_streamlit() -> None:
    offenders = []
    for path in (ROOT / "course").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] == "streamlit"]
    assert offenders == []


def test_importing_every_module_does_not_load_streamlit() -> None:
    code = (
        "import importlib, pkgutil, sys, course\n"
        "names = [m.name for m in pkgutil.walk_packages(course.__path__, 'course.')]\n"
        "for name in names:\n"
        "    importlib.import_module(name)\n"
        "print(len(names) > 40, 'streamlit' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "True False"


def test_app_py_stays_thin() -> None:
    lines = [line for line in (ROOT / "app.py").read_text().splitlines() if line.strip() and not line.startswith("#")]
    assert len(lines) <= 15


def test_content_and_check_load_no_data_frames_and_no_password_hash() -> None:
    """A tutor's ``check`` reads content only: pandas, pyarrow, plotly and the account module
    (whose import prepares a password hash) stay unloaded, so a cold check is quick."""
    code = (
        "import sys\n"
        "import course.content.lessons, course.content.glossary, course.content.editor\n"
        "import course.quiz.banks, course.simulator.loading\n"
        "from course.__main__ import main\n"
        "status = main(['check'])\n"
        "heavy = ['pandas', 'pyarrow', 'plotly', 'argon2', 'course.accounts.accounts', 'course.store.csvstore']\n"
        "print(status, [m for m in heavy if m in sys.modules])"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip().splitlines()[-1] == "0 []"


def test_download_buttons_that_build_on_click_do_not_also_rerun() -> None:
    """A download button whose data is built on click (a callable) must say ``on_click="ignore"``:
    otherwise the click also reruns the page, and the rerun revokes the file id the browser is
    fetching (a CI run saw the export spinner turn for 30 s)."""
    found = []
    for path in sorted((ROOT / "views").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            if node.func.attr != "download_button":
                continue
            words = {kw.arg: kw.value for kw in node.keywords}
            if not isinstance(words.get("data"), (ast.Lambda, ast.Name)):
                continue
            ignore = words.get("on_click")
            if not (isinstance(ignore, ast.Constant) and ignore.value == "ignore"):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not found, f"deferred download buttons without on_click='ignore': {found}"

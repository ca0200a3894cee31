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
        "for m in pkgutil.iter_modules(course.__path__):\n"
        "    importlib.import_module('course.' + m.name)\n"
        "print('streamlit' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_app_py_stays_thin() -> None:
    lines = [line for line in (ROOT / "app.py").read_text().splitlines() if line.strip() and not line.startswith("#")]
    assert len(lines) <= 15

"""Command line for tutors and CI: ``python -m course <command>`` (check, users, certificates, render-diagrams).

Commands parse their arguments and call into the package; nothing else lives here.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from course.accounts import cli as cli_users
from course.certificates import cli as cli_certificates
from course.check import run_check
from course.interop import cli as cli_export
from course.paths import ASSETS_DIR
from course.store import cli as cli_db


def build_parser() -> argparse.ArgumentParser:
    """Every subcommand, each with a ``run`` default that :func:`main` calls."""
    parser = argparse.ArgumentParser(prog="python -m course", description="Meso Academy tools")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="validate every lesson, glossary entry and quiz bank")
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")
    check.add_argument("--stats", action="store_true", help="also print the banks' item-writing statistics")
    check.set_defaults(run=lambda args: run_check(strict=args.strict, stats=args.stats))
    cli_users.add_parser(commands)
    cli_certificates.add_parser(commands)
    cli_export.add_parser(commands)
    cli_db.add_parser(commands)
    diagrams = commands.add_parser("render-diagrams", help="render the technique and skin-layer diagrams as PNG")
    diagrams.add_argument("folder", type=Path, nargs="?", default=ASSETS_DIR / "diagrams", help="output folder")
    diagrams.set_defaults(run=_render_diagrams)
    return parser


def _render_diagrams(args: argparse.Namespace) -> int:
    from course.simulator.diagrams import render_diagrams  # noqa: PLC0415 (Plotly and Pillow load only for this command)

    paths = render_diagrams(args.folder)
    print(f"render-diagrams: wrote {len(paths)} files to {args.folder}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; the exit status (0 = fine) is returned so tests can call it directly."""
    args = build_parser().parse_args(argv)
    return int(args.run(args))


if __name__ == "__main__":
    sys.exit(main())

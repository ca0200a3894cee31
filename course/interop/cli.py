"""``python -m course export gift|moodle-xml [BANK...]`` and ``python -m course export xapi``.

The file goes to standard output, or to ``--output FILE``; what was left out (a question the
format cannot carry, and why) goes to standard error, so a redirect keeps only the file.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO, cast

from course.errors import MesoError

FORMATS = ("gift", "moodle-xml", "xapi")


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``export``: question banks as GIFT or Moodle XML, learning records as xAPI JSONL."""
    export = commands.add_parser(
        "export", help="question banks as GIFT or Moodle XML; learning records as xAPI statements (JSONL)"
    )
    export.add_argument("format", choices=FORMATS, help="gift, moodle-xml (question banks) or xapi (statements)")
    export.add_argument("banks", nargs="*", metavar="BANK", help="bank ids to export (default: every bank)")
    export.add_argument("-o", "--output", type=Path, help="write to this file instead of standard output")
    export.set_defaults(run=run_export)


def run_export(args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Write one export; 0 when written (even with questions skipped), 2 for an unknown bank."""
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        if args.format == "xapi":
            if args.banks:
                print("export xapi: takes no bank names (it exports every stored record)", file=err)
                return 2
            text, summary = _xapi()
        else:
            text, summary = _banks(args.format, args.banks, err)
    except MesoError as exc:
        print(f"export {args.format}: {exc}", file=err)
        return 2
    if args.output is not None:
        args.output.write_text(text, encoding="utf-8")
    else:
        out.write(text)
    print(f"export {args.format}: {summary}", file=err)
    return 0


def _banks(fmt: str, names: list[str], err: TextIO) -> tuple[str, str]:
    from course.interop.exports import BankFormat, export_banks  # noqa: PLC0415 (banks load only here)
    from course.quiz.banks import current_quizzes  # noqa: PLC0415

    export = export_banks(cast(BankFormat, fmt), current_quizzes(), names)
    for skipped in export.skipped:
        print(f"skipped {skipped}", file=err)
    return export.text, f"{len(export.exported)} questions written, {len(export.skipped)} skipped"


def _xapi() -> tuple[str, str]:
    from course.interop.xapi import course_statements, to_jsonl  # noqa: PLC0415 (the store loads only here)
    from course.store.factory import open_store  # noqa: PLC0415

    statements = course_statements(open_store())
    return to_jsonl(statements), f"{len(statements)} statements written"

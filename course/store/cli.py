"""``python -m course db ...``: the PostgreSQL schema, and moving data to and from CSV folders.

Every command takes the database from ``--url`` or ``MESO_DATABASE_URL`` and never prints its
password.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from course.errors import MesoError

if TYPE_CHECKING:
    from course.store.pgstore import PgStore


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``db`` and its actions on the top-level parser."""
    db = commands.add_parser("db", help="PostgreSQL: upgrade the schema, import or export CSV data folders")
    actions = db.add_subparsers(dest="action", required=True)
    for name, text in (
        ("upgrade", "create or upgrade the schema to what this version of the course needs"),
        ("current", "print the schema's revision and the one the course needs"),
    ):
        action = actions.add_parser(name, help=text)
        action.add_argument("--url", help="database address (default: MESO_DATABASE_URL)")
        action.set_defaults(run=run_db)
    importing = actions.add_parser("import-csv", help="copy a CSV data folder into the database (safe to repeat)")
    importing.add_argument("folder", type=Path, help="the data folder (MESO_DATA_DIR)")
    importing.add_argument("--url", help="database address (default: MESO_DATABASE_URL)")
    importing.set_defaults(run=run_db)
    exporting = actions.add_parser("export-csv", help="write the database as a CSV data folder")
    exporting.add_argument("folder", type=Path, help="an empty or new folder")
    exporting.add_argument("--url", help="database address (default: MESO_DATABASE_URL)")
    exporting.set_defaults(run=run_db)
    new = actions.add_parser("new-migration", help="write the migration for tables that have none yet")
    new.add_argument("message", help="what the migration adds, in a few words")
    new.set_defaults(run=run_db)


def run_db(args: argparse.Namespace) -> int:
    """Carry out one ``db`` action; errors are printed as one line (the password masked)."""
    from course.store import migrate  # noqa: PLC0415 (SQLAlchemy and Alembic load only for db commands)
    from course.store.factory import database_url, is_database_url  # noqa: PLC0415
    from course.store.pgstore import PgStore, mask_url  # noqa: PLC0415

    if args.action == "new-migration":
        try:
            path = migrate.new_migration(args.message)
        except ValueError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        print(f"wrote {path}")
        return 0
    url = args.url or database_url()
    if not url or not is_database_url(url):
        print("error: give the database with --url or MESO_DATABASE_URL=postgresql://...", file=sys.stderr)
        return 2
    try:
        if args.action == "upgrade":
            store = PgStore(url)  # says clearly when the database cannot be reached
            store.close()
            before = migrate.current(url)
            migrate.upgrade(url)
            print(f"schema of {mask_url(url)}: {before or 'none'} -> {migrate.current(url)} (head)")
            return 0
        store = PgStore(url)
        try:
            if args.action == "current":
                print(f"schema of {mask_url(url)}: {store.revision() or 'none'}; this course needs {migrate.head()}")
                return 0 if store.revision() == migrate.head() else 1
            store.require_schema(migrate.head())
            if args.action == "import-csv":
                return _import(store, args.folder)
            return _export(store, args.folder)
        finally:
            store.close()
    except MesoError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # a driver or migration error: one line, the password masked
        print(f"error: {mask_url(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)}", file=sys.stderr)
        return 1


def _import(store: PgStore, folder: Path) -> int:
    from course.store.transfer import import_csv  # noqa: PLC0415

    if not folder.is_dir():
        print(f"error: {folder} is not a folder", file=sys.stderr)
        return 1
    reports = import_csv(store, folder)
    for report in reports:
        for problem in report.problems:
            print(f"warning: {problem}", file=sys.stderr)
        if report.in_file or report.stored:
            counts = f"{report.added} rows added, {report.stored} in the database ({report.in_file} in the file)"
            print(f"{report.name}: {counts}")
    skipped = sum(len(r.problems) for r in reports)
    print(f"import-csv: {sum(r.added for r in reports)} rows added; {skipped} damaged lines skipped")
    return 0


def _export(store: PgStore, folder: Path) -> int:
    from course.store.transfer import export_csv  # noqa: PLC0415

    counts = export_csv(store, folder)
    for name, count in counts.items():
        if count:
            print(f"{name}: {count} rows")
    print(f"export-csv: {sum(counts.values())} rows written to {folder}")
    return 0

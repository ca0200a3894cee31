"""The PostgreSQL schema's migrations (Alembic), run by ``python -m course db upgrade``.

The migrations live in ``course/store/migrations/versions``, one file per step; each creates
the tables it lists (frozen copies of their :class:`~course.store.tables.Table`). A table added to
:data:`~course.store.tables.ALL_TABLES` needs one: ``python -m course db new-migration "why"``
writes it (see the README, *PostgreSQL*).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from course.store.tables import ALL_TABLES, Table

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def sqlalchemy_url(url: str) -> str:
    """The URL SQLAlchemy needs for psycopg 3 (``postgresql+psycopg://``) from a plain ``postgresql://`` one.

    >>> sqlalchemy_url("postgresql://meso@localhost/meso")
    'postgresql+psycopg://meso@localhost/meso'
    """
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(_config())


def head() -> str:
    """The revision this version of the course needs."""
    revision = scripts().get_current_head()
    if revision is None:
        raise RuntimeError("no migrations found in " + str(MIGRATIONS))
    return revision


@contextmanager
def _connection(url: str) -> Iterator[sa.Connection]:
    engine = sa.create_engine(sqlalchemy_url(url), poolclass=sa.NullPool)
    try:
        with engine.connect() as connection:
            yield connection
    finally:
        engine.dispose()


def current(url: str) -> str | None:
    """The database's revision (None: no schema yet)."""
    with _connection(url) as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(url: str, revision: str = "head") -> None:
    """Create or upgrade the schema to ``revision`` (each migration in its own transaction)."""
    config = _config()
    with _connection(url) as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
        connection.commit()


def migrated_tables() -> dict[str, Table]:
    """Every table some migration creates, by file name, as that migration froze it."""
    found: dict[str, Table] = {}
    for script in scripts().walk_revisions():
        for table in getattr(script.module, "TABLES", ()):
            found[table.name] = table
    return found


def missing_tables() -> list[Table]:
    """The registered tables no migration creates yet."""
    known = migrated_tables()
    return [table for table in ALL_TABLES if table.name not in known]


def changed_tables() -> list[str]:
    """Registered tables whose definition differs from the one their migration created."""
    known = migrated_tables()
    return [t.name for t in ALL_TABLES if t.name in known and known[t.name] != t]


def _literal(table: Table) -> str:
    parts = [repr(table.name), repr(table.columns)]
    if table.numeric:
        parts.append(f"numeric=frozenset({sorted(table.numeric)!r})")
    if table.optional:
        parts.append(f"optional=frozenset({sorted(table.optional)!r})")
    if table.key is not None:
        parts.append(f"key={table.key!r}")
    body = "".join(f"        {part},\n" for part in parts)
    return f"    Table(\n{body}    ),\n"


def new_migration(message: str) -> Path:
    """Write a migration creating every registered table no migration creates yet; return its path."""
    tables = missing_tables()
    if not tables:
        raise ValueError("every table in ALL_TABLES already has a migration")
    parent = head()
    revision = f"{int(parent) + 1:04d}" if parent.isdigit() else None
    if revision is None:
        raise ValueError(f"cannot number the migration after revision {parent!r}")
    slug = "_".join(t.name.removesuffix(".csv") for t in tables)[:60]
    path = MIGRATIONS / "versions" / f"{revision}_{slug}.py"
    body = "".join(_literal(t) for t in tables)
    path.write_text(
        f'"""{message}\n\nRevision ID: {revision}\nRevises: {parent}\n'
        f'Create Date: {datetime.now(UTC).date().isoformat()}\n"""\n\n'
        "from __future__ import annotations\n\nfrom alembic import op\n\n"
        "from course.store.schema import create_tables, drop_tables\nfrom course.store.tables import Table\n\n"
        f'revision = "{revision}"\ndown_revision = "{parent}"\nbranch_labels = None\ndepends_on = None\n\n'
        f"TABLES: tuple[Table, ...] = (\n{body})\n\n\n"
        "def upgrade() -> None:\n    create_tables(op.get_bind(), TABLES)\n\n\n"
        "def downgrade() -> None:\n    drop_tables(op.get_bind(), TABLES)\n",
        encoding="utf-8",
    )
    return path

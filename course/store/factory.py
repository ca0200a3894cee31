"""Which store the course uses: the one place that chooses a backend.

``MESO_DATABASE_URL=postgresql://...`` selects PostgreSQL; without it the course keeps its
data in the CSV folder ``MESO_DATA_DIR`` (default ``data/``). Every caller (the pages, the
cookie routes, the command line) opens its store here, and one store is kept per folder or
database address in a process, so they share one connection pool and one group commit.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from course.paths import data_dir
from course.store.base import TableStore
from course.store.csvstore import Store

DATABASE_ENV = "MESO_DATABASE_URL"

_OPEN: dict[str, TableStore] = {}
_GUARD = threading.Lock()


def database_url() -> str | None:
    """The PostgreSQL address from ``MESO_DATABASE_URL`` (None: use the CSV folder)."""
    url = os.environ.get(DATABASE_ENV, "").strip()
    return url or None


def is_database_url(url: str) -> bool:
    """Whether ``url`` names a PostgreSQL database (``postgresql://`` or ``postgres://``)."""
    return url.startswith(("postgresql://", "postgres://"))


def open_store(url: str | None = None, folder: Path | None = None) -> TableStore:
    """The store the course should use now (read from the environment on every call).

    With a database address, the database's schema must be the one this version of the course
    needs, else :class:`course.store.pgstore.SchemaOutdated` says which command to run; an
    unreachable database is a :class:`~course.store.base.StoreError` saying how to check it.
    A store that failed to open is not kept, so the next call tries again.
    """
    url = url if url is not None else database_url()
    if url is None:
        key = str(folder if folder is not None else data_dir())
        with _GUARD:
            store = _OPEN.get(key)
            if store is None:
                store = _OPEN[key] = Store(Path(key))
        return store
    from course.store.pgstore import PgStore, mask_url  # noqa: PLC0415 (psycopg loads only for PostgreSQL)

    if not is_database_url(url):
        from course.store.base import StoreError  # noqa: PLC0415

        raise StoreError(f"{DATABASE_ENV} must start with postgresql:// (it is {mask_url(url)!r})")
    with _GUARD:
        store = _OPEN.get(url)
    if store is not None:
        return store
    opened = PgStore(url)
    try:
        from course.store.migrate import head  # noqa: PLC0415 (Alembic loads only for PostgreSQL)

        opened.require_schema(head())
    except BaseException:
        opened.close()
        raise
    with _GUARD:
        store = _OPEN.setdefault(url, opened)
    if store is not opened:
        opened.close()
    return store


def forget_stores() -> None:
    """Close and forget every open store (tests; a long-running tool that switches databases)."""
    from course.store.pgstore import PgStore  # noqa: PLC0415

    with _GUARD:
        stores = list(_OPEN.values())
        _OPEN.clear()
    for store in stores:
        if isinstance(store, PgStore):
            store.close()

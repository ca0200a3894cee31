"""Alembic's environment for the course's schema: runs migrations on the connection it is handed.

:mod:`course.store.migrate` opens the connection (from ``MESO_DATABASE_URL`` or the command's
``--url``) and passes it in ``config.attributes["connection"]``; there is no ``alembic.ini``.
"""

from __future__ import annotations

from alembic import context

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=None, transaction_per_migration=True)
with context.begin_transaction():
    context.run_migrations()

"""Serve Ralph's LRS (``ralph.api:app``) with uvicorn: what ``ralph runserver`` does, minus two things.

Run by the venv's Python (``.venv-lrs/bin/python tests/helpers/lrs_serve.py HOST PORT``) with
Ralph's settings in the environment (``RALPH_RUNSERVER_BACKEND=fs``, the store folder, the
credentials file), by tests/helpers/lrs_server.py.

* No auto-reload: ``runserver`` starts uvicorn with ``reload=True``, a watcher process that
  restarts the server on file changes; a test wants one process it can stop.
* Ralph 5.1's filesystem LRS backend writes with the ``create`` operation by default, which
  refuses to touch an existing file, so every POST after the first answers 500 ("Statements bulk
  indexation failed"). Its data backend's own ``append`` operation is what an LRS needs; it is
  made the default here. Nothing else of Ralph is changed: validation, duplicate handling,
  authentication and queries are Ralph's own.
"""

from __future__ import annotations

import sys

import uvicorn
from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend

FSLRSBackend.default_operation_type = BaseOperationType.APPEND

if __name__ == "__main__":
    host, port = sys.argv[1], int(sys.argv[2])
    uvicorn.run("ralph.api:app", host=host, port=port, log_level="info")

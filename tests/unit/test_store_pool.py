"""Parsing uses the system allocator, and Arrow's default pool comes back afterwards."""

from __future__ import annotations

import threading
from pathlib import Path

import pyarrow as pa

from course.store.csvstore import Store
from course.store.tables import RESPONSES


def test_reads_restore_the_default_pool_even_when_concurrent(tmp_path: Path) -> None:
    before = pa.default_memory_pool().backend_name
    stores = []
    for n in range(4):
        store = Store(tmp_path / str(n))
        store.append(
            RESPONSES,
            [
                {"attempt_id": f"a{i}", "question_id": "q", "answer": "x", "correct": "1", "points": 1, "max_points": 1}
                for i in range(2000)
            ],
        )
        stores.append(store)
    threads = [threading.Thread(target=s.read, args=(RESPONSES,)) for s in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(len(s.read(RESPONSES).frame) == 2000 for s in stores)
    assert pa.default_memory_pool().backend_name == before

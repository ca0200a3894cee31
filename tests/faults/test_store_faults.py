"""Fault suite for the store: a writer killed mid-append, a read-only data folder."""

from __future__ import annotations

import os
import pwd
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from course.store.csvstore import Store, StoreError
from course.store.tables import RESPONSES

ROOT = Path(__file__).resolve().parents[2]

WRITER = """
import sys, itertools
from course.store.csvstore import Store
from course.store.tables import RESPONSES
store = Store(sys.argv[1])
big = "x" * 200_000   # a long answer makes a kill mid-write likely
for n in itertools.count():
    store.append(RESPONSES, [{"attempt_id": f"a{n}", "question_id": "q", "answer": big,
                             "correct": "1", "points": 1, "max_points": 1}])
    print(n, flush=True)
"""


def test_killed_writer_loses_no_completed_row(tmp_path: Path) -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(tmp_path)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    completed = -1
    assert child.stdout is not None
    deadline = time.monotonic() + 20
    while completed < 40 and time.monotonic() < deadline:
        completed = int(child.stdout.readline())
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    assert completed >= 40
    # Every append the child reported as done must be there; at most one torn line after them.
    store = Store(tmp_path)
    result = store.read(RESPONSES)
    ids = list(result.frame["attempt_id"])
    assert ids[: completed + 1] == [f"a{n}" for n in range(completed + 1)]
    assert len(result.problems) <= 1
    if result.problems:
        assert "torn last line" in result.problems[0].message
    # Restart: a new writer appends after the torn line, which stays, and is still skipped.
    store.append(
        RESPONSES,
        [{"attempt_id": "after", "question_id": "q", "answer": "", "correct": "1", "points": 1, "max_points": 1}],
    )
    again = store.read(RESPONSES)
    assert list(again.frame["attempt_id"])[-1] == "after"
    assert len(again.frame) == len(result.frame) + 1
    assert all("torn" in p.message or "expected" in p.message for p in again.problems)


ROW = {"attempt_id": "a", "question_id": "q", "answer": "", "correct": "1", "points": 1, "max_points": 1}


def append_in_child(folder: Path) -> tuple[int, str]:
    """Append one row to ``folder`` in a forked child; return its user id and what it reports.

    Root ignores file permissions, so as root the child first drops to ``nobody`` with
    ``os.setuid`` (as a web server's worker runs); run as another user it stays that user.
    The child is a fork of this process, so it needs no file it may not read any more.
    """
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: report one line, never return into pytest
        code = 1
        try:
            os.close(read_end)
            if os.geteuid() == 0:
                nobody = pwd.getpwnam("nobody")
                os.setgroups([])
                os.setgid(nobody.pw_gid)
                os.setuid(nobody.pw_uid)
            try:
                Store(folder).append(RESPONSES, [ROW])
                said = "stored"
            except StoreError as exc:
                said = f"StoreError: {exc}"
            except BaseException as exc:  # anything else reaches the page as a traceback
                said = f"{type(exc).__name__}: {exc}"
            os.write(write_end, f"{os.geteuid()} {said}".encode())
            code = 0
        finally:
            os._exit(code)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        uid, _, said = pipe.read().decode().partition(" ")
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, said
    return int(uid), said


@pytest.fixture
def data(tmp_path: Path) -> Iterator[Path]:
    """A data folder with one row, that every user can reach (pytest's tmp folders are private)."""
    Store(tmp_path).append(RESPONSES, [ROW])  # load everything an append uses before forking
    with tempfile.TemporaryDirectory(prefix="meso-ro-") as name:
        Path(name).chmod(0o755)
        folder = Path(name) / "data"
        Store(folder).append(RESPONSES, [ROW])
        yield folder
        folder.chmod(0o755)


def test_the_writer_child_runs_unprivileged_and_can_write_an_open_folder(data: Path) -> None:
    for path in (data, *data.iterdir()):
        path.chmod(0o777 if path.is_dir() else 0o666)
    uid, said = append_in_child(data)
    assert uid != 0 and uid == (pwd.getpwnam("nobody").pw_uid if os.geteuid() == 0 else os.geteuid())
    assert said == "stored"
    assert len(Store(data).read(RESPONSES).frame) == 2


def test_read_only_folder_gives_clear_error(data: Path) -> None:
    before = (data / RESPONSES.name).read_bytes()
    for path in (data, *data.iterdir()):
        path.chmod(0o555 if path.is_dir() else 0o444)
    uid, said = append_in_child(data)
    assert uid != 0
    assert (data / RESPONSES.name).read_bytes() == before  # nothing written, not even part of a row
    assert said.startswith("StoreError: "), said


def test_unwritable_data_file_gives_clear_error(tmp_path: Path) -> None:
    """Root ignores permissions, so make the results file impossible to open for appending."""
    (tmp_path / RESPONSES.name).mkdir()
    with pytest.raises(StoreError, match=f"could not save to {RESPONSES.name}"):
        Store(tmp_path).append(
            RESPONSES,
            [{"attempt_id": "a", "question_id": "q", "answer": "", "correct": "1", "points": 1, "max_points": 1}],
        )


def test_disk_full_gives_store_error_and_no_half_row(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """ENOSPC during write: a StoreError for the page to show, and no torn row left behind."""
    store = Store(tmp_path)
    row = {"attempt_id": "a", "question_id": "q", "answer": "", "correct": "1", "points": 1, "max_points": 1}
    store.append(RESPONSES, [row])
    before = (tmp_path / RESPONSES.name).read_bytes()
    real_fsync = os.fsync

    def full_disk(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(StoreError, match="No space left"):
        store.append(RESPONSES, [row])
    monkeypatch.setattr(os, "fsync", real_fsync)
    assert (tmp_path / RESPONSES.name).read_bytes() == before
    assert len(store.read(RESPONSES).frame) == 1


def test_lock_held_too_long_gives_store_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another process holding the folder lock past the timeout: a message, not a traceback."""
    from filelock import FileLock

    from course.store import csvstore as store_module

    monkeypatch.setattr(store_module, "LOCK_TIMEOUT_S", 0.2)
    blocker = FileLock(str(tmp_path / store_module.LOCK_NAME))
    store = Store(tmp_path)
    row = {"attempt_id": "a", "question_id": "q", "answer": "", "correct": "1", "points": 1, "max_points": 1}
    held, release = threading.Event(), threading.Event()

    def hold_elsewhere() -> None:
        # a FileLock object in another thread stands for another process holding the lock
        with blocker:
            held.set()
            release.wait(timeout=30)

    holder = threading.Thread(target=hold_elsewhere)
    holder.start()
    try:
        assert held.wait(timeout=30), "the other thread never took the lock"
        busy = r"the data folder is busy \(another save has held it for over \d+ s\); please try again"
        with pytest.raises(StoreError, match=busy):
            store.append(RESPONSES, [row])
    finally:
        release.set()
        holder.join()
    assert not store.path(RESPONSES).exists() or store.read(RESPONSES).frame.empty
    store.append(RESPONSES, [row])  # once the lock is free, the same save goes through
    assert len(store.read(RESPONSES).frame) == 1

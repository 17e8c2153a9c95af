"""Crash recovery: each running app keeps its session in an autosave file of its own.

A running app holds an exclusive lock on ``autosave-<pid>.lock`` for as long as it lives and
rewrites ``autosave-<pid>.calcstudio`` (atomically) whenever its session changes. A clean exit
deletes both. A crash, a kill or a power cut leaves the session file behind with nobody
holding its lock: the operating system drops a dead process's locks, so :func:`orphaned`
finds exactly the sessions of apps that did not exit cleanly, even if another copy of the app
is running beside them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from calcstudio.core.session_file import (
    FILE_SUFFIX,
    Session,
    SessionFileError,
    read_session_file,
    write_atomically,
)

_PREFIX = "autosave-"


def _try_lock(stream: IO[bytes]) -> bool:
    """Take the exclusive lock on ``stream`` without waiting; False if someone holds it."""
    try:
        if os.name == "nt":
            import msvcrt

            msvcrt.locking(stream.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(stream.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


@dataclass(frozen=True)
class Orphan:
    """The autosaved session of an app that did not exit cleanly."""

    path: Path
    """Its autosave file."""
    modified: float
    """When it was last written (seconds since the epoch)."""

    def read(self) -> Session:
        """The session in it.

        Raises
        ------
        SessionFileError
            If it cannot be read (cut short by the crash, say).
        """
        session, _ = read_session_file(self.path)
        return session

    def discard(self) -> None:
        """Delete the autosave file and its lock file."""
        self.path.unlink(missing_ok=True)
        self.path.with_suffix(".lock").unlink(missing_ok=True)


class Autosave:
    """This app's autosave file, locked for as long as the app runs.

    Parameters
    ----------
    directory
        Where autosave files live (created if missing).

    Raises
    ------
    OSError
        If the directory or the lock file cannot be made.
    """

    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        stem = f"{_PREFIX}{os.getpid()}"
        self.path = self.directory / f"{stem}{FILE_SUFFIX}"
        self._lock_path = self.directory / f"{stem}.lock"
        self._lock: IO[bytes] | None = self._lock_path.open("wb")
        _try_lock(self._lock)

    def write(self, session: Session) -> None:
        """Save ``session`` as this app's autosave (atomically).

        Raises
        ------
        SessionFileError
            If it cannot be written; the last autosave stays then.
        """
        write_atomically(self.path, (session.to_json() + "\n").encode("utf-8"))

    def write_text(self, text: str) -> None:
        """Save a session already turned into JSON text (see :meth:`Session.to_json`)."""
        write_atomically(self.path, (text + "\n").encode("utf-8"))

    def discard(self) -> None:
        """A clean exit: delete the autosave and let go of the lock."""
        self.path.unlink(missing_ok=True)
        if self._lock is not None:
            self._lock.close()
            self._lock = None
            self._lock_path.unlink(missing_ok=True)


def orphaned(directory: str | Path) -> list[Orphan]:
    """The autosaves in ``directory`` whose app is gone, newest first.

    An app that is still running holds its lock, so its autosave is never listed.
    """
    found: list[Orphan] = []
    for path in Path(directory).glob(f"{_PREFIX}*{FILE_SUFFIX}"):
        if _owner_alive(path.with_suffix(".lock")):
            continue
        try:
            found.append(Orphan(path, path.stat().st_mtime))
        except OSError:
            continue  # deleted meanwhile by its owner's clean exit
    return sorted(found, key=lambda orphan: orphan.modified, reverse=True)


def _owner_alive(lock_path: Path) -> bool:
    try:
        with lock_path.open("rb+") as stream:
            return not _try_lock(stream)  # closing lets go of a lock taken here
    except FileNotFoundError:
        return False
    except OSError:
        return True  # cannot tell: leave it alone


__all__ = ["Autosave", "Orphan", "SessionFileError", "orphaned"]

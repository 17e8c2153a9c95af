"""Keeping the session safe: autosave in the background, recovery after a crash, the title.

:class:`SessionKeeper` looks at the window's session a moment after each change (the window
calls :meth:`SessionKeeper.changed`) and every second (for what changes without telling, a
lesson's settings): when it differs from the last one kept, it is written to this app's
autosave file on a background thread, and the window's modified marker is updated against
the session last saved to (or opened from) a file. A clean exit deletes the autosave;
after a crash or a kill it stays, and :func:`offer_recovery` at the next start asks the
learner whether to restore it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from calcstudio.core.recovery import Autosave, orphaned
from calcstudio.core.session_file import Session, SessionFileError

CHECK_INTERVAL_MS = 1000
"""How often the session is looked at even when nobody said it changed."""
SETTLE_MS = 300
"""How long after a change the session is looked at (edits come in bursts)."""


class SessionKeeper(QObject):
    """Watches the window's session: autosaves it and says whether it is saved to a file.

    Parameters
    ----------
    snapshot
        The window's current session (cheap: called about once a second).
    parent
        The owning QObject (the window).
    """

    modifiedChanged = Signal(bool)
    """The session now differs (True) or no longer differs (False) from its file."""
    autosaveFailed = Signal(str)
    """The autosave could not be written; why, in words (said once until it works again)."""

    def __init__(self, snapshot: Callable[[], Session], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._snapshot = snapshot
        self._saved: str | None = None  # the comparable text of the file's session
        self._modified = False
        self._kept = ""  # the last text handed to the autosave
        self._autosave: Autosave | None = None
        self._writer: ThreadPoolExecutor | None = None
        self._pending: Future[None] | None = None
        self._failed = False
        self._settle = QTimer(self, singleShot=True, interval=SETTLE_MS)
        self._settle.timeout.connect(self.check)
        self._tick = QTimer(self, interval=CHECK_INTERVAL_MS)
        self._tick.timeout.connect(self.check)

    @property
    def modified(self) -> bool:
        """True if the session differs from the file it was last saved to or opened from
        (a session never saved is modified once it differs from how it started)."""
        return self._modified

    @property
    def autosave_path(self) -> Path | None:
        """This app's autosave file, or None if autosave is off."""
        return None if self._autosave is None else self._autosave.path

    def start(self) -> None:
        """Start watching; the session as it is now counts as saved."""
        self._saved = self._comparable()
        self._tick.start()

    def autosave_to(self, directory: str | Path) -> None:
        """Also keep the session in an autosave file of this app in ``directory``.

        Raises
        ------
        OSError
            If the directory or the autosave's lock cannot be made (nothing is autosaved).
        """
        self._autosave = Autosave(directory)
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="autosave")
        self.check()

    def changed(self, *_: object) -> None:
        """Something in the session changed: look at it in a moment."""
        if self._tick.isActive():
            self._settle.start()

    def mark_saved(self) -> None:
        """The session on show is now what its file holds (after Save or Open)."""
        self._saved = self._comparable()
        self._set_modified(False)

    def check(self) -> None:
        """Look at the session now: update the modified marker, autosave if it changed."""
        session = self._snapshot()
        try:
            text, comparable = session.texts()
        except ValueError as error:  # a lesson's state JSON cannot hold: keep the last autosave
            self._report_failure(f"Autosave failed: {error}")
            return
        if self._saved is not None:
            self._set_modified(comparable != self._saved)
        if self._writer is not None and text != self._kept:
            self._kept = text
            self._pending = self._writer.submit(self._write, text)

    def finish(self) -> None:
        """A clean exit: stop watching, let a write in progress end, delete the autosave."""
        self._settle.stop()
        self._tick.stop()
        if self._writer is not None:
            self._writer.shutdown(wait=True)
            self._writer = None
        if self._autosave is not None:
            self._autosave.discard()
            self._autosave = None

    def wait_for_autosave(self) -> None:
        """Block until the autosave handed over last is on disk (for tests and scripts)."""
        if self._pending is not None:
            self._pending.result()

    # --- internals ----------------------------------------------------------

    def _write(self, text: str) -> None:
        """On the writer thread: only file work here, and failures become a signal."""
        autosave = self._autosave
        if autosave is None:
            return
        try:
            autosave.write_text(text)
        except SessionFileError as error:
            self._report_failure(f"Autosave failed: {error}")  # the signal is queued to the GUI
            return
        self._failed = False

    def _comparable(self) -> str | None:
        try:
            return self._snapshot().comparable()
        except ValueError:  # said by the next check
            return None

    def _report_failure(self, message: str) -> None:
        if not self._failed:
            self._failed = True
            self.autosaveFailed.emit(message)

    def _set_modified(self, modified: bool) -> None:
        if modified != self._modified:
            self._modified = modified
            self.modifiedChanged.emit(modified)


def offer_recovery(window: QWidget, directory: str | Path) -> Session | None:
    """At start: if an earlier run did not exit cleanly, ask whether to restore its session.

    Every such autosave is deleted afterwards, whatever the answer (the newest is offered).

    Returns
    -------
    Session or None
        The session to restore, or None (nothing to restore, or the learner said no).
    """
    found = orphaned(directory)
    if not found:
        return None
    newest = found[0]
    try:
        session = newest.read()
    except SessionFileError:
        session = None
    for orphan in found:
        orphan.discard()
    if session is None:
        return None
    when = time.strftime("%H:%M on %d %B", time.localtime(newest.modified))
    function = session.function if len(session.function) <= 60 else session.function[:59] + "…"
    box = QMessageBox(
        QMessageBox.Icon.Question,
        "Restore the last session?",
        "CalcStudio did not close properly last time.\n\n"
        f"Restore the session it kept at {when}, with f = {function}?",
        parent=window,
    )
    restore = box.addButton("Restore", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("Start afresh", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(restore)
    box.exec()
    return session if box.clickedButton() is restore else None


__all__ = ["SessionKeeper", "offer_recovery"]

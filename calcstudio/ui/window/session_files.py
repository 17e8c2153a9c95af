"""The window's session files: open and save with messages, the title, autosave and recovery.

:class:`SessionFiles` is what File › Open and File › Save do: it reads and writes
``.calcstudio`` files through :mod:`calcstudio.core.session_file` (atomically; a bad file is
refused or its wrong fields are named), keeps the file's name and a modified marker in the
window title, and with :class:`~calcstudio.ui.window.autosave.SessionKeeper` autosaves the
session and offers it back after a crash.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMainWindow, QMessageBox

from calcstudio.core.session_file import (
    Session,
    SessionFileError,
    read_session_file,
    write_session_file,
)
from calcstudio.ui.window.autosave import SessionKeeper, offer_recovery

APP_TITLE = "CalcStudio"


class SessionFiles(QObject):
    """Opens and saves the window's session, names it in the title, keeps it safe.

    Parameters
    ----------
    window
        The main window: its title and status bar are used, and it parents the dialogs.
    session
        Gives the window's session now.
    restore
        Puts the window into the state a session describes.
    """

    def __init__(
        self,
        window: QMainWindow,
        session: Callable[[], Session],
        restore: Callable[[Session], None],
    ) -> None:
        super().__init__(window)
        self.window = window
        self._session = session
        self._restore = restore
        self.path: str | None = None
        """The file the session was last opened from or saved to."""
        self.keeper = SessionKeeper(self._session, parent=self)
        self.keeper.modifiedChanged.connect(self._on_modified_changed)
        self.keeper.autosaveFailed.connect(self._say)
        window.setWindowTitle(APP_TITLE)

    def start(self) -> None:
        """Start watching the session (once the window shows its first one)."""
        self.keeper.start()

    def open(self, path: str) -> bool:
        """Load the session in ``path``.

        A file that is not a session, or whose function cannot be read, is refused with a
        message and nothing changes. Otherwise what is valid is opened, and a message names
        the fields that were wrong (they keep what the window had).
        """
        window = self.window
        try:
            session, problems = read_session_file(path, base=self._session())
        except SessionFileError as error:
            QMessageBox.warning(window, "Could not open the session", str(error))
            return False
        session.history = self._session().history  # the Recent list is the app's own
        self._restore(session)
        self._name(path)
        self._say(f"Opened {path}")
        if problems:
            QMessageBox.warning(
                window,
                "Part of the session was not opened",
                f"{Path(path).name} was opened, but these parts of it were wrong and were "
                "left as they were:\n\n" + "\n".join(f"• {problem}" for problem in problems),
            )
        return True

    def save(self, path: str) -> bool:
        """Write the session to ``path`` (atomically); a failure gives a message, and the
        file keeps what it held."""
        try:
            write_session_file(self._session(), path)
        except SessionFileError as error:
            QMessageBox.warning(self.window, "Could not save the session", str(error))
            return False
        self._name(path)
        self._say(f"Saved {path}")
        return True

    def keep_safe(self, directory: str | Path) -> None:
        """At start: offer to restore the session of a run that did not exit cleanly, then
        autosave to ``directory`` (if that fails, the status bar says so and the app goes on)."""
        recovered = offer_recovery(self.window, directory)
        if recovered is not None:
            self._restore(recovered)
        try:
            self.keeper.autosave_to(directory)
        except OSError as error:
            self._say(f"Autosave is off: {error}")

    def finish(self) -> None:
        """A clean exit: the autosave is no longer needed."""
        self.keeper.finish()

    # --- internals ----------------------------------------------------------

    def _name(self, path: str) -> None:
        """The session on show is now the one in ``path``: say so in the title."""
        self.path = path
        self.keeper.mark_saved()
        self.window.setWindowTitle(f"{Path(path).name}[*] — {APP_TITLE}")
        self.window.setWindowModified(False)

    def _on_modified_changed(self, modified: bool) -> None:
        if self.path is not None:  # a session never saved has no file to differ from
            self.window.setWindowModified(modified)

    def _say(self, message: str) -> None:
        self.window.statusBar().showMessage(message, 8000)


__all__ = ["APP_TITLE", "SessionFiles"]

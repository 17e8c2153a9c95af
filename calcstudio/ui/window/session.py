"""What the window remembers between launches: the session in QSettings, read warily.

The session itself (its fields, how files are read and written) is Qt-free and lives in
:mod:`calcstudio.core.session_file`; this module keeps it in QSettings when the window
closes, so a relaunch continues where the learner stopped. Nothing stored there can stop the
app from starting: a value that cannot be used gives the default session instead.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QSettings

from calcstudio.core.session_file import (
    FILE_SUFFIX,
    Session,
    SessionFileError,
    loads_session,
    read_session_file,
    write_session_file,
)


def load_settings(settings: QSettings) -> Session:
    """The session saved in ``settings`` by :func:`save_settings`.

    The defaults if there is none or it cannot be read; a field that is wrong keeps its
    default and the rest is used (the function is kept even if it does not parse: it is what
    the learner was typing).
    """
    raw = settings.value("session", "")  # None for a value the backend cannot read
    if not isinstance(raw, str) or not raw:
        return Session()
    try:
        session, _ = loads_session(raw)
    except SessionFileError:
        return Session()
    return session


def save_settings(settings: QSettings, session: Session) -> None:
    """Store ``session`` in ``settings`` (as JSON, so every platform's backend keeps types).

    If a lesson's settings are not plain data, the rest of the session is stored without them.
    """
    try:
        text = session.to_json()
    except ValueError:
        text = replace(session, lessons={}).to_json()
    settings.setValue("session", text)


__all__ = [
    "FILE_SUFFIX",
    "Session",
    "SessionFileError",
    "load_settings",
    "read_session_file",
    "save_settings",
    "write_session_file",
]

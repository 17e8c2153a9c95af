"""Session files: the learner's session as plain JSON, read warily and written atomically.

A session (:mod:`calcstudio.core.session_fields`) is what puts the window back as it was:
the function text, the tangent point a, the secant step h, the visible range, the view
toggles, the Recent list, the lesson on show and each lesson's own state (plain JSON data
from ``Lesson.state()``).

Reading trusts nothing: the size read is capped, anything but a regular file is refused, a
UTF-8 byte-order mark is accepted, nesting deeper than :data:`MAX_NESTING` is refused before
parsing, and every field is checked; :func:`parse_session` names each wrong field in words.
Writing goes to a temporary file beside the target, is flushed to the disk, then renamed over
it, so a full disk or any other failure leaves the old file as it was.
"""

from __future__ import annotations

import json
import os
import re
import stat
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from calcstudio.core.analysis import quote
from calcstudio.core.language import ParseError, parse_tree
from calcstudio.core.session_fields import LongInteger, Session, parse_session

FILE_SUFFIX = ".calcstudio"
"""Extension of saved session files."""
MAX_FILE_BYTES = 8_000_000
"""Largest session file read (lessons' data included); larger ones are refused unread. The fit
lesson's largest dataset, 100,000 points, takes about 4 MB."""
MAX_NESTING = 40
"""Deepest nesting of JSON lists and objects accepted in a session file."""
MAX_INTEGER_DIGITS = 30
"""Longer integers in a file are not converted (a 5,000-digit ``1000…0`` is a number too
large, not a slow conversion that Python refuses past 4,300 digits)."""


class SessionFileError(Exception):
    """A session file could not be read or written; the message says why in plain words."""


def loads_session(text: str, base: Session | None = None) -> tuple[Session, list[str]]:
    """:func:`parse_session` of JSON text; raises SessionFileError if it is not usable JSON."""
    return parse_session(_decode(text), base)


def read_session_file(path: str | Path, base: Session | None = None) -> tuple[Session, list[str]]:
    """Load a ``.calcstudio`` file.

    Parameters
    ----------
    path
        The file.
    base
        Values for fields that are missing or wrong (see :func:`parse_session`).

    Returns
    -------
    session, problems
        The session and the wrong fields, in words (empty if all were right).

    Raises
    ------
    SessionFileError
        If the file cannot be read, is not a CalcStudio session, or its function cannot be
        read: nothing of it should be used then.
    """
    name = Path(path).name
    raw = _read_capped(Path(path), name)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SessionFileError(f"{name} is not a CalcStudio session (it is not text).") from error
    try:
        data = _decode(text)
    except SessionFileError as error:
        raise SessionFileError(f"{name} is not a CalcStudio session ({error}).") from None
    if not isinstance(data, dict) or not isinstance(data.get("function"), str):
        raise SessionFileError(f"{name} is not a CalcStudio session (it has no function).")
    try:
        parse_tree(data["function"])
    except ParseError as error:
        raise SessionFileError(
            f"The function in {name}, {quote(data['function'])}, cannot be read: {error}."
        ) from None
    return parse_session(data, base)


def write_session_file(session: Session, path: str | Path) -> None:
    """Save ``session`` as JSON, atomically: on any failure the old file stays as it was.

    Raises
    ------
    SessionFileError
        If the file cannot be written; the message says why.
    """
    try:
        text = session.to_json()
    except ValueError as error:
        raise SessionFileError(f"Could not save {Path(path).name}: {error}.") from None
    write_atomically(Path(path), (text + "\n").encode("utf-8"))


def write_atomically(path: Path, data: bytes) -> None:
    """Replace ``path`` by ``data``: write beside it, flush to the disk, then rename.

    Raises
    ------
    SessionFileError
        If it cannot be written (disk full, no permission, …); ``path`` is untouched then.
    """
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        mode = None
    try:
        descriptor, temporary = tempfile.mkstemp(
            prefix=f".{path.name}.", suffix=".part", dir=path.parent
        )
    except OSError as error:
        raise SessionFileError(f"Could not save {path.name}: {_reason(error)}.") from error
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        # mkstemp makes the file private; keep the mode of the file it replaces, or the usual.
        os.chmod(temporary, mode if mode is not None else 0o666 & ~_UMASK)
        os.replace(temporary, path)
    except BaseException as error:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise SessionFileError(f"Could not save {path.name}: {_reason(error)}.") from error
        raise
    _sync_directory(path.parent)


# --- reading ------------------------------------------------------------------


def _read_capped(path: Path, name: str) -> bytes:
    try:
        if not stat.S_ISREG(path.stat().st_mode):  # /dev/zero, a pipe, a folder
            raise SessionFileError(f"{name} is not a file that holds a session.")
        with path.open("rb") as stream:
            raw = stream.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise SessionFileError(f"Could not read {name}: {_reason(error)}.") from error
    if len(raw) > MAX_FILE_BYTES:
        raise SessionFileError(
            f"{name} is too large to be a session (more than {MAX_FILE_BYTES // 1_000_000} MB)."
        )
    return raw


_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)


def _nesting(text: str) -> int:
    """How deeply JSON lists and objects nest in ``text`` (strings do not count)."""
    brackets = "".join(re.findall(r"[\[\]{}]", _STRING.sub("", text)))
    if not brackets:
        return 0
    codes = np.frombuffer(brackets.encode("ascii"), dtype=np.uint8)
    return int(np.cumsum(np.where((codes == ord("[")) | (codes == ord("{")), 1, -1)).max())


def _bounded_integer(digits: str) -> int | str:
    if len(digits.lstrip("-")) > MAX_INTEGER_DIGITS:
        return LongInteger(digits)
    return int(digits)


def _decode(text: str) -> Any:
    """JSON text to data; SessionFileError (a short reason) if it is not usable JSON."""
    if len(text) > MAX_FILE_BYTES:
        raise SessionFileError("it is too large")
    text = text.removeprefix("\ufeff")
    if _nesting(text) > MAX_NESTING:
        raise SessionFileError(f"it nests more than {MAX_NESTING} levels deep")
    try:
        return json.loads(text, parse_int=_bounded_integer)
    except json.JSONDecodeError as error:
        raise SessionFileError(f"it is not JSON: {error.msg} at line {error.lineno}") from None
    except (ValueError, RecursionError) as error:
        raise SessionFileError(f"it is not JSON: {error}") from None


# --- writing ------------------------------------------------------------------


def _reason(error: OSError) -> str:
    return error.strerror.lower() if error.strerror else str(error)


def _read_umask() -> int:
    # Read once at import: os.umask sets while it reads, which a writing thread must not race.
    current = os.umask(0)
    os.umask(current)
    return current


_UMASK = _read_umask()


def _sync_directory(directory: Path) -> None:
    """Make the rename itself durable where the system allows it (POSIX)."""
    if os.name != "posix":
        return
    try:
        descriptor = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass  # some file systems cannot sync a folder; the data itself is already on disk
    finally:
        os.close(descriptor)


__all__ = [
    "FILE_SUFFIX",
    "Session",
    "SessionFileError",
    "loads_session",
    "parse_session",
    "read_session_file",
    "write_atomically",
    "write_session_file",
]

"""Session files: read warily (every field checked, hostile files refused in words), written
atomically (the old file survives a full disk), and autosaves that outlive a killed app."""

from __future__ import annotations

import json
import os
import re
import resource
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

import calcstudio
from calcstudio.core.recovery import Autosave, orphaned
from calcstudio.core.session_file import (
    MAX_FILE_BYTES,
    MAX_NESTING,
    Session,
    SessionFileError,
    loads_session,
    read_session_file,
    write_session_file,
)


def write(tmp_path: Path, content: str | bytes, name: str = "s.calcstudio") -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def refusal(path: Path) -> str:
    with pytest.raises(SessionFileError) as refused:
        read_session_file(path)
    return str(refused.value)


def test_a_session_survives_the_round_trip(tmp_path: Path) -> None:
    session = Session(
        function="sin(x²)",
        point=-0.5,
        step=0.25,
        x_range=(-3.0, 4.0),
        y_range=(-1.0, 2.0),
        show_second_derivative=True,
        history=["x^2", "tanh(x)"],
        lesson="descent",
        lessons={"descent": {"learning_rate": 0.1, "optimizers": ["adam"]}},
    )
    path = tmp_path / "lesson.calcstudio"
    write_session_file(session, path)
    assert "sin(x²)" in path.read_text(encoding="utf-8")  # readable, not \\u escapes
    assert read_session_file(path) == (session, [])


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = write(tmp_path, "\ufeff" + json.dumps({"function": "cos(x)", "point": 2}))
    session, problems = read_session_file(path)
    assert (session.function, session.point, problems) == ("cos(x)", 2.0, [])


def test_each_wrong_field_is_named_and_the_rest_is_used(tmp_path: Path) -> None:
    data = {
        "function": "x^3",
        "point": "abc",
        "step": -1,
        "x_range": [5, 1],
        "y_range": [-1, 1],
        "show_second_derivative": "yes",
        "colour": "red",
    }
    base = Session(point=0.75, step=0.5, x_range=(-2.0, 2.0))
    session, problems = read_session_file(write(tmp_path, json.dumps(data)), base)
    assert problems == [
        "the point a (point): 'abc' is not a number",
        "the step h (step): -1 is not above 0",
        "the view's x range (x_range): [5, 1] is not a range from low to high within ±10¹² "
        "(and at least 10⁻⁹ wide)",
        "showing f″ (show_second_derivative): 'yes' is not true or false",
        "'colour' is not a session field, so it was ignored",
    ]
    # Good fields are taken; wrong ones keep what the window had.
    assert session.function == "x^3" and session.y_range == (-1.0, 1.0)
    assert (session.point, session.step, session.x_range) == (0.75, 0.5, (-2.0, 2.0))
    assert session.show_second_derivative is False


def test_huge_and_impossible_numbers_are_wrong_fields_not_crashes(tmp_path: Path) -> None:
    text = '{"function": "x^2", "point": 1' + "0" * 5000 + ', "step": NaN, "x_range": [0, 1e400]}'
    session, problems = read_session_file(write(tmp_path, text))
    # No 4,300-digit conversion error, no OverflowError: a field too large, in words.
    assert problems[0] == (
        "the point a (point): a number of 5,001 digits is too large (at most 10¹²)"
    )
    assert problems[1] == "the step h (step): NaN is not a number"
    assert problems[2].startswith("the view's x range (x_range): [0, inf] is not a range")
    assert session.point == Session().point


def test_deep_nesting_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    assert refusal(write(tmp_path, "[" * 100_000)) == (
        f"s.calcstudio is not a CalcStudio session (it nests more than {MAX_NESTING} levels deep)."
    )
    # Brackets inside strings are text, not nesting.
    path = write(tmp_path, json.dumps({"function": "x", "history": ["[" * 500]}))
    assert read_session_file(path)[0].history == ["[" * 500]


def test_what_is_not_a_session_file_is_refused_in_words(tmp_path: Path) -> None:
    assert refusal(Path("/dev/zero")) == "zero is not a file that holds a session."
    assert refusal(tmp_path).endswith("is not a file that holds a session.")
    huge = write(tmp_path, b" " * (MAX_FILE_BYTES + 1))
    assert refusal(huge) == "s.calcstudio is too large to be a session (more than 8 MB)."
    assert refusal(write(tmp_path, b"\xff\xfe{")) == (
        "s.calcstudio is not a CalcStudio session (it is not text)."
    )
    assert refusal(write(tmp_path, "{not json")).startswith(
        "s.calcstudio is not a CalcStudio session (it is not JSON: Expecting property name"
    )
    assert refusal(write(tmp_path, '{"point": 1}')) == (
        "s.calcstudio is not a CalcStudio session (it has no function)."
    )
    assert refusal(tmp_path / "missing.calcstudio") == (
        "Could not read missing.calcstudio: no such file or directory."
    )


def test_a_function_that_cannot_be_read_refuses_the_whole_file(tmp_path: Path) -> None:
    path = write(tmp_path, json.dumps({"function": "sin(", "point": 2}))
    assert refusal(path).startswith("The function in s.calcstudio, 'sin(', cannot be read: ")


def test_remembered_text_is_checked_the_same_way() -> None:
    session, problems = loads_session('{"function": "x", "point": [1]}')
    assert (session.function, problems) == ("x", ["the point a (point): [1] is not a number"])
    with pytest.raises(SessionFileError, match="nests more than"):
        loads_session("[" * 50_000)


# --- writing ------------------------------------------------------------------


def test_an_entry_that_utf8_cannot_encode_still_saves(tmp_path: Path) -> None:
    path = tmp_path / "odd.calcstudio"
    write_session_file(Session(function="x²", history=["x\ud800"]), path)
    session, problems = read_session_file(path)
    assert problems == [] and session.history == ["x\ud800"] and session.function == "x²"


def test_saving_keeps_the_mode_of_the_file_it_replaces(tmp_path: Path) -> None:
    path = tmp_path / "shared.calcstudio"
    write_session_file(Session(), path)
    path.chmod(0o640)
    write_session_file(Session(function="x^3"), path)
    assert path.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["shared.calcstudio"]


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 64 kB file system (tmpfs), so the disk really fills up."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k,nr_inodes=64", "tmpfs", str(mount_point)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip("cannot mount a small file system here (needs root)")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def test_a_full_disk_leaves_the_old_file_as_it_was(tiny_disk: Path) -> None:
    path = tiny_disk / "lesson.calcstudio"
    write_session_file(Session(function="tanh(x)"), path)
    before = path.read_bytes()
    filler = tiny_disk / "filler"
    with filler.open("wb", buffering=0) as stream:  # fill the disk to the last block
        try:
            while True:
                stream.write(b"\0" * 512)
        except OSError:
            pass
    bigger = Session(function="x^2", history=[f"sin({k}x)" for k in range(100)])
    with pytest.raises(SessionFileError, match=r"Could not save lesson.calcstudio: no space left"):
        write_session_file(bigger, path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tiny_disk.iterdir()) == ["filler", "lesson.calcstudio"]


def test_a_read_only_disk_leaves_the_old_file_as_it_was(tiny_disk: Path) -> None:
    path = tiny_disk / "lesson.calcstudio"
    write_session_file(Session(function="tanh(x)"), path)
    before = path.read_bytes()
    subprocess.run(["mount", "-o", "remount,ro", str(tiny_disk)], check=True)
    with pytest.raises(SessionFileError, match="read-only file system"):
        write_session_file(Session(function="x^2"), path)
    assert path.read_bytes() == before


FILE_SIZE_LIMIT = """
import resource, signal, sys
from calcstudio.core.session_file import Session, SessionFileError, write_session_file
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails instead
resource.setrlimit(resource.RLIMIT_FSIZE, (300, 300))
try:
    write_session_file(Session(history=["x^2"] * 50), sys.argv[1])
except SessionFileError as error:
    print(error)
"""


def test_a_write_cut_short_leaves_the_old_file_as_it_was(tmp_path: Path) -> None:
    # Any user can limit the size of files a process writes: the write fails part-way.
    path = tmp_path / "lesson.calcstudio"
    write_session_file(Session(function="tanh(x)"), path)
    before = path.read_bytes()
    assert len(before) < 300 < len(Session(history=["x^2"] * 50).to_json())
    env = {**os.environ, "PYTHONPATH": str(Path(calcstudio.__file__).parents[1])}
    done = subprocess.run(
        [sys.executable, "-c", FILE_SIZE_LIMIT, str(path)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert done.stdout.startswith("Could not save lesson.calcstudio: file too large")
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["lesson.calcstudio"]
    assert resource.getrlimit(resource.RLIMIT_FSIZE)  # the limit was the child's only


# --- autosave and recovery ----------------------------------------------------------


def test_a_running_apps_autosave_is_not_an_orphan(tmp_path: Path) -> None:
    autosave = Autosave(tmp_path)
    autosave.write(Session(function="cos(x)"))
    assert orphaned(tmp_path) == []
    autosave.discard()  # a clean exit leaves nothing behind
    assert list(tmp_path.iterdir()) == []


KILLED_APP = """
import sys, time
from calcstudio.core.recovery import Autosave
from calcstudio.core.session_file import Session
autosave = Autosave(sys.argv[1])
autosave.write(Session(function=sys.argv[2], point=0.25))
print("saved", flush=True)
time.sleep(600)
"""


def test_the_autosave_of_a_killed_app_is_found_and_read(tmp_path: Path) -> None:
    mine = Autosave(tmp_path)  # this app runs beside the one that dies
    mine.write(Session(function="x^2"))
    function = f"sin(x) + {uuid.uuid4().int % 1000}"
    env = {**os.environ, "PYTHONPATH": str(Path(calcstudio.__file__).parents[1])}
    app = subprocess.Popen(
        [sys.executable, "-c", KILLED_APP, str(tmp_path), function],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert app.stdout is not None and app.stdout.readline() == "saved\n"
    assert orphaned(tmp_path) == []  # alive: its lock is held
    app.send_signal(signal.SIGKILL)
    app.wait(10)
    (orphan,) = orphaned(tmp_path)
    assert orphan.path.name == f"autosave-{app.pid}.calcstudio"
    session = orphan.read()
    assert (session.function, session.point) == (function, 0.25)
    orphan.discard()
    assert orphaned(tmp_path) == []
    mine.discard()


def test_the_readme_example_prints_what_it_says(tmp_path: Path) -> None:
    readme = Path(calcstudio.__file__).parents[1] / "README.md"
    blocks = re.findall(r"```python\n(.*?)```", readme.read_text(encoding="utf-8"), re.S)
    (example,) = [block for block in blocks if "read_session_file" in block]
    env = {**os.environ, "PYTHONPATH": str(Path(calcstudio.__file__).parents[1])}
    done = subprocess.run(
        [sys.executable, "-c", example], cwd=tmp_path, capture_output=True, text=True, env=env
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "tanh(x) []\n"
    assert (tmp_path / "lesson.calcstudio").exists()


def test_a_lesson_state_json_cannot_hold_is_refused_in_words(tmp_path: Path) -> None:
    path = tmp_path / "lesson.calcstudio"
    write_session_file(Session(function="tanh(x)"), path)
    before = path.read_bytes()
    for state, why in (
        ({"start": float("nan")}, "a lesson's settings hold a number that is not finite"),
        ({"start": object()}, "a lesson's settings are not plain data"),
    ):
        with pytest.raises(SessionFileError, match=f"Could not save lesson.calcstudio: {why}"):
            write_session_file(Session(lessons={"descent": state}), path)
        assert path.read_bytes() == before

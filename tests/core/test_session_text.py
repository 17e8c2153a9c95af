"""A session's JSON text: the same data as before, a line a field, long tuples written once."""

from __future__ import annotations

import json

import numpy as np
import pytest

from calcstudio.core.regression import Dataset, generate
from calcstudio.core.regression.dataset import MAX_POINTS
from calcstudio.core.session_file import (
    MAX_FILE_BYTES,
    Session,
    loads_session,
    read_session_file,
    write_session_file,
)
from calcstudio.core.session_text import LONG, field_texts, object_text


def test_the_text_holds_every_field_and_reads_back() -> None:
    x, y = Dataset(np.linspace(0, 1, 1500), np.linspace(2, 3, 1500)).columns
    session = Session(
        function="sin(x²) + ε",
        history=["x^2", "tanh(x)"],
        lesson="fit",
        lessons={
            "fit": {"x": x, "y": y, "loss": "SSE", "line": [2.0, -1.0]},
            "descent": {"optimizers": ["adam", "gd"], "rate": 0.1, "nested": {"a": [1, 2]}},
            "odd": {1: "a key that is not text"},
        },
    )
    text = session.to_json()
    data = json.loads(text)
    assert data["lessons"]["fit"]["x"] == list(x)
    assert data["lessons"]["fit"]["y"] == list(y)
    descent = {"optimizers": ["adam", "gd"], "rate": 0.1, "nested": {"a": [1, 2]}}
    assert data["lessons"]["descent"] == descent
    assert data["lessons"]["odd"] == {"1": "a key that is not text"}  # as json.dumps writes it
    assert data["function"] == "sin(x²) + ε"  # readable, not escaped
    assert "sin(x²)" in text
    # a line a field, and a line a lesson
    lines = text.splitlines()
    assert lines[0] == "{" and lines[-1] == "}"
    assert lines[1] == '  "function": "sin(x²) + ε",'
    assert sum(line.startswith('    "') for line in lines) == 3
    restored, problems = loads_session(text)
    assert problems == []
    assert restored.history == ["x^2", "tanh(x)"]
    assert restored.lessons["fit"]["loss"] == "SSE"


def test_the_comparable_text_leaves_out_the_recent_list_only() -> None:
    session = Session(function="x^3", history=["x^2"], lessons={"area": {"n": 10}})
    whole, comparable = session.texts()
    assert whole == session.to_json() and comparable == session.comparable()
    assert json.loads(comparable) == {k: v for k, v in json.loads(whole).items() if k != "history"}
    other = Session(function="x^3", history=["x^2", "cos(x)"], lessons={"area": {"n": 10}})
    assert other.comparable() == comparable and other.to_json() != whole


def test_a_long_tuple_is_written_once_and_its_text_kept() -> None:
    long = tuple(float(k) / 7 for k in range(LONG))
    first = field_texts([("lessons", {"fit": {"x": long}})], ascii_only=False)
    again = field_texts([("lessons", {"fit": {"x": long}})], ascii_only=False)
    written = [piece for piece in first[0] if piece.startswith("[")]
    kept = [piece for piece in again[0] if piece.startswith("[")]
    assert len(written) == len(kept) == 1
    assert kept[0] is written[0]  # not written again
    equal = tuple(list(long))
    assert equal is not long
    anew = field_texts([("lessons", {"fit": {"x": equal}})], ascii_only=False)
    fresh = next(piece for piece in anew[0] if piece.startswith("["))
    assert fresh is not written[0] and fresh == written[0]
    assert json.loads(object_text(first))["lessons"]["fit"]["x"] == list(long)


def test_a_lone_surrogate_is_escaped_and_bad_values_are_said_in_words() -> None:
    text = Session(function="x\udc80").to_json()
    assert json.loads(text)["function"] == "x\udc80"
    assert text.isascii()
    with pytest.raises(ValueError, match="not finite"):
        Session(lessons={"fit": {"line": [float("nan"), 0.0]}}).to_json()
    with pytest.raises(ValueError, match="not finite"):
        Session(lessons={"fit": {"x": (float("inf"),) * LONG}}).to_json()
    with pytest.raises(ValueError, match="not plain data"):
        Session(lessons={"fit": {"data": object()}}).to_json()


def test_a_dataset_never_changes_and_hands_over_the_same_columns() -> None:
    x = np.array([1.0, 2.0, 3.0])
    data = Dataset(x, np.array([2.0, 4.0, 7.0]))
    x[0] = 100.0  # the caller's array stays the caller's
    assert data.x[0] == 1.0
    assert x.flags.writeable
    with pytest.raises(ValueError):
        data.x[0] = 5.0
    assert data.columns is data.columns
    assert data.columns == ((1.0, 2.0, 3.0), (2.0, 4.0, 7.0))
    moved = data.moved(0, 9.0, 9.0)
    assert moved.columns == ((9.0, 2.0, 3.0), (9.0, 4.0, 7.0))
    assert data.columns[0] == (1.0, 2.0, 3.0)


def test_the_largest_dataset_is_saved_and_opened_again(tmp_path) -> None:
    # Nothing lost: a session (or its autosave) holding the fit lesson's largest dataset
    # must open again; at 2 MB the limit refused anything past about 50,000 points.
    x, y = generate(2.0, 1.0, 1.5, MAX_POINTS, seed=1).columns
    path = tmp_path / "big.calcstudio"
    write_session_file(Session(lessons={"fit": {"x": x, "y": y, "loss": "SSE"}}), path)
    assert path.stat().st_size < MAX_FILE_BYTES
    session, problems = read_session_file(path)
    assert problems == []
    assert session.lessons["fit"]["x"] == list(x)
    assert session.lessons["fit"]["y"] == list(y)

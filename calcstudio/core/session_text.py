"""A session's fields as JSON text, fast enough to write once a second.

The autosave looks at the session every second and compares its text with the last one it
kept; the line-fit lesson's settings hold its whole dataset (up to 100,000 points). Written
by ``json.dumps`` with an indent (Python's own encoder, not its C one), the text of 1,000
points took 15 ms, and of 100,000 points 1.8 s: the window stalled every second. Here each
field, and each lesson's settings, is one line written by the C encoder, and a long tuple
(a dataset's x or y, which :class:`~calcstudio.core.regression.dataset.Dataset` hands over
as the same tuple until the data changes) is written once and its text kept.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Iterable
from typing import Any

LONG = 1000
"""Tuples at least this long are written once and their text kept while the same tuple
comes back."""
KEPT = 2
"""How many long tuples' texts are kept (the dataset's x and y; older ones are not asked
for again, and at 100,000 points each holds megabytes)."""

_kept: OrderedDict[tuple[int, bool], tuple[tuple[Any, ...], str]] = OrderedDict()


def field_texts(fields: Iterable[tuple[str, Any]], *, ascii_only: bool) -> list[list[str]]:
    """Each of ``fields`` as the pieces of its line of a JSON object (a dict of dicts, the
    lessons' settings, a line per inner dict); :func:`object_text` joins them.

    Pieces, not one string: a dataset's text runs to megabytes, and each joining copies it.

    Raises
    ------
    TypeError
        If a value is not plain data (numbers, strings, lists, tuples, dicts).
    ValueError
        If a number is not finite.
    """
    encode = json.JSONEncoder(ensure_ascii=ascii_only, allow_nan=False).encode
    texts = []
    for name, value in fields:
        pieces = ["  ", encode(name), ": "]
        if isinstance(value, dict) and value and all(isinstance(v, dict) for v in value.values()):
            pieces.append("{\n")
            for index, (key, state) in enumerate(value.items()):
                pieces += [",\n" if index else "", "    ", encode(str(key)), ": "]
                pieces += _object_pieces(state, encode, ascii_only)
            pieces.append("\n  }")
        else:
            pieces.append(encode(value))
        texts.append(pieces)
    return texts


def object_text(texts: Iterable[list[str]]) -> str:
    """Fields' texts (from :func:`field_texts`) as one JSON object."""
    pieces = ["{\n"]
    for index, field in enumerate(texts):
        if index:
            pieces.append(",\n")
        pieces += field
    pieces.append("\n}")
    return "".join(pieces)


def _object_pieces(state: dict[Any, Any], encode: Any, ascii_only: bool) -> list[str]:
    """One dict on one line, its long tuples from the kept texts."""
    if not all(isinstance(key, str) for key in state):
        return [encode(state)]  # JSON's own rules for other keys
    pieces = ["{"]
    for index, (key, value) in enumerate(state.items()):
        pieces += [", " if index else "", encode(key), ": ", _value_text(value, encode, ascii_only)]
    pieces.append("}")
    return pieces


def _value_text(value: Any, encode: Any, ascii_only: bool) -> str:
    if not (isinstance(value, tuple) and len(value) >= LONG):
        return encode(value)
    # A tuple of numbers cannot change, so the same tuple (by identity) has the same text.
    key = (id(value), ascii_only)
    kept = _kept.get(key)
    if kept is not None and kept[0] is value:
        _kept.move_to_end(key)
        return kept[1]
    text = encode(value)
    _kept[key] = (value, text)  # holding the tuple keeps its id from being reused
    while len(_kept) > KEPT:
        _kept.popitem(last=False)
    return text


__all__ = ["KEPT", "LONG", "field_texts", "object_text"]

"""The function field's undo history is rebuilt from its latest edits, so it stays bounded."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLineEdit

from calcstudio.ui.widgets.bounded_undo import UNDO_KEEP, UNDO_LIMIT, BoundedUndo
from calcstudio.ui.widgets.function_editor import FunctionEditor


def replace(qtbot, field: QLineEdit, text: str) -> None:
    """One edit as the window makes it (a preset, a history entry): select all, insert."""
    field.selectAll()
    field.insert(text)
    qtbot.wait(1)  # the rebuild waits for the event loop


def undo_all(field: QLineEdit, most: int) -> list[str]:
    """Press Ctrl+Z until nothing is left to undo (at most ``most`` times): the texts seen."""
    seen = []
    while field.isUndoAvailable() and len(seen) < most:
        field.undo()
        seen.append(field.text())
    return seen


def edited_field(
    qtbot, texts: list[str], keep: int | None = None, limit: int = 1000
) -> tuple[QLineEdit, BoundedUndo | None]:
    """A field that has shown ``texts`` in turn, bounded by ``keep`` and ``limit`` (Qt's own
    unbounded history if ``keep`` is None)."""
    field = QLineEdit()
    qtbot.addWidget(field)
    undo = None if keep is None else BoundedUndo(field, keep=keep, limit=limit)
    for text in texts:
        replace(qtbot, field, text)
    return field, undo


def test_undo_goes_back_through_the_latest_edits_and_no_further(qtbot) -> None:
    field, _ = edited_field(qtbot, [f"t{k}" for k in range(23)], keep=5, limit=20)
    # Rebuilt at the 20th edit from t14 … t19; t20 … t22 came after.
    assert undo_all(field, 100) == [f"t{k}" for k in range(21, 13, -1)]


def test_without_it_qt_keeps_every_edit(qtbot) -> None:
    # What the bound is for: Qt alone lets undo reach the very first edit.
    field, _ = edited_field(qtbot, [f"t{k}" for k in range(23)])
    assert undo_all(field, 100)[-1] == ""


def test_a_rebuild_keeps_the_text_cursor_and_selection_and_says_nothing(qtbot) -> None:
    field, undo = edited_field(qtbot, [f"sin({k}x) + x^2" for k in range(5)], keep=3)
    changes = []
    field.textChanged.connect(changes.append)
    field.setSelection(4, 2)
    undo.rebuild()
    assert field.text() == "sin(4x) + x^2" and changes == []
    assert (field.selectionStart(), field.selectedText()) == (4, "4x")
    field.setCursorPosition(6)
    undo.rebuild()
    assert field.cursorPosition() == 6 and not field.hasSelectedText()
    assert undo.edits == 0


def test_a_rebuild_waits_while_there_is_something_to_redo(qtbot) -> None:
    field, undo = edited_field(qtbot, [f"t{k}" for k in range(4)], keep=2)
    field.undo()
    assert field.text() == "t2" and field.isRedoAvailable()
    undo.rebuild()
    assert field.isRedoAvailable()  # the learner's redo is kept
    field.redo()
    assert field.text() == "t3"


def test_typed_characters_are_undone_after_a_rebuild(qtbot) -> None:
    field, undo = edited_field(qtbot, [], keep=3)
    qtbot.keyClicks(field, "x^2")
    undo.rebuild()
    assert field.text() == "x^2"
    assert undo_all(field, 10) == ["x^", "x", ""]


def test_the_function_field_is_bounded_and_keeps_its_error_underlined(qtbot) -> None:
    editor = FunctionEditor()
    qtbot.addWidget(editor)
    edited = []
    editor.functionEdited.connect(lambda text, _tree: edited.append(text))
    for k in range(UNDO_LIMIT - 1):
        editor.set_text(f"x^2 + {k}")
    editor.field.selectAll()
    qtbot.keyClicks(editor.field, "sin(")  # the 1,000th edit and on, ending in an error
    plotted = len(edited)
    underlined = []
    underline = editor._underline
    editor._underline = lambda start, end: underlined.append((start, end)) or underline(start, end)
    qtbot.waitUntil(lambda: editor.undo.edits == 0)
    assert editor.text() == "sin(" and editor.error is not None
    assert underlined == [(editor.error.start, editor.error.end)]  # set again after the rebuild
    assert len(edited) == plotted  # the rebuild plotted nothing
    # Back through the last UNDO_KEEP texts the field showed, the typed ones one by one.
    last_replaced = UNDO_LIMIT - 2
    replaced = [f"x^2 + {k}" for k in range(last_replaced, last_replaced - UNDO_KEEP + 3, -1)]
    assert undo_all(editor.field, 2 * UNDO_KEEP) == ["sin", "si", "s", *replaced]


@pytest.mark.parametrize("keep", [1, UNDO_KEEP])
def test_keep_is_how_far_back_undo_reaches(qtbot, keep: int) -> None:
    field, undo = edited_field(qtbot, [f"t{k}" for k in range(keep + 10)], keep=keep)
    undo.rebuild()
    seen = undo_all(field, 10 * keep + 20)
    assert len(seen) == keep and seen[-1] == f"t{9}"

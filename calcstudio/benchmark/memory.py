"""Memory of the window and the worker, after start and after a soak of many edits.

The soak puts one text after another into the editor (each a real edit: parse, fast-path plot,
a request to the worker whose stale answers are dropped), letting the event loop run between
edits so the worker's answers are read. Resident memory is read from ``/proc`` (Linux).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

PAGE = 4096


def resident_mb(pid: int | str = "self") -> float:
    """Resident memory of process ``pid`` in MB, from ``/proc/<pid>/statm`` (NaN elsewhere)."""
    try:
        pages = int(Path(f"/proc/{pid}/statm").read_text(encoding="ascii").split()[1])
    except (OSError, ValueError, IndexError):
        return float("nan")
    return pages * PAGE / 1e6


def soak(window: object, texts: list[str], edits: int, report: Callable[[str], None]) -> None:
    """Make ``edits`` edits cycling through ``texts``; report memory before and after."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    assert app is not None
    engine = window.adapter.engine  # type: ignore[attr-defined]

    def worker() -> float:
        pid = engine.pid  # the worker may have been recycled: read the current one
        return resident_mb(pid) if pid else float("nan")

    app.processEvents()
    before = resident_mb(), worker()
    started = time.perf_counter()
    for edit in range(edits):
        window.set_function_text(texts[edit % len(texts)])  # type: ignore[attr-defined]
        app.processEvents()
        if edit % 1000 == 999:
            report(
                f"  after {edit + 1} edits: window {resident_mb():.0f} MB, worker "
                f"{worker():.0f} MB ({time.perf_counter() - started:.0f} s)"
            )
    deadline = time.monotonic() + 2.0  # let the last answers arrive
    while time.monotonic() < deadline:
        app.processEvents()
    after = resident_mb(), worker()
    report(
        f"memory after start: window {before[0]:.0f} MB, worker {before[1]:.0f} MB; "
        f"after {edits} edits: window {after[0]:.0f} MB, worker {after[1]:.0f} MB"
    )

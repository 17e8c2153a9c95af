"""Closing a section's window for good, so the sections after it start from a clean process.

A closed window is only hidden: its plots, its runs (the descent section's 100,000-step
races held 127 MB) and its caches stayed in memory for every later section, and Python's
collector walked them all again and again.
"""

from __future__ import annotations

import gc
from typing import Any


def close_window(window: Any) -> None:
    """Close ``window`` (its worker stops with it), delete it and collect what it held."""
    from PySide6.QtCore import QCoreApplication, QEvent

    window.close()
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()


__all__ = ["close_window"]

"""Window tests run offscreen against the real worker process and a real QApplication."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator

import pytest

from calcstudio.core.engine import Engine


@pytest.fixture(scope="session")
def engine() -> Iterator[Engine]:
    """One warm symbolic worker shared by the UI tests (starting one costs about a second)."""
    shared = Engine()
    shared.start()
    shared.compute("x^2")  # wait until sympy is imported in the worker
    yield shared
    shared.close()

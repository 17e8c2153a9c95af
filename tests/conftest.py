"""Hypothesis in CI: the same examples every run (derandomized), so a landing never depends on
luck; local runs keep exploring new random examples."""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

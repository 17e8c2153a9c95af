"""``python -m calcstudio``: the same as the ``calcstudio`` command."""

from __future__ import annotations

import sys

from calcstudio.app import main

# The guard matters: the symbolic worker is started with "spawn", which re-imports __main__.
if __name__ == "__main__":
    sys.exit(main())

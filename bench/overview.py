"""The benchmark's first entry point: the floor, the child overview and the plan page (see bench/run.py).

    .venv/bin/python bench/overview.py --reuse        # as bench/run.py --scenario floor --scenario overview …

Every option of bench/run.py applies; without --scenario it measures these three pages only.
"""

from __future__ import annotations

import sys

from run import main

if __name__ == "__main__":
    if "--scenario" not in sys.argv:
        sys.argv += ["--scenario", "floor", "--scenario", "overview", "--scenario", "plan"]
    main()

"""Run every benchmark in ``bench/`` (``bench_*.py``), each printing its figures and its ratio to
a baseline measured in the same run. ``make bench`` runs this on PostgreSQL."""

from __future__ import annotations

import runpy
import sys
from pathlib import Path


def main() -> None:
    """Run the benchmark scripts in name order."""
    scripts = sorted(Path(__file__).resolve().parent.glob("bench_*.py"))
    for script in scripts:
        print(f"== {script.stem}", flush=True)
        runpy.run_path(str(script), run_name="__main__")
    if not scripts:
        sys.exit("no benchmarks found")


if __name__ == "__main__":
    main()

"""Run every benchmark in ``bench/`` (``bench_*.py``), each in its own process, each printing its
figures and its ratio to a baseline measured in the same run. ``make bench`` runs this on
PostgreSQL."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def main() -> None:
    """Run the benchmark scripts in name order; fail at the end if any of them failed."""
    scripts = sorted(Path(__file__).resolve().parent.glob("bench_*.py"))
    if not scripts:
        sys.exit("no benchmarks found")
    failed = []
    for script in scripts:
        print(f"== {script.stem}", flush=True)
        if subprocess.run([sys.executable, str(script)], check=False).returncode:
            failed.append(script.stem)
    if failed:
        sys.exit(f"benchmarks that failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()

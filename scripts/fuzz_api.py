"""Fuzz the API with schemathesis (issue 11, point 6): a live server (gunicorn) over a fresh
home with the demo data, the OpenAPI schema it serves, and a fixed example budget per
operation, as an anonymous caller, a producer owner and a county officer.

Checks: no 5xx, and every documented response conforms to the schema. Prints the cases run
and the failures found per role; exits 1 if any role found a failure.

    python scripts/fuzz_api.py [--examples N] [--seed S] [--keep]
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

from live import BIN, demo_server

#: Role → demo account (None: no credentials) and schemathesis phases. The coverage phase (every
#: boundary and type variant of every parameter, ~100 cases an operation) runs for the roles
#: that may write; anonymous callers are refused before any input is read.
ROLES = {
    "anonymous": (None, "examples,fuzzing"),
    "producer owner": ("producer_a", "examples,coverage,fuzzing"),
    "county officer": ("anhua_officer", "examples,coverage,fuzzing"),
}
CHECKS = "not_a_server_error,response_schema_conformance"


def token(username: str, env: dict[str, str]) -> str:
    out = subprocess.run(
        [BIN / "agritrace", "drf_create_token", username],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return re.search(r"[0-9a-f]{40}", out).group(0)


def fuzz(
    role: str, key: str | None, phases: str, base: str, args: argparse.Namespace, report: Path
) -> dict:
    """One schemathesis run; its counts from the summary it prints."""
    command = [
        str(BIN / "st"),
        "run",
        f"{base}/api/schema/?format=json",
        "--checks",
        CHECKS,
        "--max-examples",
        str(args.examples),
        "--seed",
        str(args.seed),
        "--phases",
        "examples,coverage,fuzzing",
        "--workers",
        "2",
        "--no-color",
        "--generation-database",
        "none",
        "--report",
        "junit",
        "--report-junit-path",
        str(report),
    ]
    if key:
        command += ["--header", f"Authorization: Token {key}"]
    started = time.monotonic()
    run = subprocess.run(command, capture_output=True, text=True)
    output = run.stdout + run.stderr
    cases = re.search(r"(\d+) generated", output)
    failures = re.search(r"(\d+) unique failures", output)
    result = {
        "role": role,
        "cases": int(cases.group(1)) if cases else 0,
        "failures": int(failures.group(1)) if failures else (0 if run.returncode == 0 else -1),
        "seconds": time.monotonic() - started,
        "exit": run.returncode,
    }
    if run.returncode != 0:
        print(output[-20000:])
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=int(os.environ.get("FUZZ_EXAMPLES", 20)))
    parser.add_argument("--seed", type=int, default=int(os.environ.get("FUZZ_SEED", 2026)))
    parser.add_argument("--keep", action="store_true", help="keep the temporary home")
    args = parser.parse_args()
    with demo_server("agritrace-fuzz-", keep=args.keep) as live:
        keys = {role: token(user, live.env) if user else None for role, (user, _) in ROLES.items()}
        results = [
            fuzz(role, key, ROLES[role][1], live.base, args, live.home / f"junit-{n}.xml")
            for n, (role, key) in enumerate(keys.items())
        ]
        failed = any(r["exit"] != 0 for r in results)
        live.keep |= failed
    print(f"\nschemathesis: {args.examples} examples per operation, seed {args.seed}, {CHECKS}")
    print(f"{'role':<16} {'phases':<26} {'cases':>7} {'failures':>9} {'seconds':>8}")
    for r in results:
        phases = ROLES[r["role"]][1]
        print(
            f"{r['role']:<16} {phases:<26} {r['cases']:>7} {r['failures']:>9} {r['seconds']:>8.0f}"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

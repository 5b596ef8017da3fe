"""Servers for the benchmarks: the platform under gunicorn as in production, on loopback."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent


def free_port() -> int:
    """A free loopback port."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url: str, seconds: float = 30) -> None:
    """Until ``url`` answers 200."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not come up")
        time.sleep(0.1)


@contextmanager
def gunicorn(
    app: str = "agritrace.wsgi",
    workers: int = 2,
    threads: int = 1,
    env: dict[str, str] | None = None,
) -> Iterator[str]:
    """gunicorn serving ``app`` with ``workers`` workers of ``threads`` threads (sync workers
    when 1); yields the base URL and stops the server gracefully (so that buffered writes are
    flushed) afterwards."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", app, "-w", str(workers), "--threads", str(threads),
         "-b", f"127.0.0.1:{port}", "--log-level", "warning", "--backlog", "2048",
         "--pythonpath", str(HERE)],
        env=os.environ | {"AGRITRACE_ALLOWED_HOSTS": "127.0.0.1"} | (env or {}),
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/healthz")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)

"""A live AgriTrace for the scripts that need one (``fuzz_api.py``, ``gallery.py``): a fresh
home with the demo data, served by gunicorn on a free loopback port."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

BIN = Path(sys.executable).parent


@dataclass
class Live:
    """The running server: its base URL, home and environment."""

    base: str
    home: Path
    env: dict[str, str]
    #: Keep the home (its ``server.log``) after the server stops, e.g. when a check failed.
    keep: bool = False


def free_port() -> int:
    """A TCP port nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, seconds: float = 60) -> None:
    """Until ``url`` answers 200."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.3)


@contextmanager
def demo_server(prefix: str, keep: bool = False) -> Iterator[Live]:
    """The demo data in a new home, served until the block ends; the home is removed afterwards
    unless ``keep`` is set (here or on the :class:`Live`) or the block raised: then its
    ``server.log`` is kept for reading."""
    home = Path(tempfile.mkdtemp(prefix=prefix))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "AGRITRACE_HOME": str(home), "AGRITRACE_PUBLIC_BASE_URL": base}
    env.pop("AGRITRACE_DATABASE_URL", None)
    subprocess.run(
        [BIN / "agritrace", "demo", "--no-serve"], env=env, check=True, stdout=subprocess.DEVNULL
    )
    log = (home / "server.log").open("w")
    server = subprocess.Popen(
        [BIN / "gunicorn", "agritrace.wsgi", "-w", "2", "-b", f"127.0.0.1:{port}"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    live = Live(base=base, home=home, env=env, keep=keep)
    raised = True
    try:
        wait_for(f"{base}/healthz")
        yield live
        raised = False
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
        if raised or live.keep:
            print(f"server log: {home / 'server.log'}")
        else:
            shutil.rmtree(home, ignore_errors=True)

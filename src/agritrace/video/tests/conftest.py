"""Fixtures of the video tests: a real HLS server on loopback (ffmpeg-made MPEG-TS segments)
and a trap listener on a refused address that counts every connection it receives."""

from __future__ import annotations

import ipaddress
import socket
import threading

import pytest

from agritrace.video.hlsdemo import HlsServer


class Trap:
    """A TCP listener that accepts and counts connections (it must receive none)."""

    def __init__(self, host: str) -> None:
        self.sock = socket.create_server((host, 0))
        self.sock.settimeout(0.2)
        self.connections = 0
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    @property
    def address(self) -> str:
        host, port = self.sock.getsockname()[:2]
        return f"{host}:{port}"

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self.thread.join(timeout=2)
        self.sock.close()


@pytest.fixture(scope="session")
def trap():
    """A listener on 127.0.0.1 at a port the allow-list does not name."""
    listener = Trap("127.0.0.1")
    yield listener
    listener.close()


@pytest.fixture(scope="session")
def trap2():
    """A listener on 127.0.0.2 (another loopback address, never allowed)."""
    listener = Trap("127.0.0.2")
    yield listener
    listener.close()


@pytest.fixture(scope="session")
def hls_server(tmp_path_factory, trap):
    """The local live HLS source; its 'inside' links point at the trap."""
    server = HlsServer(tmp_path_factory.mktemp("hls"), inside=trap.address).start()
    yield server
    server.stop()


def allow(server: HlsServer) -> list:
    host, port = server.address.rsplit(":", 1)
    return [(ipaddress.ip_network(host), int(port))]


@pytest.fixture
def allowed(settings, hls_server):
    """The allow-list names exactly the test HLS server's address and port."""
    settings.AGRITRACE_VIDEO_ALLOWED_ADDRESSES = allow(hls_server)
    return hls_server

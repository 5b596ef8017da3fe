"""A local live HLS source for the demo and the tests: real MPEG-TS segments made once with
ffmpeg (H.264 constrained baseline, 320×240, 15 fps, 2-second segments, no audio) and a live
playlist computed from the wall clock, so the media sequence advances by one every segment
duration. The segments loop, with ``EXT-X-DISCONTINUITY`` where they wrap.

:class:`HlsServer` serves it on loopback in a thread with scenarios for the prober's tests;
``agritrace.video.views.demo_stream`` serves the same playlist through Django for the demo.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import m3u8

SEGMENT_SECONDS = 2
SEGMENT_COUNT = 4
WINDOW = 4
SOURCE = "source.m3u8"


@dataclass(frozen=True)
class Segment:
    """One pre-made segment file and its duration."""

    name: str
    duration: float


def make_segments(directory: Path) -> list[Segment]:
    """Make the looping segments in ``directory`` once (kept if already there)."""
    directory.mkdir(parents=True, exist_ok=True)
    source = directory / SOURCE
    if not source.exists():
        ffmpeg = shutil.which("ffmpeg")
        if ffmpeg is None:
            raise RuntimeError("ffmpeg is missing: run scripts/system-deps.sh")
        fps = 15
        subprocess.run(
            [
                ffmpeg,
                *("-hide_banner", "-loglevel", "error", "-y"),
                *("-f", "lavfi", "-i", f"testsrc=size=320x240:rate={fps}"),
                *("-t", str(SEGMENT_SECONDS * SEGMENT_COUNT)),
                *("-c:v", "libx264", "-profile:v", "baseline", "-level", "3.0"),
                *("-pix_fmt", "yuv420p", "-g", str(fps * SEGMENT_SECONDS)),
                *("-keyint_min", str(fps * SEGMENT_SECONDS), "-sc_threshold", "0"),
                *("-f", "hls", "-hls_time", str(SEGMENT_SECONDS), "-hls_list_size", "0"),
                *("-hls_segment_filename", str(directory / "seg%d.ts")),
                str(directory / "building.m3u8"),
            ],
            check=True,
            timeout=120,
        )
        (directory / "building.m3u8").rename(source)
    playlist = m3u8.loads(source.read_text(encoding="utf-8"))
    return [Segment(name=s.uri, duration=float(s.duration)) for s in playlist.segments]


def live_playlist(
    segments: list[Segment],
    now: float,
    *,
    prefix: str = "",
    frozen_at: int | None = None,
    clock: bool = True,
    clock_offset: float = 0.0,
) -> str:
    """The live media playlist at Unix time ``now``: a window of :data:`WINDOW` segments ending
    at the one being "recorded" now (sequence ``now // duration``), or at ``frozen_at``.

    ``clock`` adds ``EXT-X-PROGRAM-DATE-TIME`` (shifted by ``clock_offset`` seconds)."""
    duration = SEGMENT_SECONDS
    count = len(segments)
    newest = frozen_at if frozen_at is not None else int(now // duration) - 1
    first = max(0, newest - WINDOW + 1)
    lines = [
        "#EXTM3U",
        "#EXT-X-VERSION:3",
        f"#EXT-X-TARGETDURATION:{duration}",
        f"#EXT-X-MEDIA-SEQUENCE:{first}",
        f"#EXT-X-DISCONTINUITY-SEQUENCE:{first // count}",
    ]
    for sequence in range(first, newest + 1):
        segment = segments[sequence % count]
        if sequence != first and sequence % count == 0:
            lines.append("#EXT-X-DISCONTINUITY")
        if clock:
            started = dt.datetime.fromtimestamp(sequence * duration + clock_offset, tz=dt.UTC)
            lines.append(f"#EXT-X-PROGRAM-DATE-TIME:{started.isoformat(timespec='milliseconds')}")
        lines.append(f"#EXTINF:{segment.duration:.3f},")
        lines.append(f"{prefix}{segment.name}")
    return "\n".join(lines) + "\n"


class HlsServer:
    """A real HTTP server on loopback serving scenario streams, in a daemon thread.

    Paths: ``/online/live.m3u8`` (advancing, with program date-time), ``/noclock/live.m3u8``
    (advancing, no date-time), ``/master.m3u8`` (master → ``/online``), ``/stalled/live.m3u8``
    (frozen sequence, date-time an hour old), ``/frozen/live.m3u8`` (frozen, no date-time),
    ``/vod/live.m3u8`` (ENDLIST), ``/html/live.m3u8`` (an HTML page), ``/garbage/live.m3u8``
    (random bytes), ``/slow/live.m3u8`` (segments served slower than real time),
    ``/missing/live.m3u8`` (segments 404), ``/inside/live.m3u8`` (segment URLs point at
    ``inside``), ``/inside-master.m3u8`` (a variant points at ``inside``),
    ``/redirect?code=302&to=URL`` (to itself without ``to``), ``/status/<code>/live.m3u8``,
    ``/big.m3u8`` (bigger than any cap).
    """

    def __init__(self, segment_dir: Path, *, host: str = "127.0.0.1", inside: str = "") -> None:
        self.segments = make_segments(segment_dir)
        self.segment_dir = segment_dir
        self.inside = inside
        self.started = time.time()
        self.requests: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                return

            def do_GET(self) -> None:
                server.requests.append(self.path)
                server.handle(self)

        self.httpd = ThreadingHTTPServer((host, 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def address(self) -> str:
        """``host:port`` of the server."""
        host, port = self.httpd.server_address[:2]
        return f"{host}:{port}"

    def url(self, path: str) -> str:
        """An absolute URL on this server."""
        return f"http://{self.address}{path}"

    def start(self) -> HlsServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def _send(
        self,
        handler: BaseHTTPRequestHandler,
        code: int,
        body: bytes,
        content_type: str = "application/vnd.apple.mpegurl",
        headers: dict[str, str] | None = None,
    ) -> None:
        handler.send_response(code)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        handler.send_header("Access-Control-Allow-Origin", "*")
        handler.send_header("Cache-Control", "no-cache")
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(body)

    def handle(self, handler: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(handler.path)
        path = parts.path
        now = time.time()
        frozen = int(self.started // SEGMENT_SECONDS) - 1
        scenario, _, name = path.strip("/").partition("/")
        playlists = {
            "online": {"prefix": "/segments/"},
            "noclock": {"prefix": "/segments/", "clock": False},
            "stalled": {"prefix": "/segments/", "frozen_at": frozen, "clock_offset": -3600},
            "frozen": {"prefix": "/segments/", "frozen_at": frozen, "clock": False},
            "slow": {"prefix": "/slow-segments/"},
            "missing": {"prefix": "/missing-segments/"},
            "inside": {"prefix": f"http://{self.inside}/segments/"},
        }
        if name == "live.m3u8" and scenario in playlists:
            text = live_playlist(self.segments, now, **playlists[scenario])  # type: ignore[arg-type]
            self._send(handler, 200, text.encode())
        elif path == "/vod/live.m3u8":
            text = live_playlist(self.segments, now, prefix="/segments/") + "#EXT-X-ENDLIST\n"
            self._send(handler, 200, text.encode())
        elif path in ("/master.m3u8", "/inside-master.m3u8"):
            low = "/online/live.m3u8"
            if path == "/inside-master.m3u8":
                low = f"http://{self.inside}/online/live.m3u8"
            text = (
                "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=900000,RESOLUTION=1280x720\n/hd/live.m3u8\n"
                f"#EXT-X-STREAM-INF:BANDWIDTH=150000,RESOLUTION=320x240\n{low}\n"
            )
            self._send(handler, 200, text.encode())
        elif path == "/html/live.m3u8":
            self._send(handler, 200, b"<!doctype html><title>login</title>", "text/html")
        elif path == "/garbage/live.m3u8":
            self._send(handler, 200, bytes(range(256)) * 8, "application/octet-stream")
        elif path == "/big.m3u8":
            self._send(handler, 200, b"#EXTM3U\n" + b"#" * (2 * 1024 * 1024))
        elif path == "/redirect":
            query = parse_qs(parts.query)
            code = int(query.get("code", ["302"])[0])
            self._send(
                handler, code, b"", "text/plain", {"Location": query.get("to", [handler.path])[0]}
            )
        elif scenario == "status":
            self._send(handler, int(name.split("/")[0]), b"error", "text/plain")
        elif scenario in ("segments", "slow-segments") and (self.segment_dir / name).is_file():
            body = (self.segment_dir / name).read_bytes()
            if scenario == "segments":
                self._send(handler, 200, body, "video/mp2t")
                return
            self._send_slowly(handler, body)
        else:
            self._send(handler, 404, b"not found", "text/plain")

    def _send_slowly(self, handler: BaseHTTPRequestHandler, body: bytes) -> None:
        """Send a segment over 1.5 × its duration (slower than real time)."""
        handler.send_response(200)
        handler.send_header("Content-Type", "video/mp2t")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        pieces = 15
        step = -(-len(body) // pieces)
        for start in range(0, len(body), step):
            handler.wfile.write(body[start : start + step])
            handler.wfile.flush()
            time.sleep(SEGMENT_SECONDS * 1.5 / pieces)

"""A local live HLS source for the demo and the tests: real MPEG-TS segments made once with
ffmpeg (H.264 constrained baseline, 320×240, 15 fps, 2-second segments, no audio) and a live
playlist computed from the wall clock, so the media sequence advances by one every segment
duration. The segments loop; their timestamps are shifted as they are served so that the timeline is
continuous (players then need no discontinuity handling).

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
    Segment ``n`` is served as ``<prefix><n>.ts`` (see :func:`segment_bytes`).

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
    ]
    for sequence in range(first, newest + 1):
        segment = segments[sequence % count]
        if clock:
            started = dt.datetime.fromtimestamp(sequence * duration + clock_offset, tz=dt.UTC)
            lines.append(f"#EXT-X-PROGRAM-DATE-TIME:{started.isoformat(timespec='milliseconds')}")
        lines.append(f"#EXTINF:{segment.duration:.3f},")
        lines.append(f"{prefix}{sequence}.ts")
    return "\n".join(lines) + "\n"


PTS_WRAP = 1 << 33


def _read_ts(data: bytearray, at: int) -> int:
    return (
        ((data[at] >> 1) & 7) << 30
        | data[at + 1] << 22
        | (data[at + 2] >> 1) << 15
        | data[at + 3] << 7
        | data[at + 4] >> 1
    )


def _write_ts(data: bytearray, at: int, value: int) -> None:
    data[at] = (data[at] & 0xF0) | ((value >> 30) & 7) << 1 | 1
    data[at + 1] = (value >> 22) & 0xFF
    data[at + 2] = ((value >> 15) & 0x7F) << 1 | 1
    data[at + 3] = (value >> 7) & 0xFF
    data[at + 4] = (value & 0x7F) << 1 | 1


def shift_timestamps(data: bytes, ticks: int) -> bytes:
    """MPEG-TS with every PCR, PTS and DTS moved ``ticks`` (90 kHz) later, so that looped
    segments form one continuous timeline (no discontinuity for the player to handle)."""
    out = bytearray(data)
    for start in range(0, len(out) - 187, 188):
        packet = start
        if out[packet] != 0x47:
            continue
        control = (out[packet + 3] >> 4) & 3
        payload = packet + 4
        if control & 2:
            length = out[packet + 4]
            if length and out[packet + 5] & 0x10:  # PCR
                at = packet + 6
                base = (
                    out[at] << 25 | out[at + 1] << 17 | out[at + 2] << 9 | out[at + 3] << 1
                ) | out[at + 4] >> 7
                base = (base + ticks) % PTS_WRAP
                out[at : at + 4] = bytes(
                    [
                        (base >> 25) & 0xFF,
                        (base >> 17) & 0xFF,
                        (base >> 9) & 0xFF,
                        (base >> 1) & 0xFF,
                    ]
                )
                out[at + 4] = (base & 1) << 7 | (out[at + 4] & 0x7F)
            payload = packet + 5 + length
        starts_unit = out[packet + 1] & 0x40
        if not (control & 1 and starts_unit) or payload + 14 > packet + 188:
            continue
        if out[payload : payload + 3] != b"\x00\x00\x01" or out[payload + 3] < 0xBC:
            continue
        flags = out[payload + 7] >> 6
        if flags & 2:
            _write_ts(out, payload + 9, (_read_ts(out, payload + 9) + ticks) % PTS_WRAP)
        if flags == 3 and payload + 19 <= packet + 188:
            _write_ts(out, payload + 14, (_read_ts(out, payload + 14) + ticks) % PTS_WRAP)
    return bytes(out)


def segment_bytes(directory: Path, segments: list[Segment], sequence: int) -> bytes:
    """The bytes of live segment ``sequence``: file ``sequence % count`` with its timestamps
    moved by the loops played before it."""
    loop, index = divmod(sequence, len(segments))
    total = sum(segment.duration for segment in segments)
    data = (directory / segments[index].name).read_bytes()
    return shift_timestamps(data, round(loop * total * 90_000) % PTS_WRAP)


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
        elif scenario in ("segments", "slow-segments") and name[:-3].isdigit():
            body = segment_bytes(self.segment_dir, self.segments, int(name[:-3]))
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

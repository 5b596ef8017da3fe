"""The prober against a real live HLS server on loopback: online, stalled, offline, invalid,
slow, with real MPEG-TS segments made by ffmpeg."""

from __future__ import annotations

import ipaddress
import socket
import time

from agritrace.video import hlsdemo, prober
from agritrace.video.choices import ProbeStatus


def probe(server, path, previous=None):
    return prober.probe_url(server.url(path), previous_sequence=previous)


def test_segments_are_real_mpeg_ts(hls_server):
    data = (hls_server.segment_dir / hls_server.segments[0].name).read_bytes()
    assert data[0] == 0x47 and data[188] == 0x47  # TS sync bytes every 188 bytes
    assert [s.duration for s in hls_server.segments] == [2.0] * hlsdemo.SEGMENT_COUNT


def test_live_playlist_advances_with_the_clock(hls_server):
    segments = hls_server.segments
    first = hlsdemo.live_playlist(segments, 1_000_000.0)
    later = hlsdemo.live_playlist(segments, 1_000_000.0 + 2 * hlsdemo.SEGMENT_SECONDS)
    assert "#EXT-X-MEDIA-SEQUENCE:499996" in first
    assert "#EXT-X-MEDIA-SEQUENCE:499998" in later
    assert later.rstrip().endswith("500001.ts")


def test_looped_segments_keep_a_continuous_timeline(hls_server):
    """Segment n of the second loop starts where the first loop's last one ended + the loop."""
    segments, directory = hls_server.segments, hls_server.segment_dir
    first = hlsdemo.segment_bytes(directory, segments, 0)
    again = hlsdemo.segment_bytes(directory, segments, len(segments))
    assert first == (directory / segments[0].name).read_bytes()

    def first_pts(data):
        for start in range(0, len(data), 188):
            packet = data[start : start + 188]
            if packet[1] & 0x40 and (packet[3] >> 4) & 1:
                payload = 4 + (packet[4] + 1 if (packet[3] >> 4) & 2 else 0)
                if packet[payload : payload + 3] == b"\x00\x00\x01" and packet[payload + 3] >= 0xE0:
                    return hlsdemo._read_ts(bytearray(packet), payload + 9)
        raise AssertionError("no video PES")

    loop = round(sum(s.duration for s in segments) * 90_000)
    assert first_pts(again) - first_pts(first) == loop


def test_online_stream_with_program_date_time(allowed):
    outcome = probe(allowed, "/online/live.m3u8")
    assert outcome.status == ProbeStatus.ONLINE, outcome
    assert outcome.segment_age is not None and outcome.segment_age < 10
    assert outcome.smooth is True and outcome.download_seconds < outcome.segment_duration == 2.0


def test_master_playlist_is_followed_to_the_lowest_bandwidth(allowed):
    outcome = probe(allowed, "/master.m3u8")
    assert outcome.status == ProbeStatus.ONLINE, outcome
    assert outcome.playlist_url.endswith("/online/live.m3u8")


def test_without_clock_first_probe_online_then_judged_by_the_sequence(allowed):
    first = probe(allowed, "/noclock/live.m3u8")
    assert first.status == ProbeStatus.ONLINE and first.segment_age is None
    # the same sequence again is not evidence of life
    assert probe(allowed, "/noclock/live.m3u8", first.media_sequence + 0).status in (
        ProbeStatus.STALLED,
        ProbeStatus.ONLINE,  # unless a segment boundary passed in between
    )
    time.sleep(hlsdemo.SEGMENT_SECONDS + 0.1)
    later = probe(allowed, "/noclock/live.m3u8", first.media_sequence)
    assert later.status == ProbeStatus.ONLINE and later.media_sequence > first.media_sequence


def test_frozen_sequence_is_stalled(allowed):
    first = probe(allowed, "/frozen/live.m3u8")
    assert first.status == ProbeStatus.ONLINE  # first sight, no clock: reachable live playlist
    again = probe(allowed, "/frozen/live.m3u8", first.media_sequence)
    assert again.status == ProbeStatus.STALLED and again.media_sequence == first.media_sequence


def test_stale_program_date_time_is_stalled_even_on_first_probe(allowed):
    outcome = probe(allowed, "/stalled/live.m3u8")
    assert outcome.status == ProbeStatus.STALLED and outcome.segment_age > 3000


def test_finished_vod_playlist_is_not_live(allowed):
    outcome = probe(allowed, "/vod/live.m3u8")
    assert outcome.status == ProbeStatus.STALLED and "ENDLIST" in outcome.error


def test_html_and_garbage_are_invalid(allowed):
    for path in ("/html/live.m3u8", "/garbage/live.m3u8"):
        outcome = probe(allowed, path)
        assert outcome.status == ProbeStatus.INVALID, (path, outcome)


def test_http_errors_and_missing_segments_are_offline(allowed):
    for path in (
        "/status/404/live.m3u8",
        "/status/500/live.m3u8",
        "/status/503/live.m3u8",
        "/missing/live.m3u8",
    ):
        outcome = probe(allowed, path)
        assert outcome.status == ProbeStatus.OFFLINE, (path, outcome)


def test_oversized_playlist_is_offline(allowed):
    outcome = probe(allowed, "/big.m3u8")
    assert outcome.status == ProbeStatus.OFFLINE and "字节" in outcome.error


def test_server_down_is_offline(settings, tmp_path, hls_server):
    from agritrace.video.tests.conftest import allow

    server = hlsdemo.HlsServer(hls_server.segment_dir).start()
    url = server.url("/online/live.m3u8")
    settings.AGRITRACE_VIDEO_ALLOWED_ADDRESSES = allow(server)
    assert prober.probe_url(url, previous_sequence=None).status == ProbeStatus.ONLINE
    server.stop()
    outcome = prober.probe_url(url, previous_sequence=None)
    assert outcome.status == ProbeStatus.OFFLINE and "连接失败" in outcome.error


def test_silent_server_times_out_as_offline(settings, monkeypatch):
    import httpx

    from agritrace.video import safefetch

    listener = socket.create_server(("127.0.0.1", 0))  # accepts (backlog) but never answers
    host, port = listener.getsockname()
    settings.AGRITRACE_VIDEO_ALLOWED_ADDRESSES = [(ipaddress.ip_network(host), port)]
    monkeypatch.setattr(safefetch, "TIMEOUT", httpx.Timeout(1.0))
    started = time.monotonic()
    outcome = prober.probe_url(f"http://{host}:{port}/live.m3u8", previous_sequence=None)
    listener.close()
    assert outcome.status == ProbeStatus.OFFLINE and "超时" in outcome.error
    assert time.monotonic() - started < 5


def test_slow_segment_is_online_but_not_smooth(allowed):
    outcome = probe(allowed, "/slow/live.m3u8")
    assert outcome.status == ProbeStatus.ONLINE
    assert outcome.smooth is False
    assert outcome.download_seconds > outcome.segment_duration

"""The demo cameras follow the public base URL (issue 11, point 4): a run on another port moves
the demo cameras stored by an earlier run to the current address, and leaves a source the user
changed alone."""

from __future__ import annotations

import shutil

from agritrace.core.demodata import DemoContext
from agritrace.video import demo as video_demo
from agritrace.video.models import Camera


def test_demo_cameras_of_an_earlier_run_move_to_the_current_address(
    world, settings, tmp_path, hls_server
):
    settings.MEDIA_ROOT = tmp_path
    shutil.copytree(hls_server.segment_dir, tmp_path / "video-demo")  # no ffmpeg run here
    settings.PUBLIC_BASE_URL = "http://127.0.0.1:8000"
    video_demo.load(DemoContext())
    cameras = Camera.objects.order_by("pk")
    assert cameras and all(c.hls_url.startswith("http://127.0.0.1:8000/video/") for c in cameras)
    edited = cameras[0]
    edited.hls_url = "http://1.1.1.1/live.m3u8"
    edited.save()
    settings.PUBLIC_BASE_URL = "http://127.0.0.1:8765"
    ctx = DemoContext()
    video_demo.load(ctx)
    moved = Camera.objects.exclude(pk=edited.pk)
    assert all(c.hls_url.startswith("http://127.0.0.1:8765/video/demo-stream/") for c in moved)
    assert {c.hls_url.rsplit("/", 1)[1] for c in moved} == {"live.m3u8", "missing.m3u8"}
    assert Camera.objects.get(pk=edited.pk).hls_url == "http://1.1.1.1/live.m3u8"
    assert ctx.counts["camera sources moved to this address"] == moved.count()
    assert ctx.counts["摄像头"] == 0

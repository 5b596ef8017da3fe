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


def test_the_demo_county_wall_shows_the_demo_cameras(world, settings, tmp_path, hls_server):
    """The demo county's officer found an empty wall: the cameras went to the first twelve
    demo producers by id, all in the first pilot county. They go to the demo county's producers
    first (where the demo's accounts work), then to one producer of a few other counties."""
    from agritrace.producers.demo import demo_uscc
    from agritrace.producers.models import Producer

    settings.MEDIA_ROOT = tmp_path
    shutil.copytree(hls_server.segment_dir, tmp_path / "video-demo")
    settings.PUBLIC_BASE_URL = "http://127.0.0.1:8000"
    # The demo county's demo producer is registered after a dozen in another county.
    Producer.objects.filter(township__parent=world.regions["county_a"]).update(name="主体A")
    for serial in range(1, 13):
        Producer.objects.create(
            kind="cooperative",
            name=f"西渡{video_demo.MARK}合作社{serial}",
            uscc=demo_uscc("93", "430421", serial),
            legal_representative="示例负责人",
            township=world.regions["B"],
        )
    home = Producer.objects.create(
        kind="cooperative",
        name=f"东坪{video_demo.MARK}合作社",
        uscc=demo_uscc("93", "430923", 99),
        legal_representative="示例负责人",
        township=world.regions["A"],
    )
    video_demo.load(DemoContext())
    assert Camera.objects.filter(producer=home).exists()
    page = world.client("county_a").get("/video/wall/").content.decode()
    assert "没有符合条件的摄像头" not in page
    assert home.name in page
    # the province's wall spans counties
    counties = set(Camera.objects.values_list("producer__township__parent", flat=True))
    assert counties == {world.regions["county_a"].pk, world.regions["county_b"].pk}

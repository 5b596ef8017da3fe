"""The video wall in real Chromium plays the local live test stream: the <video>'s currentTime
advances, through the browser's native HLS and through the vendored hls.js (H.264 baseline in
MPEG-TS, which Debian's Chromium decodes: checked with MediaSource.isTypeSupported)."""

from __future__ import annotations

import pytest

from agritrace.video.models import Camera

pytestmark = pytest.mark.browser


def sign_in(page, live_server, world):
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "p_county_a")
    page.fill("input[name=password]", "correct-horse-battery-9")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/**")


@pytest.mark.parametrize("engine", ["native", "hlsjs"])
def test_wall_plays_the_local_stream(
    transactional_db, world, hls_server, live_server, page, engine
):
    Camera.objects.create(
        producer=world.producers["A"],
        name="示例核心基地",
        point_type="core_base",
        hls_url=hls_server.url("/online/live.m3u8"),
    )
    Camera.objects.create(
        producer=world.producers["B"],
        name="示例他县摄像头",
        point_type="lab",
        hls_url=hls_server.url("/online/live.m3u8"),
    )
    supported = page.evaluate(
        "() => MediaSource.isTypeSupported('video/mp4; codecs=\"avc1.42E01E\"')"
    )
    assert supported, "this Chromium cannot decode H.264: re-encode the test stream"
    sign_in(page, live_server, world)
    suffix = "?player=hlsjs" if engine == "hlsjs" else ""
    page.goto(f"{live_server.url}/video/wall/{suffix}")
    players = page.locator("[data-testid=player]")
    assert players.count() == 1  # county A's regulator does not see county B's camera
    page.wait_for_function(
        "() => { const v = document.querySelector('[data-testid=player] video');"
        " return v && v.currentTime > 1.5; }",
        timeout=30_000,
    )
    first = page.evaluate("() => document.querySelector('[data-testid=player] video').currentTime")
    page.wait_for_timeout(1500)
    later = page.evaluate("() => document.querySelector('[data-testid=player] video').currentTime")
    assert later > first
    box = page.locator("[data-testid=player]").first
    assert box.get_attribute("data-state") == "playing"
    expected = (
        "hls.js"
        if engine == "hlsjs"
        else page.evaluate(
            "() => document.createElement('video').canPlayType('application/vnd.apple.mpegurl')"
            " ? 'native' : 'hls.js'"
        )
    )
    assert box.get_attribute("data-engine") == expected
    hls_loaded = page.evaluate("() => typeof window.Hls !== 'undefined'")
    assert hls_loaded == (expected == "hls.js")
    # stop playback so that the fixture's full-page screenshot does not wait on a live stream
    page.evaluate(
        "() => document.querySelectorAll('.agritrace-player').forEach(b => {"
        " if (b.agritraceHls) b.agritraceHls.destroy(); b.querySelector('video').pause(); })"
    )

"""Issue 11, point 5: camera URLs are checked with the SSRF rules when they are entered (API,
form, the model's ``full_clean`` that imports and the admin use), stored ones that fail are
marked invalid by a data migration; and a probe's figures have bounds (hostile playlists)."""

from __future__ import annotations

import importlib
import ipaddress
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from agritrace.public.card import video_context
from agritrace.video.choices import ProbeStatus, ProbeTrigger
from agritrace.video.models import Camera, Probe

INTERNAL = [
    "http://127.0.0.1:8000/video/demo-stream/live.m3u8",
    "http://localhost/live.m3u8",
    "http://169.254.169.254/latest/live.m3u8",
    "http://10.1.2.3/live.m3u8",
    "http://[::1]/live.m3u8",
    "http://[::ffff:192.168.1.1]/live.m3u8",
    "http://2130706433/live.m3u8",  # 127.0.0.1 written as a decimal number
    "http://100.64.0.1/live.m3u8",
]


def body(url: str) -> dict:
    return {"name": "示例检测室", "point_type": "lab", "hls_url": url}


@pytest.mark.parametrize("url", INTERNAL)
def test_api_refuses_internal_addresses_when_entered(world, url):
    response = world.api("producer_a").post("/api/v1/cameras/", body(url), format="json")
    assert response.status_code == 400
    assert "不允许访问内部或保留地址" in str(response.json()["hls_url"])
    assert not Camera.objects.exists()


def test_edit_form_and_full_clean_refuse_them_too(world):
    camera = Camera.objects.create(
        producer=world.producers["A"], name="示例A检测室", point_type="lab",
        hls_url="http://1.1.1.1/live.m3u8",
    )  # fmt: skip
    patch = world.api("producer_a").patch(
        f"/api/v1/cameras/{camera.pk}/", {"hls_url": INTERNAL[2]}, format="json"
    )
    assert patch.status_code == 400 and "hls_url" in patch.json()
    page = world.client("producer_a").post(
        reverse("video:camera_add"), body(INTERNAL[0]) | {"producer": world.producers["A"].pk}
    )
    assert page.status_code == 200 and "不允许访问内部或保留地址" in page.content.decode()
    camera.hls_url = INTERNAL[3]
    with pytest.raises(ValidationError, match="不允许访问内部或保留地址"):
        camera.full_clean()
    camera.refresh_from_db()
    assert Camera.objects.count() == 1 and camera.hls_url == "http://1.1.1.1/live.m3u8"


def test_english_ui_gets_the_reason_in_english(world, settings):
    api = world.api("producer_a")
    api.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = api.post("/api/v1/cameras/", body(INTERNAL[2]), format="json")
    assert response.status_code == 400
    assert "internal or reserved addresses" in str(response.json()["hls_url"])


def test_public_allowed_and_unresolvable_sources_are_accepted(world, settings):
    settings.AGRITRACE_VIDEO_ALLOWED_ADDRESSES = [(ipaddress.ip_network("10.1.2.3"), 80)]
    api = world.api("producer_a")
    for n, url in enumerate(
        [
            "http://1.1.1.1/live.m3u8",  # public
            INTERNAL[3],  # named by the allow-list, with its port
            "https://cam.invalid/live.m3u8",  # does not resolve now: the probe says offline
        ]
    ):
        response = api.post("/api/v1/cameras/", body(url) | {"name": f"示例{n}"}, format="json")
        assert response.status_code == 201, response.json()
    refused = api.post("/api/v1/cameras/", body("http://10.1.2.3:81/live.m3u8"), format="json")
    assert refused.status_code == 400  # the allow-list names port 80 only


def test_data_migration_marks_stored_internal_sources_invalid(world, settings):
    settings.AGRITRACE_VIDEO_ALLOWED_ADDRESSES = [(ipaddress.ip_network("127.0.0.1"), 8765)]
    producer = world.producers["A"]
    stored = Camera.objects.bulk_create(  # as entered before the check existed
        Camera(producer=producer, name=f"示例{n}", point_type="lab", hls_url=url)
        for n, url in enumerate(
            [
                INTERNAL[0],
                INTERNAL[2],
                "http://1.1.1.1/live.m3u8",
                "http://127.0.0.1:8765/video/demo-stream/live.m3u8",
            ]
        )
    )
    Probe.objects.bulk_create(
        Probe(camera=c, status=ProbeStatus.ONLINE, trigger=ProbeTrigger.DEMO) for c in stored
    )
    shown = [c.pk for c in video_context(producer)["cameras"]]  # the card shows at most 3
    assert shown == [c.pk for c in stored[:3]]
    migration = importlib.import_module("agritrace.video.migrations.0003_mark_refused_camera_urls")
    migration.mark_refused(apps, None)
    marked = Probe.objects.filter(trigger=ProbeTrigger.URL_CHECK)
    assert sorted(p.camera.hls_url for p in marked) == sorted(INTERNAL[:3:2])
    assert all(p.status == ProbeStatus.INVALID and "内部或保留地址" in p.error for p in marked)
    latest = dict(Camera.objects.with_latest_probe().values_list("pk", "latest_status"))
    assert [latest[c.pk] for c in stored] == ["invalid", "invalid", "online", "online"]
    assert [c.pk for c in video_context(producer)["cameras"]] == [stored[2].pk, stored[3].pk]
    assert Camera.objects.count() == 4  # nothing deleted, nothing rewritten


class Playlist(BaseHTTPRequestHandler):
    """Serves ``self.server.body`` (a hostile playlist) for every path."""

    def log_message(self, format: str, *args: object) -> None:
        return

    def do_GET(self) -> None:
        body = self.server.body  # type: ignore[attr-defined]
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def hostile(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), Playlist)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    host, port = server.server_address[:2]
    settings.AGRITRACE_VIDEO_ALLOWED_ADDRESSES = [(ipaddress.ip_network(host), port)]
    yield server, f"http://{host}:{port}/live.m3u8"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(
    ("playlist", "field"),
    [
        ("#EXT-X-MEDIA-SEQUENCE:18446744073709551615\n#EXTINF:2.0,\n", "媒体序号"),
        ("#EXT-X-MEDIA-SEQUENCE:7\n#EXTINF:nan,\n", "分片时长"),
        ("#EXT-X-MEDIA-SEQUENCE:7\n#EXTINF:86400,\n", "分片时长"),
        ("#EXT-X-TARGETDURATION:99999999999999999999\n#EXTINF:2,\n", "目标分片时长"),
        ("#EXT-X-PROGRAM-DATE-TIME:1900-01-01T00:00:00Z\n#EXTINF:2,\n", "最新分片距今"),
    ],
)
def test_out_of_bounds_playlist_is_an_invalid_probe_not_a_500(world, hostile, playlist, field):
    server, url = hostile
    server.body = f"#EXTM3U\n{playlist}seg1.ts\n".encode()
    camera = Camera.objects.create(
        producer=world.producers["A"], name="示例A", point_type="lab", hls_url=url
    )
    response = world.api("county_a").post(f"/api/v1/cameras/{camera.pk}/probe/")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "invalid" and field in response.json()["error"]
    probe = camera.probes.get()
    assert probe.media_sequence is None and probe.segment_duration is None
    detail = world.client("county_a").get(reverse("video:camera_detail", args=[camera.pk]))
    assert detail.status_code == 200


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("media_sequence", -1),
        ("media_sequence", 2**63),
        ("target_duration", float("nan")),
        ("segment_duration", float("inf")),
        ("download_seconds", -0.5),
        ("download_seconds", 1e9),
        ("segment_age", float("-inf")),
        ("segment_age", 1e12),
    ],
)
def test_probe_figures_have_bounds(world, field, value):
    camera = Camera(producer=world.producers["A"], name="示例", point_type="lab")
    probe = Probe(camera=camera, status=ProbeStatus.ONLINE, **{field: value})
    with pytest.raises(ValidationError) as raised:
        probe.clean_fields(exclude=["camera"])
    assert set(raised.value.message_dict) == {field}

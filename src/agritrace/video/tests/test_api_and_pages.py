"""The API (field-level 400s, probe action, rates, scoring) and the pages (wall, rates, scoring,
producer video page, demo stream)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from agritrace.video.choices import ProbeStatus, ProbeTrigger
from agritrace.video.models import Camera, Probe


def make(world, place, url="https://v.example.com/live.m3u8", **fields):
    return Camera.objects.create(
        producer=world.producers[place],
        name=fields.pop("name", f"示例{place}检测室"),
        point_type=fields.pop("point_type", "lab"),
        hls_url=url,
        **fields,
    )


def test_bad_input_gives_field_level_400_and_saves_nothing(world):
    client = world.api("producer_a")
    body = {"name": "示例", "point_type": "lab", "hls_url": "rtmp://cam.example.com/live"}
    response = client.post("/api/v1/cameras/", body, format="json")
    assert response.status_code == 400 and "hls_url" in response.json()
    body |= {"hls_url": "https://cam.example.com/live.m3u8", "point_type": "kitchen"}
    response = client.post("/api/v1/cameras/", body, format="json")
    assert response.status_code == 400 and "point_type" in response.json()
    assert not Camera.objects.exists()


def test_limit_is_a_400_through_the_api(world, settings):
    settings.AGRITRACE_VIDEO_CAMERA_LIMIT = 1
    make(world, "A")
    body = {"name": "示例二", "point_type": "lab", "hls_url": "https://cam.example.com/2.m3u8"}
    response = world.api("producer_a").post("/api/v1/cameras/", body, format="json")
    assert response.status_code == 400
    assert "最多启用 1 个摄像头" in str(response.json()["active"])


def test_probe_action_and_probe_history(world, allowed):
    cam = make(world, "A", allowed.url("/online/live.m3u8"))
    response = world.api("county_a").post(f"/api/v1/cameras/{cam.pk}/probe/")
    assert response.status_code == 200 and response.json()["status"] == "online"
    assert response.json()["ratio"] < 1
    assert world.api("producer_b").post(f"/api/v1/cameras/{cam.pk}/probe/").status_code == 404
    assert world.api("anonymous").post(f"/api/v1/cameras/{cam.pk}/probe/").status_code in (401, 403)
    history = world.api("producer_a").get(f"/api/v1/cameras/{cam.pk}/probes/").json()
    assert [row["status"] for row in history["results"]] == ["online"]
    listed = world.api("producer_a").get("/api/v1/cameras/").json()["results"]
    assert listed[0]["latest_status"] == "online"
    assert Probe.objects.count() == 1


def test_online_rates_and_scoring_api(world):
    a, b = make(world, "A"), make(world, "B")
    now = timezone.now()
    Probe.objects.bulk_create(
        [
            Probe(
                camera=a,
                time=now - dt.timedelta(hours=1),
                status=ProbeStatus.ONLINE,
                trigger=ProbeTrigger.DEMO,
                smooth=True,
            ),
            Probe(
                camera=a,
                time=now - dt.timedelta(hours=2),
                status=ProbeStatus.OFFLINE,
                trigger=ProbeTrigger.DEMO,
            ),
            Probe(
                camera=b,
                time=now - dt.timedelta(hours=1),
                status=ProbeStatus.ONLINE,
                trigger=ProbeTrigger.DEMO,
            ),
        ]
    )
    rates = world.api("province").get("/api/v1/cameras/online-rates/").json()
    assert {r["label"]: r["rate"] for r in rates} == {"安化县": 0.5, "衡阳县": 1.0}
    rates = world.api("county_b").get("/api/v1/cameras/online-rates/?group=producer").json()
    assert [r["label"] for r in rates] == [world.producers["B"].name]
    bad = world.api("province").get("/api/v1/cameras/online-rates/?days=0&group=x")
    assert bad.status_code == 400 and {"days", "group"} <= set(bad.json())
    scoring = world.api("producer_a").get("/api/v1/cameras/scoring/").json()
    assert len(scoring) == 1 and scoring[0]["producer_id"] == world.producers["A"].pk
    assert scoring[0]["point_score"] == 5 and scoring[0]["data_connected"] is True
    assert scoring[0]["total"] == 15
    other = world.api("producer_a").get(
        f"/api/v1/cameras/scoring/?producer={world.producers['B'].pk}"
    )
    assert other.json() == []


def test_pages_render_in_scope(world, allowed):
    a = make(world, "A", allowed.url("/online/live.m3u8"))
    b = make(world, "B", name="示例B加工车间", point_type="workshop")
    county = world.client("county_a")
    wall = county.get(reverse("video:wall")).content.decode()
    assert a.name in wall and b.name not in wall and "data-autoplay" in wall
    assert "vendor/hls/hls.light.min.js" in wall  # loaded lazily by player.js, not a <script>
    assert '<script src="/static/vendor/hls' not in wall
    filtered = county.get(reverse("video:wall"), {"point_type": "workshop"}).content.decode()
    assert a.name not in filtered
    assert county.post(reverse("video:camera_probe", args=[a.pk])).status_code == 302
    assert a.probes.get().status == ProbeStatus.ONLINE
    rates = county.get(reverse("video:rates")).content.decode()
    assert "安化县" in rates and "衡阳县" not in rates and "100.0%" in rates
    scoring = county.get(reverse("video:scoring")).content.decode()
    assert world.producers["A"].name in scoring and world.producers["B"].name not in scoring
    page = world.client("producer_a").get(reverse("video:producer", args=[world.producers["A"].pk]))
    assert page.status_code == 200 and a.name in page.content.decode()
    other = reverse("video:producer", args=[world.producers["B"].pk])
    assert world.client("producer_a").get(other).status_code == 404
    assert world.client("producer_a").get(reverse("video:home")).status_code == 302
    detail = county.get(reverse("video:camera_detail", args=[a.pk])).content.decode()
    assert "立即检测" in detail and "100.0%" in detail


def test_camera_with_probes_is_kept(world):
    cam = make(world, "A")
    Probe.objects.bulk_create([Probe(camera=cam, status=ProbeStatus.OFFLINE)])
    response = world.api("producer_a").delete(f"/api/v1/cameras/{cam.pk}/")
    assert response.status_code == 409 and Camera.objects.filter(pk=cam.pk).exists()


def test_demo_stream_view(client, settings, tmp_path, hls_server):
    import shutil

    settings.MEDIA_ROOT = tmp_path
    assert client.get("/video/demo-stream/live.m3u8").status_code == 404
    shutil.copytree(hls_server.segment_dir, tmp_path / "video-demo")
    playlist = client.get("/video/demo-stream/live.m3u8")
    assert playlist.status_code == 200 and playlist.content.startswith(b"#EXTM3U")
    segment = playlist.content.decode().strip().splitlines()[-1]
    response = client.get(f"/video/demo-stream/{segment}")
    assert response.status_code == 200 and response["Content-Type"] == "video/mp2t"
    assert client.get("/video/demo-stream/..%2Fsecret_key").status_code == 404

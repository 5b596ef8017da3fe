"""Stored probes, offline warnings, online rates per camera/producer/county, scoring evidence,
the per-producer camera limit and the HLS address rule."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from agritrace.alerts.models import Warning, WarningKind, WarningStatus
from agritrace.video import services
from agritrace.video.choices import ProbeStatus, ProbeTrigger
from agritrace.video.models import Camera, Probe


def camera(producer, url, point_type="lab", **fields):
    cam = Camera(
        producer=producer,
        name=fields.pop("name", f"示例{point_type}"),
        hls_url=url,
        point_type=point_type,
        **fields,
    )
    cam.full_clean()
    cam.save()
    return cam


def add_probes(cam, statuses, *, start=None, smooth=True):
    start = start or timezone.now() - dt.timedelta(days=1)
    Probe.objects.bulk_create(
        Probe(
            camera=cam,
            time=start + dt.timedelta(minutes=5 * i),
            status=s,
            trigger=ProbeTrigger.DEMO,
            smooth=smooth if s == ProbeStatus.ONLINE else None,
        )
        for i, s in enumerate(statuses)
    )


def test_probe_is_stored_and_never_edited(world, allowed):
    cam = camera(world.producers["A"], allowed.url("/online/live.m3u8"))
    probe = services.probe_camera(cam)
    assert probe.pk and probe.status == ProbeStatus.ONLINE and probe.smooth
    assert Probe.objects.filter(camera=cam).count() == 1
    with pytest.raises(TypeError):
        probe.save()
    with pytest.raises(TypeError):
        probe.delete()
    with pytest.raises(TypeError):
        Probe.objects.filter(pk=probe.pk).update(status=ProbeStatus.OFFLINE)
    with pytest.raises(TypeError):
        Probe.objects.all().delete()


def test_probe_all_uses_the_previous_sequence(world, allowed):
    frozen = camera(world.producers["A"], allowed.url("/frozen/live.m3u8"))
    live = camera(world.producers["B"], allowed.url("/online/live.m3u8"), point_type="workshop")
    camera(
        world.producers["B"], allowed.url("/status/500/live.m3u8"), active=False, name="示例停用"
    )
    assert services.probe_all() == {"online": 2, "stalled": 0, "offline": 0, "invalid": 0}
    counts = services.probe_all()
    assert counts["stalled"] == 1 and counts["online"] == 1
    assert frozen.probes.first().status == ProbeStatus.STALLED
    assert live.probes.count() == 2


def test_offline_warning_after_three_failures_and_closed_when_back(world, allowed, settings):
    cam = camera(world.producers["A"], allowed.url("/status/503/live.m3u8"))
    for _ in range(2):
        services.probe_camera(cam, trigger=ProbeTrigger.SCHEDULED)
    assert not Warning.objects.filter(kind=WarningKind.CAMERA_OFFLINE).exists()
    services.probe_camera(cam, trigger=ProbeTrigger.SCHEDULED)
    warning = Warning.objects.get(kind=WarningKind.CAMERA_OFFLINE, subject_id=str(cam.pk))
    assert warning.producer == world.producers["A"] and "HTTP 503" in warning.detail
    cam.hls_url = allowed.url("/online/live.m3u8")
    cam.save()
    services.probe_camera(cam)
    warning.refresh_from_db()
    assert warning.status == WarningStatus.CLOSED


def test_online_rates_per_camera_producer_and_county(world):
    a = camera(world.producers["A"], "https://v.example.com/a.m3u8")
    a2 = camera(world.producers["A2"], "https://v.example.com/a2.m3u8")
    b = camera(world.producers["B"], "https://v.example.com/b.m3u8")
    add_probes(a, [ProbeStatus.ONLINE] * 9 + [ProbeStatus.OFFLINE])  # 90 %
    add_probes(a2, [ProbeStatus.ONLINE] * 6 + [ProbeStatus.STALLED] * 4)  # 60 %
    add_probes(b, [ProbeStatus.ONLINE] * 4)
    add_probes(b, [ProbeStatus.OFFLINE] * 4, start=timezone.now() - dt.timedelta(days=20))
    since, until = services.period(7)
    everything = Camera.objects.all()
    per_camera = {r.key: r for r in services.online_rates(everything, since, until, "camera")}
    assert per_camera[a.pk].rate == 0.9 and per_camera[a.pk].meets_target
    assert per_camera[a2.pk].rate == 0.6 and per_camera[a2.pk].meets_target is False
    assert per_camera[b.pk].rate == 1.0  # the old offline probes are outside the period
    county = {r.label: r for r in services.online_rates(everything, since, until, "county")}
    assert county["安化县"].probes == 20 and county["安化县"].rate == 0.75
    assert county["衡阳县"].rate == 1.0
    month = services.online_rates(everything, *services.period(30), "producer")
    assert {r.label: r.percent for r in month}[world.producers["B"].name] == "50.0%"
    # the regulator of county B only sees county B's figures
    scoped = Camera.objects.restrict(world.users["county_b"], "view")
    figures = services.county_figures(
        scoped, services.counties_for(world.users["county_b"]), since, until
    )
    assert [(f.county.name, f.cameras, f.percent) for f in figures] == [("衡阳县", 1, "100.0%")]


def test_scoring_evidence(world):
    producer = world.producers["A"]
    base = camera(producer, "https://v.example.com/1.m3u8", "core_base")
    lab = camera(producer, "https://v.example.com/2.m3u8", "lab")
    store = camera(producer, "https://v.example.com/3.m3u8", "input_store")
    camera(producer, "https://v.example.com/4.m3u8", "other")
    add_probes(base, [ProbeStatus.ONLINE] * 5)
    add_probes(lab, [ProbeStatus.OFFLINE, ProbeStatus.ONLINE])
    add_probes(store, [ProbeStatus.ONLINE, ProbeStatus.OFFLINE])
    (evidence,) = services.scoring_evidence([producer], *services.period(7))
    online = {p.point_type: p.online for p in evidence.points}
    assert online == {"core_base": True, "lab": True, "input_store": False, "workshop": False}
    assert evidence.point_score == 10 and evidence.data_score == 5
    assert evidence.smooth_rate == 1.0 and evidence.smooth_score == 5
    assert evidence.total == 20
    (nothing,) = services.scoring_evidence([world.producers["B"]], *services.period(7))
    assert (nothing.total, nothing.data_connected, nothing.smooth_rate) == (0, False, None)


def test_four_online_points_score_at_most_fifteen(world):
    producer = world.producers["B"]
    for kind in ("core_base", "lab", "input_store", "workshop"):
        add_probes(
            camera(producer, f"https://v.example.com/{kind}.m3u8", kind),
            [ProbeStatus.ONLINE],
            smooth=False,
        )
    (evidence,) = services.scoring_evidence([producer], *services.period(7))
    assert evidence.points_online == 4 and evidence.point_score == 15
    assert evidence.smooth_score == 0 and evidence.total == 20


def test_camera_limit_per_producer(world, settings):
    settings.AGRITRACE_VIDEO_CAMERA_LIMIT = 2
    producer = world.producers["A"]
    camera(producer, "https://v.example.com/1.m3u8", name="示例一")
    camera(producer, "https://v.example.com/2.m3u8", name="示例二")
    with pytest.raises(ValidationError) as info:
        camera(producer, "https://v.example.com/3.m3u8", name="示例三")
    assert "最多启用 2 个摄像头" in str(info.value.message_dict["active"])
    camera(producer, "https://v.example.com/3.m3u8", name="示例停用", active=False)
    with pytest.raises(ValidationError):  # the save re-checks too
        Camera(
            producer=producer,
            name="示例四",
            point_type="lab",
            hls_url="https://v.example.com/4.m3u8",
        ).save()
    assert Camera.objects.filter(producer=producer).count() == 3


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("rtsp://cam.example.com/live.m3u8", "http"),
        ("https://cam.example.com/live.mp4", ".m3u8"),
        ("https://cam.example.com/", ".m3u8"),
        ("https://user:pw@cam.example.com/live.m3u8", "用户名"),
        ("https:///live.m3u8", "主机名"),
        ("javascript:alert(1)//x.m3u8", "http"),
        ("https://cam.example.com:99999/live.m3u8", "格式"),
    ],
)
def test_hls_url_rule(world, url, message):
    with pytest.raises(ValidationError) as info:
        camera(world.producers["A"], url)
    assert message in " ".join(info.value.message_dict["hls_url"])


def test_base_must_belong_to_the_producer(world):
    other = world.deps["B"]["base"]
    with pytest.raises(ValidationError) as info:
        camera(world.producers["A"], "https://v.example.com/x.m3u8", base=other)
    assert "base" in info.value.message_dict

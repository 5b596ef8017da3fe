"""Demo video: a local live stream served by the platform itself (``/video/demo-stream/``, made
once with ffmpeg), cameras at the quality-control points of some demo producers pointing at it
(one deliberately broken), and a week of demo probe history so the online-rate and scoring pages
have figures from the start. The demo's prober may fetch the platform's own address: the
``demo`` command adds it to ``AGRITRACE_VIDEO_ALLOWED_ADDRESSES`` (:func:`prepare`), before it
migrates, for its own process and the task worker it starts.

Both follow ``AGRITRACE_PUBLIC_BASE_URL`` (``agritrace demo --port N`` sets it): demo cameras
stored by an earlier run on another address are moved to the current one on the next run, so
their sources (shown on the ID card and probed) always point at the running demo."""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone

from agritrace.core.demodata import MARK, DemoContext
from agritrace.core.urls import public_url
from agritrace.producers.models import Producer
from agritrace.video import hlsdemo
from agritrace.video.choices import PointType, ProbeStatus, ProbeTrigger
from agritrace.video.models import Camera, Probe
from agritrace.video.safefetch import DEFAULT_PORTS
from agritrace.video.views import demo_dir

#: The county of the demo's county, township, grid and producer accounts (安化县, as in
#: ``accounts.demo`` and ``producers.demo``).
DEMO_COUNTY = "430923"
#: Demo producers with cameras (2 to 4 each).
PRODUCERS = 12
#: Of them, how many elsewhere than in the demo county (one per county, so that the province's
#: wall spans counties); the others are the demo county's, where the demo's accounts work.
ELSEWHERE = 4
#: The demo stream (served by :mod:`agritrace.video.views`) and a source that answers 404.
STREAM_PATH = "/video/demo-stream/"
STREAM_FILES = ("live.m3u8", "missing.m3u8")
HISTORY_DAYS = 7
POINTS = (PointType.CORE_BASE, PointType.LAB, PointType.INPUT_STORE, PointType.WORKSHOP)
NAMES = {
    PointType.CORE_BASE: "核心基地全景",
    PointType.LAB: "检测室",
    PointType.INPUT_STORE: "投入品仓库",
    PointType.WORKSHOP: "加工车间",
}


def prepare() -> None:
    """Let the demo's prober fetch the demo stream on the platform's own (loopback) address,
    and the demo's users enter it as a camera source."""
    parts = urlsplit(settings.PUBLIC_BASE_URL)
    try:
        network = ipaddress.ip_network(parts.hostname or "")
    except ValueError:
        return
    entry = (network, parts.port or DEFAULT_PORTS[parts.scheme])
    if entry not in settings.AGRITRACE_VIDEO_ALLOWED_ADDRESSES:
        settings.AGRITRACE_VIDEO_ALLOWED_ADDRESSES = [
            *settings.AGRITRACE_VIDEO_ALLOWED_ADDRESSES,
            entry,
        ]
    host = f"[{parts.hostname}]" if network.version == 6 else parts.hostname
    text = f"{host}:{entry[1]}"
    current = os.environ.get("AGRITRACE_VIDEO_ALLOWED_ADDRESSES", "")
    if text not in current.split(","):
        os.environ["AGRITRACE_VIDEO_ALLOWED_ADDRESSES"] = ",".join(filter(None, [current, text]))


def load(ctx: DemoContext) -> None:
    """Idempotent: cameras are keyed by producer and name; history only for new cameras; a demo
    camera whose source is the demo stream on another base URL gets the current one."""
    try:
        hlsdemo.make_segments(demo_dir())
    except (RuntimeError, OSError) as exc:
        print(f"demo video stream not made ({exc}); cameras will show as offline")
    stream, broken = (public_url(STREAM_PATH + name) for name in STREAM_FILES)
    now = timezone.now()
    for index, producer in enumerate(camera_producers()):
        points = POINTS[: 2 + index % 3]  # 2 to 4 of the scored point types
        for number, point in enumerate(points):
            name = f"{MARK}{NAMES[point]}"
            url = broken if (index, number) == (1, 1) else stream
            cam, created = Camera.objects.get_or_create(
                producer=producer,
                name=name,
                defaults={
                    "point_type": point,
                    "hls_url": url,
                    "location": f"{MARK}{NAMES[point]}门口",
                    "provider_note": f"{MARK}：平台自带的本地演示直播流",
                },
            )
            ctx.count("摄像头", int(created))
            if not created and cam.hls_url != url and demo_source(cam.hls_url):
                cam.hls_url = url
                cam.save(update_fields=["hls_url"])
                ctx.count("camera sources moved to this address", 1)
            if created:
                history(ctx, cam, now, reliability=0.6 if index % 5 == 4 else 0.97)


def camera_producers() -> list[Producer]:
    """The demo producers that get cameras: the demo county's first ones (its officers, station
    and producer accounts look at their own wall and video pages), then the first producer of
    a few other counties, ``PRODUCERS`` in all."""
    demo = Producer.objects.filter(name__contains=MARK).order_by("id")
    home = list(demo.filter(township__parent__code=DEMO_COUNTY)[: PRODUCERS - ELSEWHERE])
    others: dict[int, Producer] = {}
    for producer in demo.exclude(township__parent__code=DEMO_COUNTY).select_related("township"):
        others.setdefault(producer.township.parent_id, producer)
        if len(others) == PRODUCERS - len(home):
            break
    return home + list(others.values())


def demo_source(url: str) -> bool:
    """Whether ``url`` is the platform's demo stream (on whatever base URL): a source the user
    changed to something else is left alone."""
    return urlsplit(url).path.endswith(tuple(STREAM_PATH + name for name in STREAM_FILES))


def history(ctx: DemoContext, cam: Camera, now: dt.datetime, reliability: float) -> None:
    """A week of hourly demo probes (trigger "demo"), some cameras less reliable than others."""
    probes = []
    sequence = int(now.timestamp()) // hlsdemo.SEGMENT_SECONDS - HISTORY_DAYS * 24 * 1800
    for hour in range(HISTORY_DAYS * 24, 0, -1):
        sequence += 1800
        online = ctx.rng.random() < reliability
        seconds = round(ctx.rng.uniform(0.2, 2.4), 2) if online else None
        probes.append(
            Probe(
                camera=cam,
                time=now - dt.timedelta(hours=hour),
                trigger=ProbeTrigger.DEMO,
                status=ProbeStatus.ONLINE if online else ProbeStatus.OFFLINE,
                media_sequence=sequence if online else None,
                target_duration=hlsdemo.SEGMENT_SECONDS if online else None,
                segment_duration=hlsdemo.SEGMENT_SECONDS if online else None,
                download_seconds=seconds,
                smooth=(seconds < hlsdemo.SEGMENT_SECONDS) if seconds is not None else None,
                error="" if online else f"{MARK}：连接失败",
            )
        )
    Probe.objects.bulk_create(probes)
    ctx.count("视频检测记录", len(probes))

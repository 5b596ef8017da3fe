"""Video pages: camera CRUD, a producer's video page, the regulators' video wall, online rates
per county and the acceptance evidence (2021 notice Annex 2 "5G技术")."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.cache import never_cache

from agritrace.core import scoping
from agritrace.core.formats import parens
from agritrace.core.tables import Col
from agritrace.core.views import CrudViews, ScopedActionView, ScopedMixin
from agritrace.producers.models import Producer
from agritrace.video import forms, hlsdemo, services
from agritrace.video.choices import PointType, ProbeTrigger
from agritrace.video.filters import CameraFilter
from agritrace.video.models import Camera

WALL_SIZE = 16


class CameraViews(CrudViews):
    model = Camera
    form_class = forms.CameraForm
    filterset_class = CameraFilter
    detail_template = "video/camera_detail.html"
    columns = (
        Col(gettext_lazy("名称"), "name", link=True),
        Col(gettext_lazy("生产经营主体"), "producer.name"),
        Col(gettext_lazy("监控点类型"), "point_type"),
        Col(gettext_lazy("安装位置"), "location"),
        Col(gettext_lazy("启用"), "active"),
        Col(gettext_lazy("HLS 播放地址"), "hls_url"),
    )
    related = ("producer",)

    @staticmethod
    def detail_context(obj: Any) -> dict[str, Any]:
        since, until = services.period(services.DEFAULT_PERIOD_DAYS)
        month = services.period(30)
        cameras = Camera.objects.filter(pk=obj.pk)
        week_rate = next(iter(services.online_rates(cameras, since, until, "camera")), None)
        month_rate = next(iter(services.online_rates(cameras, *month, "camera")), None)
        probes = list(obj.probes.all()[:20])
        return {
            "probes": probes,
            "latest": probes[0] if probes else None,
            "week_rate": week_rate,
            "month_rate": month_rate,
            "target": int(services.ONLINE_TARGET * 100),
        }


def period_days(request: HttpRequest) -> int:
    """``?days=`` (1–366), default 7."""
    text = request.GET.get("days", "")
    return int(text) if text.isdigit() and 1 <= int(text) <= 366 else services.DEFAULT_PERIOD_DAYS


class ProbeNow(ScopedActionView):
    """Probe a camera now (anyone who sees it may ask); back to its page with the result."""

    model = Camera
    scope_action = "view"
    message_level = messages.INFO

    def get_queryset(self) -> Any:
        return super().get_queryset().select_related("producer")

    def act(self, camera: Camera, data: dict[str, Any]) -> str:
        probe = services.probe_camera(camera, trigger=ProbeTrigger.ON_DEMAND)
        text = _("检测结果：%(status)s") % {"status": probe.get_status_display()}
        return text + (parens(probe.error) if probe.error else "")


class Home(ScopedMixin, View):
    """The menu entry: producers see their own video page, regulators the wall."""

    model = Camera

    def get(self, request: HttpRequest) -> HttpResponse:
        if request.user.producer_id:
            return redirect("video:producer", pk=request.user.producer_id)
        return redirect("video:wall")


class ProducerVideo(ScopedMixin, View):
    """A producer's cameras with their players, online rate and acceptance evidence."""

    model = Producer

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        producer = get_object_or_404(self.get_queryset(), pk=pk)
        cameras = (
            Camera.objects.restrict(request.user, "view")
            .filter(producer=producer)
            .with_latest_probe()
        )
        since, until = services.period(period_days(request))
        rates = {r.key: r for r in services.online_rates(cameras, since, until, "camera")}
        (evidence,) = services.scoring_evidence([producer], since, until)
        return render(
            request,
            "video/producer_video.html",
            {
                "producer": producer,
                "cameras": [(camera, rates.get(camera.pk)) for camera in cameras],
                "evidence": evidence,
                "days": period_days(request),
                "can_add": scoping.may(request.user, Camera, "add")
                and scoping.in_scope(request.user, producer, "view"),
            },
        )


class Wall(ScopedMixin, View):
    """The regulators' video wall: up to 16 live streams per page, muted autoplay, status
    badges from the latest probe, filtered by county and point type, within the user's scope."""

    model = Camera

    def get(self, request: HttpRequest) -> HttpResponse:
        cameras = (
            Camera.objects.restrict(request.user, "view")
            .filter(active=True)
            .select_related("producer")
            .with_latest_probe()
            .order_by("producer__township__code", "producer__name", "point_type", "name")
        )
        filterset = CameraFilter(request.GET, queryset=cameras, request=request)
        page = Paginator(filterset.qs, WALL_SIZE).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        return render(
            request,
            "video/wall.html",
            {
                "page_obj": page,
                "counties": services.counties_for(request.user),
                "point_types": PointType.choices,
                "region": request.GET.get("region", ""),
                "point_type": request.GET.get("point_type", ""),
                "query": query.urlencode(),
            },
        )


class OnlineRates(ScopedMixin, View):
    """视频实时在线率 per county (and per producer) over a period, against the 80 % target."""

    model = Camera

    def get(self, request: HttpRequest) -> HttpResponse:
        days = period_days(request)
        since, until = services.period(days)
        cameras = Camera.objects.restrict(request.user, "view")
        figures = services.county_figures(
            cameras, services.counties_for(request.user), since, until
        )
        producers = services.online_rates(cameras, since, until, "producer")
        total = services.Rate(
            key=0,
            label=str(_("合计")),
            cameras=sum(f.cameras for f in figures),
            probes=sum(f.rate.probes for f in figures if f.rate),
            online=sum(f.rate.online for f in figures if f.rate),
        )
        return render(
            request,
            "video/online_rates.html",
            {
                "figures": figures,
                "producers": producers,
                "total": total,
                "days": days,
                "since": since,
                "until": until,
                "target": int(services.ONLINE_TARGET * 100),
            },
        )


class Scoring(ScopedMixin, View):
    """Acceptance evidence per producer in scope (2021 notice Annex 2 "5G技术" 25 points)."""

    model = Producer

    def get(self, request: HttpRequest) -> HttpResponse:
        days = period_days(request)
        since, until = services.period(days)
        producers = self.get_queryset().filter(cameras__isnull=False).distinct().order_by("name")
        page = Paginator(producers, 50).get_page(request.GET.get("page"))
        evidence = services.scoring_evidence(page.object_list, since, until)
        return render(
            request,
            "video/scoring.html",
            {"page_obj": page, "evidence": evidence, "days": days, "since": since},
        )


def demo_dir() -> Path:
    """Where the demo stream's segments are made (once)."""
    return Path(settings.MEDIA_ROOT) / "video-demo"


@never_cache
def demo_stream(request: HttpRequest, name: str) -> HttpResponse:
    """The demo's local live stream (``agritrace demo``): the playlist advances with the clock,
    segments come from :mod:`agritrace.video.hlsdemo`. 404 until the demo has made them."""
    directory = demo_dir()
    if not (directory / hlsdemo.SOURCE).exists():
        raise Http404
    if name == "live.m3u8":
        segments = hlsdemo.make_segments(directory)
        response = HttpResponse(
            hlsdemo.live_playlist(segments, time.time()),
            content_type="application/vnd.apple.mpegurl",
        )
    elif name.endswith(".ts") and name[:-3].isdigit() and len(name) < 20:
        segments = hlsdemo.make_segments(directory)
        response = HttpResponse(
            hlsdemo.segment_bytes(directory, segments, int(name[:-3])), content_type="video/mp2t"
        )
    else:
        raise Http404
    response["Access-Control-Allow-Origin"] = "*"
    return response

"""Video API: ``/api/v1/cameras/`` with probe, probes, online-rates and scoring actions."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from agritrace.core.api import ScopedModelSerializer, ScopedViewSet
from agritrace.core.validators import ANY_DAY
from agritrace.producers.models import Producer
from agritrace.video import services
from agritrace.video.choices import ProbeTrigger
from agritrace.video.filters import CameraFilter
from agritrace.video.models import Camera, Probe


class CameraSerializer(ScopedModelSerializer):
    """A camera; ``latest_status``/``latest_time`` come from its newest probe."""

    latest_status = serializers.CharField(read_only=True, allow_null=True)
    latest_time = serializers.DateTimeField(read_only=True, allow_null=True)

    class Meta:
        model = Camera
        fields = [
            "id",
            "producer",
            "point_type",
            "name",
            "base",
            "location",
            "hls_url",
            "provider_note",
            "active",
            "latest_status",
            "latest_time",
            "created_at",
        ]
        extra_kwargs = {"producer": {"required": False}}


class ProbeSerializer(serializers.ModelSerializer):
    """A stored probe result (read-only)."""

    ratio = serializers.FloatField(read_only=True, allow_null=True)

    class Meta:
        model = Probe
        fields = [
            "id",
            "camera",
            "time",
            "status",
            "trigger",
            "playlist_url",
            "media_sequence",
            "target_duration",
            "segment_age",
            "segment_duration",
            "download_seconds",
            "smooth",
            "ratio",
            "error",
        ]
        read_only_fields = fields


class PeriodSerializer(serializers.Serializer):
    """A period: the last ``days`` days, or ``since``…``until`` (dates, inclusive)."""

    days = serializers.IntegerField(min_value=1, max_value=366, required=False)
    since = serializers.DateField(required=False, validators=ANY_DAY)
    until = serializers.DateField(required=False, validators=ANY_DAY)
    group = serializers.ChoiceField(choices=list(services.GROUPS), required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        since, until = attrs.get("since"), attrs.get("until")
        if since and until and since > until:
            raise serializers.ValidationError({"until": ["结束日期不能早于开始日期。"]})
        return attrs

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """The period as aware datetimes ``[since, until)``."""
        data = self.validated_data
        if data.get("since") or data.get("until"):
            zone = timezone.get_current_timezone()
            until_day = data.get("until") or timezone.localdate()
            since_day = data.get("since") or until_day - dt.timedelta(days=6)
            start = dt.datetime.combine(since_day, dt.time.min, tzinfo=zone)
            end = dt.datetime.combine(until_day + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
            return start, end
        return services.period(data.get("days", services.DEFAULT_PERIOD_DAYS))


PERIOD_PARAMETERS = [
    OpenApiParameter("days", int, description="最近 N 天（默认 7）"),
    OpenApiParameter("since", dt.date, description="开始日期"),
    OpenApiParameter("until", dt.date, description="结束日期（含）"),
]
RATE = inline_serializer(
    "OnlineRate",
    {
        "key": serializers.IntegerField(),
        "label": serializers.CharField(),
        "cameras": serializers.IntegerField(),
        "probes": serializers.IntegerField(),
        "online": serializers.IntegerField(),
        "rate": serializers.FloatField(allow_null=True),
        "meets_target": serializers.BooleanField(allow_null=True),
    },
    many=True,
)
EVIDENCE = inline_serializer(
    "VideoScoringEvidence",
    {
        "producer_id": serializers.IntegerField(),
        "producer_name": serializers.CharField(),
        "since": serializers.DateTimeField(),
        "until": serializers.DateTimeField(),
        "points": inline_serializer(
            "VideoPointEvidence",
            {
                "point_type": serializers.CharField(),
                "label": serializers.CharField(),
                "cameras": serializers.IntegerField(),
                "online_cameras": serializers.IntegerField(),
                "online": serializers.BooleanField(),
            },
            many=True,
        ),
        "probes": serializers.IntegerField(),
        "online_probes": serializers.IntegerField(),
        "online_rate": serializers.FloatField(allow_null=True),
        "data_connected": serializers.BooleanField(),
        "smooth_rate": serializers.FloatField(allow_null=True),
        "point_score": serializers.IntegerField(),
        "data_score": serializers.IntegerField(),
        "smooth_score": serializers.IntegerField(),
        "total": serializers.IntegerField(),
    },
    many=True,
)


def evidence_data(evidence: services.ScoringEvidence) -> dict[str, Any]:
    """A scoring evidence as JSON-ready data, scores included."""
    data = asdict(evidence)
    data["points"] = [{**asdict(p), "online": p.online} for p in evidence.points]
    for name in (
        "online_rate",
        "data_connected",
        "smooth_rate",
        "point_score",
        "data_score",
        "smooth_score",
        "total",
    ):
        data[name] = getattr(evidence, name)
    data.pop("timed_probes")
    data.pop("smooth_probes")
    return data


class CameraViewSet(ScopedViewSet):
    """Cameras at quality-control points (2021 notice Annex 2 "5G技术", Annex 6 HLS)."""

    queryset = Camera.objects.select_related("producer").with_latest_probe()
    serializer_class = CameraSerializer
    filterset_class = CameraFilter
    search_fields = ["name", "location", "producer__name"]

    @extend_schema(request=None, responses={200: ProbeSerializer})
    @action(detail=True, methods=["post"], scope_action="view")
    def probe(self, request: Request, pk: str | None = None) -> Response:
        """Probe this camera's stream now and return the stored result."""
        camera = self.get_object()
        result = services.probe_camera(camera, trigger=ProbeTrigger.ON_DEMAND)
        return Response(ProbeSerializer(result).data)

    @extend_schema(responses={200: ProbeSerializer(many=True)})
    @action(detail=True, methods=["get"], scope_action="view")
    def probes(self, request: Request, pk: str | None = None) -> Response:
        """This camera's stored probe results, newest first."""
        camera = self.get_object()
        page = self.paginate_queryset(camera.probes.all())
        return self.get_paginated_response(ProbeSerializer(page, many=True).data)

    @extend_schema(
        parameters=[
            *PERIOD_PARAMETERS,
            OpenApiParameter("group", str, enum=list(services.GROUPS), description="分组"),
        ],
        responses={200: RATE},
    )
    @action(
        detail=False,
        methods=["get"],
        url_path="online-rates",
        scope_action="view",
        pagination_class=None,
    )
    def online_rates(self, request: Request) -> Response:
        """Online rates (视频实时在线率, target ≥ 80 %) of the cameras in scope, per camera,
        producer or county (``group``, default county) over the period."""
        query = PeriodSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        since, until = query.bounds()
        cameras = self.filter_queryset(self.get_queryset())
        rates = services.online_rates(
            cameras, since, until, query.validated_data.get("group", "county")
        )
        return Response(
            [{**asdict(r), "rate": r.rate, "meets_target": r.meets_target} for r in rates]
        )

    @extend_schema(
        parameters=[*PERIOD_PARAMETERS, OpenApiParameter("producer", int)],
        responses={200: EVIDENCE},
    )
    @action(detail=False, methods=["get"], scope_action="view", pagination_class=None)
    def scoring(self, request: Request) -> Response:
        """Acceptance evidence per producer in scope (2021 notice Annex 2 "5G技术")."""
        query = PeriodSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        since, until = query.bounds()
        producers = Producer.objects.restrict(request.user, "view").order_by("name")
        producer = request.query_params.get("producer")
        if producer is not None:
            if not producer.isdigit():
                raise serializers.ValidationError({"producer": ["须为生产经营主体 ID。"]})
            producers = producers.filter(pk=int(producer))
        else:
            producers = producers.filter(cameras__isnull=False).distinct()
        evidence = services.scoring_evidence(producers, since, until)
        return Response([evidence_data(e) for e in evidence])

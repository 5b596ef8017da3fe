"""Public-app API for regulators: scan statistics."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import permissions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from agritrace.core.api import ScopedModelSerializer, ScopedViewSet
from agritrace.core.validators import ANY_DAY
from agritrace.public.filters import ScanEventFilter
from agritrace.public.models import ScanEvent
from agritrace.public.stats import GROUPS, scan_stats


class StatsQuery(serializers.Serializer):
    """Which grouping and period."""

    group = serializers.ChoiceField(choices=list(GROUPS), default="producer")
    since = serializers.DateField(required=False, validators=ANY_DAY)
    until = serializers.DateField(required=False, validators=ANY_DAY)


class ScanStatsView(APIView):
    """Scans per code, batch, producer or county in the user's scope (most scanned first)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        parameters=[OpenApiParameter("group", enum=list(GROUPS)),
                    OpenApiParameter("since", type=str), OpenApiParameter("until", type=str)],
        responses={200: inline_serializer("ScanStatsRow", {
            "scans": serializers.IntegerField(), "networks": serializers.IntegerField(),
            "first": serializers.DateTimeField(), "last": serializers.DateTimeField()},
            many=True)},
    )  # fmt: skip
    def get(self, request: Request) -> Response:
        """The statistics."""
        query = StatsQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        return Response(scan_stats(request.user, **query.validated_data))


class ScanEventSerializer(ScopedModelSerializer):
    """One scan (coarse client information only)."""

    class Meta:
        model = ScanEvent
        fields = [
            "id",
            "code",
            "producer",
            "batch",
            "county",
            "scanned_at",
            "client",
            "language",
            "network",
        ]
        read_only_fields = fields


class ScanEventViewSet(ScopedViewSet):
    """Scan records (read only)."""

    http_method_names = ["get", "head", "options"]
    queryset = ScanEvent.objects.all()
    serializer_class = ScanEventSerializer
    filterset_class = ScanEventFilter

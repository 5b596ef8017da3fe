"""Warnings API: list in scope, acknowledge or close; follow-ups."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from agritrace.alerts import services
from agritrace.alerts.filters import FollowUpFilter, WarningFilter
from agritrace.alerts.models import FollowUp, Warning, WarningStatus
from agritrace.core.api import ScopedViewSet


class WarningSerializer(serializers.ModelSerializer):
    """A warning (read-only: raised by the platform's rules)."""

    subject_type = serializers.CharField(source="subject_type.model", read_only=True)
    region_name = serializers.CharField(source="region.full_name", read_only=True)

    class Meta:
        model = Warning
        fields = [
            "id",
            "kind",
            "severity",
            "title",
            "detail",
            "subject_type",
            "subject_id",
            "region",
            "region_name",
            "producer",
            "status",
            "handled_by",
            "handled_at",
            "handling_note",
            "created_at",
        ]
        read_only_fields = fields


class HandleSerializer(serializers.Serializer):
    """The handling note (required to close)."""

    note = serializers.CharField(required=False, allow_blank=True, max_length=500)


class WarningViewSet(ScopedViewSet):
    """Warnings for the user's scope; regulators acknowledge and close them. Nobody posts or
    edits warnings directly: the platform's rules raise them."""

    http_method_names = ["get", "post", "head", "options"]  # no PUT/PATCH/DELETE
    queryset = Warning.objects.select_related("region", "subject_type")
    serializer_class = WarningSerializer
    filterset_class = WarningFilter
    search_fields = ["title"]

    @extend_schema(request=HandleSerializer, responses=WarningSerializer)
    @action(detail=True, methods=["post"], scope_action="change")
    def acknowledge(self, request: Request, pk: str | None = None) -> Response:
        """Mark as seen."""
        return self._handle(request, WarningStatus.ACKNOWLEDGED)

    @extend_schema(request=HandleSerializer, responses=WarningSerializer)
    @action(detail=True, methods=["post"], scope_action="change")
    def close(self, request: Request, pk: str | None = None) -> Response:
        """Close with a handling note."""
        return self._handle(request, WarningStatus.CLOSED)

    def _handle(self, request: Request, to: str) -> Response:
        body = HandleSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        warning = services.handle(
            self.get_object(), to, by=request.user, note=body.validated_data.get("note", "")
        )
        return Response(self.get_serializer(warning).data)


class FollowUpSerializer(serializers.ModelSerializer):
    """A follow-up item (read-only; closed through its action)."""

    class Meta:
        model = FollowUp
        fields = [
            "id",
            "title",
            "producer",
            "organisation",
            "warning",
            "due_on",
            "status",
            "resolution",
            "closed_at",
        ]
        read_only_fields = fields


class CloseSerializer(serializers.Serializer):
    """What was done."""

    resolution = serializers.CharField(max_length=2000)


class FollowUpViewSet(ScopedViewSet):
    """Follow-up items for regulators in scope."""

    http_method_names = ["get", "post", "head", "options"]  # no PUT/PATCH/DELETE
    queryset = FollowUp.objects.select_related("producer", "organisation")
    serializer_class = FollowUpSerializer
    filterset_class = FollowUpFilter

    @extend_schema(request=CloseSerializer, responses=FollowUpSerializer)
    @action(detail=True, methods=["post"], scope_action="change")
    def close(self, request: Request, pk: str | None = None) -> Response:
        """Close with the resolution."""
        body = CloseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        follow_up = services.close_follow_up(
            self.get_object(), resolution=body.validated_data["resolution"]
        )
        return Response(self.get_serializer(follow_up).data)

"""Producer registry API: producers, bases, trace points, equipment, identity QR codes."""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from agritrace.core.api import ScopedModelSerializer, ScopedViewSet
from agritrace.core.validators import normalise_phone, normalise_uscc
from agritrace.producers import services
from agritrace.producers.choices import ProducerStatus
from agritrace.producers.filters import (
    EquipmentFilter,
    ProducerFilter,
    ProductionBaseFilter,
    TracePointFilter,
)
from agritrace.producers.models import Equipment, Industry, Producer, ProductionBase, TracePoint


class ProducerSerializer(ScopedModelSerializer):
    """A producer; status changes go through the approve/suspend actions."""

    industries = serializers.SlugRelatedField(
        slug_field="code", queryset=Industry.objects.all(), many=True, required=False
    )
    township_name = serializers.CharField(source="township.full_name", read_only=True)
    identity_url = serializers.SerializerMethodField()

    class Meta:
        model = Producer
        fields = [
            "id",
            "name",
            "kind",
            "uscc",
            "legal_representative",
            "contact_phone",
            "address",
            "township",
            "township_name",
            "latitude",
            "longitude",
            "industries",
            "scale_producer",
            "leading_level",
            "national_registered",
            "national_registered_on",
            "national_account",
            "status",
            "status_note",
            "reviewed_at",
            "identity_code",
            "identity_url",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["status", "status_note", "reviewed_at", "identity_code"]

    def get_identity_url(self, obj: Producer) -> str:
        return services.identity_url(obj)

    def validate_uscc(self, value: str) -> str:
        return normalise_uscc(value)

    def validate_contact_phone(self, value: str) -> str:
        return normalise_phone(value) if value else value


class ReviewSerializer(serializers.Serializer):
    """The reason for a review decision (required to suspend)."""

    note = serializers.CharField(required=False, allow_blank=True, max_length=200)


class ProducerViewSet(ScopedViewSet):
    """Producers (生产经营主体) in the user's scope."""

    queryset = Producer.objects.select_related("township").prefetch_related("industries")
    serializer_class = ProducerSerializer
    filterset_class = ProducerFilter
    search_fields = ["name", "uscc"]
    ordering_fields = ["name", "created_at", "status"]

    @extend_schema(request=ReviewSerializer, responses=ProducerSerializer)
    @action(detail=True, methods=["post"], scope_action="change")
    def approve(self, request: Request, pk: str | None = None) -> Response:
        """Approve a registration (township station or county)."""
        return self._review(request, ProducerStatus.APPROVED)

    @extend_schema(request=ReviewSerializer, responses=ProducerSerializer)
    @action(detail=True, methods=["post"], scope_action="change")
    def suspend(self, request: Request, pk: str | None = None) -> Response:
        """Suspend a producer, with the reason."""
        return self._review(request, ProducerStatus.SUSPENDED)

    def _review(self, request: Request, to: str) -> Response:
        body = ReviewSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        producer = services.review(
            self.get_object(), to, by=request.user, note=body.validated_data.get("note", "")
        )
        return Response(self.get_serializer(producer).data)

    @extend_schema(
        parameters=[OpenApiParameter("fmt", str, enum=["svg", "png"], default="svg")],
        responses={
            (200, "image/svg+xml"): OpenApiTypes.BINARY,
            (200, "image/png"): OpenApiTypes.BINARY,
        },
    )
    @action(detail=True, methods=["get"])
    def qr(self, request: Request, pk: str | None = None) -> HttpResponse:
        """The producer identity QR code (主体身份码) as SVG or PNG."""
        kind = "png" if request.query_params.get("fmt") == "png" else "svg"
        content = services.identity_qr(self.get_object(), kind)
        return HttpResponse(content, content_type="image/png" if kind == "png" else "image/svg+xml")


class ProductionBaseSerializer(ScopedModelSerializer):
    """A production base."""

    township_name = serializers.CharField(source="township.full_name", read_only=True)

    class Meta:
        model = ProductionBase
        fields = [
            "id",
            "producer",
            "name",
            "kind",
            "area_mu",
            "township",
            "township_name",
            "address",
            "latitude",
            "longitude",
        ]
        extra_kwargs = {"producer": {"required": False}}


class TracePointSerializer(ScopedModelSerializer):
    """A trace point or a township trace service station."""

    class Meta:
        model = TracePoint
        fields = [
            "id",
            "kind",
            "name",
            "producer",
            "organisation",
            "township",
            "address",
            "latitude",
            "longitude",
        ]


class EquipmentSerializer(ScopedModelSerializer):
    """A piece of Annex 1 equipment."""

    class Meta:
        model = Equipment
        fields = [
            "id",
            "category",
            "model_name",
            "serial_number",
            "dpi",
            "producer",
            "organisation",
            "trace_point",
            "acquired_on",
            "reused",
            "domestic",
            "status",
            "note",
        ]


class ProductionBaseViewSet(ScopedViewSet):
    """Production bases."""

    queryset = ProductionBase.objects.select_related("producer", "township")
    serializer_class = ProductionBaseSerializer
    filterset_class = ProductionBaseFilter
    search_fields = ["name", "address"]


class TracePointViewSet(ScopedViewSet):
    """Trace points and trace service stations."""

    queryset = TracePoint.objects.select_related("producer", "organisation", "township")
    serializer_class = TracePointSerializer
    filterset_class = TracePointFilter
    search_fields = ["name", "address"]


class EquipmentViewSet(ScopedViewSet):
    """Equipment inventory (Annex 1 categories)."""

    queryset = Equipment.objects.select_related("producer", "organisation", "trace_point")
    serializer_class = EquipmentSerializer
    filterset_class = EquipmentFilter
    search_fields = ["model_name", "serial_number"]

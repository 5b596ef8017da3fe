"""Testing API: test records, devices (with their upload endpoint), technicians, plans, limits."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, extend_schema, inline_serializer
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from agritrace.core.api import ScopedModelSerializer, ScopedViewSet
from agritrace.testing import services, uploads
from agritrace.testing.filters import (
    DeviceFilter,
    SelfTestPlanFilter,
    TechnicianFilter,
    TestRecordFilter,
)
from agritrace.testing.models import (
    Device,
    MaximumResidueLimit,
    SelfTestPlan,
    Technician,
    TestRecord,
)


class TestRecordSerializer(ScopedModelSerializer):
    """A test; the result is judged by the method's rule, never sent."""

    class Meta:
        model = TestRecord
        fields = [
            "id",
            "producer",
            "batch",
            "product",
            "sample_name",
            "sampling_place",
            "sampled_at",
            "sampler",
            "purpose",
            "ordered_by",
            "method",
            "item",
            "tested_at",
            "technician",
            "tester_name",
            "device",
            "device_record_id",
            "inhibition_rate",
            "control_line",
            "t_line",
            "value",
            "unit",
            "limit",
            "limit_source",
            "laboratory",
            "report",
            "result",
            "retest_of",
            "created_at",
        ]
        read_only_fields = ["result", "device", "device_record_id"]
        extra_kwargs = {"producer": {"required": False}}

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        test = TestRecord(**{**self.context.get("defaults", {}), **attrs})
        services.check(test)
        attrs["result"] = test.result
        return attrs

    def create(self, validated_data: dict[str, Any]) -> TestRecord:
        request = self.context["request"]
        return services.record_test(TestRecord(**validated_data, recorded_by=request.user))


class ReleaseSerializer(serializers.Serializer):
    """Why the batch is released."""

    reason = serializers.CharField(max_length=200)


class TestRecordViewSet(ScopedViewSet):
    """Test records (kept, never edited or deleted)."""

    http_method_names = ["get", "post", "head", "options"]
    queryset = TestRecord.objects.select_related("producer", "batch", "device")
    serializer_class = TestRecordSerializer
    filterset_class = TestRecordFilter
    search_fields = ["sample_name", "item", "device_record_id"]

    @extend_schema(request=ReleaseSerializer, responses={200: None})
    @action(detail=True, methods=["post"], scope_action="view")
    def release(self, request: Request, pk: str | None = None) -> Response:
        """Release this negative retest's batch from "under review"."""
        retest = self.get_object()
        body = ReleaseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        if retest.batch is None:
            raise serializers.ValidationError({"batch": [_("该检测记录没有批次")]})
        batch = services.release(
            retest.batch, retest, by=request.user, reason=body.validated_data["reason"]
        )
        return Response(
            {"batch": batch.pk, "status": batch.status, "status_reason": batch.status_reason}
        )


class DeviceSerializer(ScopedModelSerializer):
    """A rapid-test device; its upload secret is shown once, in the response that creates it."""

    class Meta:
        model = Device
        fields = [
            "id",
            "kind",
            "model_name",
            "serial",
            "producer",
            "organisation",
            "calibrated_on",
            "active",
        ]

    def to_representation(self, instance: Device) -> dict[str, Any]:
        data = super().to_representation(instance)
        if self.context.get("show_secret"):
            data["secret"] = instance.secret()
        return data


class DeviceViewSet(ScopedViewSet):
    """Rapid-test devices of producers and stations."""

    queryset = Device.objects.select_related("producer", "organisation")
    serializer_class = DeviceSerializer
    filterset_class = DeviceFilter
    search_fields = ["serial", "model_name"]

    def get_serializer_context(self) -> dict[str, Any]:
        return super().get_serializer_context() | {
            "show_secret": self.action in ("create", "rotate")
        }

    @action(detail=True, methods=["post"], scope_action="change")
    def rotate(self, request: Request, pk: str | None = None) -> Response:
        """Issue a new upload secret (the old one stops working)."""
        device = self.get_object()
        device.key_version += 1
        device.save(update_fields=["key_version", "updated_at"])
        return Response(self.get_serializer(device).data)


class TechnicianSerializer(ScopedModelSerializer):
    """A technician and whether trained."""

    trained = serializers.SerializerMethodField()

    class Meta:
        model = Technician
        fields = ["id", "name", "certificate", "producer", "organisation", "active", "trained"]

    def get_trained(self, obj: Technician) -> bool:
        return obj.trainings.exists()


class TechnicianViewSet(ScopedViewSet):
    """Testing technicians."""

    queryset = Technician.objects.prefetch_related("trainings")
    serializer_class = TechnicianSerializer
    filterset_class = TechnicianFilter
    search_fields = ["name", "certificate"]


class SelfTestPlanSerializer(ScopedModelSerializer):
    """A self-test plan."""

    class Meta:
        model = SelfTestPlan
        fields = [
            "id",
            "producer",
            "product",
            "method",
            "items",
            "times",
            "period",
            "valid_from",
            "valid_to",
        ]
        extra_kwargs = {"producer": {"required": False}}


class SelfTestPlanViewSet(ScopedViewSet):
    """Self-test plans."""

    queryset = SelfTestPlan.objects.select_related("producer", "product")
    serializer_class = SelfTestPlanSerializer
    filterset_class = SelfTestPlanFilter


class LimitSerializer(serializers.ModelSerializer):
    """A maximum residue limit."""

    class Meta:
        model = MaximumResidueLimit
        fields = ["id", "analyte", "food", "limit", "source"]


class LimitViewSet(viewsets.ReadOnlyModelViewSet):
    """Maximum residue limits (reference data)."""

    queryset = MaximumResidueLimit.objects.all()
    serializer_class = LimitSerializer
    permission_classes = [permissions.IsAuthenticated]
    search_fields = ["analyte", "food", "source"]
    filterset_fields = ["analyte", "food", "source"]


class IsDevice(permissions.BasePermission):
    """Only an authenticated device."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return isinstance(request.user, uploads.DeviceUser)


class PayloadTooLarge(APIException):
    """413: refused before the body is read."""

    status_code = 413
    default_code = "payload_too_large"


class DeviceUploadView(APIView):
    """Base of the upload endpoints: device authentication, size checked before anything
    (including the HMAC signature) reads the body."""

    authentication_classes = [uploads.DeviceAuthentication]
    permission_classes = [IsDevice]

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        length = request.META.get("CONTENT_LENGTH") or "0"
        if not length.isdigit() or int(length) > uploads.MAX_BODY_BYTES:
            raise PayloadTooLarge(_("上传内容超过 5 MB"))
        super().initial(request, *args, **kwargs)

    def respond(self, records: list[Any]) -> Response:
        """Ingest and answer with the per-record results."""
        if not records or len(records) > uploads.MAX_RECORDS:
            return Response(
                {"status": uploads.REJECTED, "errors": {"records": [_("须有 1–1000 条记录")]}},
                status=400,
            )
        outcome = uploads.ingest(request_device(self.request), records)
        code = (
            status.HTTP_400_BAD_REQUEST
            if outcome.status == uploads.REJECTED
            else status.HTTP_200_OK
        )
        return Response({"status": outcome.status, "results": outcome.results}, status=code)


def request_device(request: Request) -> Device:
    """The device that authenticated the request."""
    return request.auth


EXAMPLE = {
    "records": [
        {
            "record_id": "A1-20260501-0001",
            "method": "enzyme",
            "item": "有机磷和氨基甲酸酯类农药",
            "sample_name": "白菜",
            "batch_number": "20260501-001",
            "tested_at": "2026-05-01T09:30:00+08:00",
            "inhibition_rate": 12.5,
            "tester": "示例检测员",
        },
        {
            "record_id": "A1-20260501-0002",
            "method": "gold",
            "item": "克伦特罗",
            "sample_name": "猪尿",
            "tested_at": "2026-05-01T09:40:00+08:00",
            "control_line": True,
            "t_line": "equal_or_stronger",
        },
    ]
}
UPLOAD_RESPONSE = inline_serializer(
    "UploadResponse",
    {
        "status": serializers.ChoiceField(
            choices=[uploads.ACCEPTED, uploads.PARTIALLY_ACCEPTED, uploads.REJECTED]
        ),
        "results": serializers.ListField(child=serializers.DictField()),
    },
)


class UploadView(DeviceUploadView):
    """Device upload: a batch of results in JSON (``records``, at most 1,000, body ≤ 5 MB).

    Authenticate with ``Authorization: Device <serial>:<secret>`` or an HMAC-SHA256 signature
    (``X-Device-Serial``, ``X-Timestamp``, ``X-Signature`` = hex HMAC of ``timestamp.body``).
    Every record carries the device's own ``record_id``; sending the same record again is
    answered ``duplicate`` and stores nothing. Each record is accepted or rejected with reasons;
    the overall status is ACCEPTED, PARTIALLY_ACCEPTED or REJECTED (400).
    """

    parser_classes = [JSONParser]

    @extend_schema(
        request=inline_serializer(
            "UploadRequest", {"records": serializers.ListField(child=serializers.DictField())}
        ),
        responses={200: UPLOAD_RESPONSE, 400: UPLOAD_RESPONSE, 413: None},
        examples=[OpenApiExample("Two rapid tests", value=EXAMPLE, request_only=True)],
    )
    def post(self, request: Request) -> Response:
        records = request.data.get("records") if isinstance(request.data, dict) else None
        return self.respond(records if isinstance(records, list) else [])


class CsvUploadView(DeviceUploadView):
    """The same upload for devices that only export CSV files (UTF-8, a header row with the
    JSON field names)."""

    parser_classes = [MultiPartParser]

    @extend_schema(
        request={
            "multipart/form-data": inline_serializer("CsvUpload", {"file": serializers.FileField()})
        },
        responses={200: UPLOAD_RESPONSE, 400: UPLOAD_RESPONSE, 413: None},
    )
    def post(self, request: Request) -> Response:
        upload = request.FILES.get("file")
        try:
            text = upload.read().decode("utf-8-sig") if upload is not None else ""
        except UnicodeDecodeError:
            text = ""
        if not text:
            return Response(
                {
                    "status": uploads.REJECTED,
                    "errors": {"file": [_("请上传 UTF-8 编码的 CSV 文件")]},
                },
                status=400,
            )
        return self.respond([_csv_row(row) for row in csv.DictReader(io.StringIO(text))])


def _csv_row(row: dict[str, str]) -> dict[str, Any]:
    data: dict[str, Any] = {
        key: value for key, value in row.items() if key and value not in (None, "")
    }
    if "control_line" in data:
        data["control_line"] = data["control_line"].strip().lower() in ("1", "true", "yes", "是")
    return data

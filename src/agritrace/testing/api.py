"""Testing API: test records, devices (with their upload endpoint), technicians, plans, limits."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, ParseError
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from agritrace.core.api import ScopedModelSerializer, ScopedViewSet
from agritrace.testing import services, uploads
from agritrace.testing.auth import DeviceAuthentication, IsDevice, request_device
from agritrace.testing.choices import RecordStatus, UploadFormat, UploadStatus
from agritrace.testing.filters import (
    DeviceFilter,
    DeviceUploadFilter,
    SelfTestPlanFilter,
    TechnicianFilter,
    TestRecordFilter,
)
from agritrace.testing.models import (
    Device,
    DeviceUpload,
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


class DeviceUploadSerializer(ScopedModelSerializer):
    """One entry of a device's upload log (read only)."""

    class Meta:
        model = DeviceUpload
        fields = [
            "id",
            "device",
            "uid",
            "source",
            "status",
            "http_status",
            "records",
            "accepted",
            "duplicates",
            "conflicts",
            "rejected",
            "errors",
            "results",
            "omitted",
            "created_at",
        ]
        read_only_fields = fields


class DeviceUploadViewSet(ScopedViewSet):
    """Devices' upload logs: every upload and the platform's answer, record by record."""

    http_method_names = ["get", "head", "options"]
    queryset = DeviceUpload.objects.select_related("device")
    serializer_class = DeviceUploadSerializer
    filterset_class = DeviceUploadFilter


class PayloadTooLarge(APIException):
    """413: refused before the body is read."""

    status_code = 413
    default_code = "payload_too_large"


class DeviceUploadView(APIView):
    """Base of the upload endpoints: device authentication, size checked before anything
    (including the HMAC signature) reads the body; every upload answered record by record and
    logged (:func:`uploads.ingest`), a body that cannot be read refused with a 400 (and
    logged too)."""

    authentication_classes = [DeviceAuthentication]
    permission_classes = [IsDevice]
    source = UploadFormat.JSON

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        length = request.META.get("CONTENT_LENGTH") or "0"
        if not length.isdigit() or int(length) > uploads.MAX_BODY_BYTES:
            raise PayloadTooLarge(_("上传内容超过 5 MB"))
        super().initial(request, *args, **kwargs)

    def records(self, request: Request) -> list[Any]:
        """The uploaded records, or :class:`uploads.UploadRefused`."""
        raise NotImplementedError

    def answer(self, request: Request) -> Response:
        """Ingest and answer with the per-record results."""
        device = request_device(request)
        try:
            records = self.records(request)
        except uploads.UploadRefused as refused:
            entry = uploads.refuse(device, self.source, refused.errors)
            return Response(
                {"status": entry.status, "upload": entry.uid, "errors": refused.errors},
                status=status.HTTP_400_BAD_REQUEST,
            )
        outcome = uploads.ingest(device, records, self.source)
        return Response(
            {"status": outcome.status, "upload": outcome.upload, "results": outcome.results},
            status=outcome.http_status,
        )


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
FIELD_ERRORS = serializers.DictField(
    child=serializers.ListField(child=serializers.CharField()),
    required=False,
    help_text="field → reasons",
)
UPLOAD_RESULT = inline_serializer(
    "UploadRecordResult",
    {
        "index": serializers.IntegerField(help_text="position of the record in the upload"),
        "record_id": serializers.CharField(allow_null=True),
        "status": serializers.ChoiceField(choices=RecordStatus.values),
        "code": serializers.IntegerField(
            help_text="accepted 201, duplicate 200, conflict 409, rejected 400"
        ),
        "id": serializers.IntegerField(
            required=False, help_text="the stored test (accepted, duplicate or conflicting)"
        ),
        "errors": FIELD_ERRORS,
    },
)
UPLOAD_RESPONSE = inline_serializer(
    "UploadResponse",
    {
        "status": serializers.ChoiceField(choices=UploadStatus.values),
        "upload": serializers.UUIDField(help_text="the upload log entry and the stored tests"),
        "results": serializers.ListField(child=UPLOAD_RESULT, required=False),
        "errors": FIELD_ERRORS,
    },
)
UPLOAD_RESPONSES = {
    200: OpenApiResponse(UPLOAD_RESPONSE, "ACCEPTED or PARTIALLY_ACCEPTED"),
    207: OpenApiResponse(UPLOAD_RESPONSE, "CONFLICT, some records accepted"),
    400: OpenApiResponse(UPLOAD_RESPONSE, "REJECTED: no record accepted, or unreadable body"),
    409: OpenApiResponse(UPLOAD_RESPONSE, "CONFLICT, no record accepted"),
    413: OpenApiResponse(description="body over 5 MB"),
}


class UploadView(DeviceUploadView):
    """Device upload: a batch of results in JSON, ``{"records": [...]}`` (at most 1,000
    records, body ≤ 5 MB, UTF-8, nested no deeper than 8 levels).

    Authenticate with ``Authorization: Device <serial>:<secret>`` or an HMAC-SHA256 signature
    (``X-Device-Serial``, ``X-Timestamp``, ``X-Signature`` = hex HMAC of ``timestamp.body``).

    Every record carries the device's own non-empty ``record_id`` (trimmed, then compared
    exactly). Each record is answered on its own (``results``, in upload order, with
    ``index``): ``accepted`` (stored), ``duplicate`` (this id was stored before with the same
    content: nothing stored), ``conflict`` (this id was stored before with *different*
    content: nothing stored, the stored test is kept, the producer is warned, a failing
    reading raises the positive-test warning anyway) or ``rejected`` (with reasons by field).
    Readings must fit their columns (inhibition rate 0–100 with 2 decimals; value and cutoff
    0–99999999.9999 with 4 decimals); times are ISO 8601, not before 1990-01-01, not more than
    5 minutes ahead.

    Overall ``status`` and HTTP code: ``ACCEPTED`` 200 (all accepted or duplicate);
    ``PARTIALLY_ACCEPTED`` 200 (some rejected); ``CONFLICT`` 207 when some records were
    accepted or duplicate and 409 when none; ``REJECTED`` 400 (none accepted, or the body
    unreadable: then ``errors`` instead of ``results``). Every upload is kept in the device's
    upload log (``/api/v1/testing/upload-logs/``), under the ``upload`` id it answers.
    """

    parser_classes = [JSONParser]

    @extend_schema(
        request=inline_serializer(
            "UploadRequest", {"records": serializers.ListField(child=serializers.DictField())}
        ),
        responses=UPLOAD_RESPONSES,
        examples=[OpenApiExample("Two rapid tests", value=EXAMPLE, request_only=True)],
    )
    def post(self, request: Request) -> Response:
        return self.answer(request)

    def records(self, request: Request) -> list[Any]:
        return uploads.parse_json(request.body)


class CsvUploadView(DeviceUploadView):
    """The same upload for devices that only export CSV files (UTF-8, a header row with the
    JSON field names, at most 1,000 rows), answered the same way."""

    parser_classes = [MultiPartParser]
    source = UploadFormat.CSV

    @extend_schema(
        request={
            "multipart/form-data": inline_serializer("CsvUpload", {"file": serializers.FileField()})
        },
        responses=UPLOAD_RESPONSES,
    )
    def post(self, request: Request) -> Response:
        return self.answer(request)

    def records(self, request: Request) -> list[Any]:
        try:
            upload = request.FILES.get("file")
        except ParseError:
            upload = None
        if upload is None:
            raise uploads.UploadRefused({"file": [_("请以 multipart/form-data 上传 CSV 文件")]})
        return uploads.parse_csv(upload.read())

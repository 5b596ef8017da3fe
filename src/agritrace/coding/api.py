"""Coding API: code rolls (mint), trace codes (bind, void), code events, label layouts, print
jobs, certificates of compliance, market checks. Rules live in ``services``."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, HttpResponse
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from agritrace.coding.filters import (
    CertificateFilter,
    CodeEventFilter,
    CodeRollFilter,
    MarketCheckFilter,
    PrintJobFilter,
    TraceCodeFilter,
)
from agritrace.coding.models import (
    MAX_SERIAL,
    Certificate,
    CodeEvent,
    CodeRoll,
    LabelLayout,
    MarketCheck,
    PrintJob,
    TraceCode,
)
from agritrace.coding.services import binding, certificates, checks, links, minting, printing
from agritrace.core.api import ScopedModelSerializer, ScopedViewSet
from agritrace.core.forms import scoped_choices
from agritrace.core.urls import public_url
from agritrace.production.models import Batch

READ_AND_CREATE = ["get", "post", "head", "options"]


class ReasonSerializer(serializers.Serializer):
    """Why."""

    reason = serializers.CharField(max_length=200)


class RangeSerializer(ReasonSerializer):
    """A range of a roll's serials."""

    first_serial = serializers.IntegerField(min_value=1, max_value=MAX_SERIAL)
    last_serial = serializers.IntegerField(min_value=1, max_value=MAX_SERIAL)


class CodeRollSerializer(ScopedModelSerializer):
    """A minting run; ``count`` codes are minted now (small runs) or by a background task.
    Only the note can be changed afterwards."""

    class Meta:
        model = CodeRoll
        fields = [
            "id",
            "producer",
            "batch",
            "count",
            "minted",
            "status",
            "error",
            "note",
            "created_at",
        ]
        read_only_fields = ["minted", "status", "error"]
        extra_kwargs = {"producer": {"required": False}}

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        if self.instance is not None:
            for name in ("producer", "batch", "count"):
                fields[name].read_only = True
        return fields

    def create(self, validated_data: dict[str, Any]) -> CodeRoll:
        data = dict(validated_data)
        return minting.request_mint(
            data.pop("producer"), data.pop("count"), user=self.context["request"].user, **data
        )


class CodeRollViewSet(ScopedViewSet):
    """Code rolls: ``POST`` mints; ``PATCH`` changes the note; ``void`` voids a range of
    serials (kept, never deleted)."""

    http_method_names = [*READ_AND_CREATE, "patch"]
    queryset = CodeRoll.objects.select_related("producer", "batch")
    serializer_class = CodeRollSerializer
    filterset_class = CodeRollFilter

    @extend_schema(
        responses={
            200: inline_serializer(
                "RollSummary",
                {
                    "minted": serializers.IntegerField(),
                    "printed": serializers.IntegerField(),
                    "active": serializers.IntegerField(),
                    "voided": serializers.IntegerField(),
                    "recalled": serializers.IntegerField(),
                },
            )
        }
    )
    @action(detail=True, methods=["get"])
    def summary(self, request: Request, pk: str | None = None) -> Response:
        """How many of the roll's codes are in each status."""
        return Response(minting.roll_summary(self.get_object()))

    @extend_schema(
        request=RangeSerializer,
        responses={200: inline_serializer("Voided", {"voided": serializers.IntegerField()})},
    )
    @action(detail=True, methods=["post"], scope_action="change")
    def void(self, request: Request, pk: str | None = None) -> Response:
        """Void the roll's serials ``first_serial``–``last_serial``, with the reason."""
        body = RangeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        count = binding.void(
            self.get_object(),
            data["first_serial"],
            data["last_serial"],
            data["reason"],
            user=request.user,
        )
        return Response({"voided": count})


class TraceCodeSerializer(ScopedModelSerializer):
    """A trace code and the URLs its QR may carry."""

    url = serializers.SerializerMethodField()
    digital_link = serializers.SerializerMethodField()

    class Meta:
        model = TraceCode
        fields = [
            "id",
            "code",
            "producer",
            "roll",
            "serial",
            "batch",
            "status",
            "url",
            "digital_link",
            "updated_at",
        ]
        read_only_fields = fields

    def get_url(self, obj: TraceCode) -> str:
        return links.code_url(obj.code)

    def get_digital_link(self, obj: TraceCode) -> str | None:
        if obj.batch is None:
            return None
        return links.digital_link(obj.batch.product.gtin, obj.batch.number, obj.code)


class BindSerializer(serializers.Serializer):
    """Bind a scanned code, or a range (``code`` to ``last``) of one roll, to a batch."""

    code = serializers.CharField(max_length=300)
    last = serializers.CharField(max_length=300, required=False, allow_blank=True)
    batch = serializers.PrimaryKeyRelatedField(queryset=Batch.objects.all())

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        fields["batch"].queryset = scoped_choices(
            Batch.objects.all(), getattr(self.context.get("request"), "user", None)
        )
        return fields


class TraceCodeViewSet(ScopedViewSet):
    """Trace codes (read); ``bind`` (one or a range) and ``void`` change them, each change
    logged as an event.
    ``/api/v1/trace-codes/by-code/<code>/`` looks a code up by the string on its label."""

    http_method_names = READ_AND_CREATE
    queryset = TraceCode.objects.select_related("batch__product")
    serializer_class = TraceCodeSerializer
    filterset_class = TraceCodeFilter
    lookup_value_regex = r"\d+"

    @extend_schema(
        request=BindSerializer,
        responses={
            200: inline_serializer(
                "Bound", {"bound": serializers.IntegerField(), "code": serializers.CharField()}
            )
        },
    )
    @action(detail=False, methods=["post"], scope_action="change")
    def bind(self, request: Request) -> Response:
        """Bind a code (or a range of one roll) to a batch."""
        body = BindSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        data = body.validated_data
        first, bound = binding.bind_scanned(
            data["code"], data.get("last", ""), data["batch"], user=request.user
        )
        return Response({"bound": bound, "code": first.code})

    @extend_schema(request=ReasonSerializer, responses={200: TraceCodeSerializer})
    @action(detail=True, methods=["post"], scope_action="change")
    def void(self, request: Request, pk: str | None = None) -> Response:
        """Void this code, with the reason."""
        body = ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        code = binding.void_code(
            self.get_object(), body.validated_data["reason"], user=request.user
        )
        return Response(self.get_serializer(code).data)

    @action(detail=False, methods=["get"], url_path=r"by-code/(?P<code>[^/]+)")
    def by_code(self, request: Request, code: str) -> Response:
        """A code by the string on its label (a wrong check character is a 400)."""
        found = binding.find_code(code, self.get_queryset())
        return Response(self.get_serializer(found).data)


class CodeEventSerializer(ScopedModelSerializer):
    """One logged change of codes."""

    class Meta:
        model = CodeEvent
        fields = [
            "id",
            "producer",
            "action",
            "roll",
            "first_serial",
            "last_serial",
            "count",
            "code",
            "batch",
            "to_status",
            "reason",
            "user",
            "created_at",
        ]
        read_only_fields = fields


class CodeEventViewSet(ScopedViewSet):
    """The code log (read only)."""

    http_method_names = ["get", "head", "options"]
    queryset = CodeEvent.objects.all()
    serializer_class = CodeEventSerializer
    filterset_class = CodeEventFilter


class LabelLayoutSerializer(ScopedModelSerializer):
    """A label layout (presets have no producer and are read only for producers)."""

    class Meta:
        model = LabelLayout
        fields = ["id", "producer", "name", "width_mm", "height_mm", "elements"]
        extra_kwargs = {"producer": {"required": False}}


class LabelLayoutViewSet(ScopedViewSet):
    """Label layouts."""

    queryset = LabelLayout.objects.all()
    serializer_class = LabelLayoutSerializer
    search_fields = ["name"]


class PrintJobSerializer(ScopedModelSerializer):
    """A print job; small jobs are rendered in the request, large ones by a task."""

    download = serializers.SerializerMethodField()

    class Meta:
        model = PrintJob
        fields = [
            "id",
            "producer",
            "roll",
            "first_serial",
            "last_serial",
            "layout",
            "output",
            "dpi",
            "sheet",
            "reprint",
            "status",
            "progress",
            "error",
            "download",
            "created_by",
            "created_at",
            "finished_at",
        ]
        read_only_fields = [
            "producer",
            "reprint",
            "status",
            "progress",
            "error",
            "created_by",
            "finished_at",
        ]

    def get_download(self, obj: PrintJob) -> str | None:
        if not obj.file:
            return None
        return public_url(f"/api/v1/print-jobs/{obj.pk}/download/")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        return attrs  # checked by printing.request_print

    def create(self, validated_data: dict[str, Any]) -> PrintJob:
        return printing.request_print(PrintJob(**validated_data), user=self.context["request"].user)


class PrintJobViewSet(ScopedViewSet):
    """Print jobs (the print log: kept, never deleted); ``download`` returns the file."""

    http_method_names = READ_AND_CREATE
    queryset = PrintJob.objects.select_related("roll", "layout")
    serializer_class = PrintJobSerializer
    filterset_class = PrintJobFilter

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    @action(detail=True, methods=["get"])
    def download(self, request: Request, pk: str | None = None) -> HttpResponse:
        """The rendered labels (PDF, ZPL or TSPL)."""
        job = self.get_object()
        if not job.file:
            return Response({"detail": job.get_status_display()}, status=409)
        return FileResponse(
            job.file.open("rb"), as_attachment=True, filename=job.file.name.rsplit("/", 1)[-1]
        )


class CertificateSerializer(ScopedModelSerializer):
    """A certificate of compliance; the product, producer, contact and origin are copied from
    the batch when it is issued."""

    url = serializers.SerializerMethodField()

    class Meta:
        model = Certificate
        fields = [
            "id",
            "number",
            "producer",
            "batch",
            "product_name",
            "quantity",
            "unit",
            "producer_name",
            "contact_phone",
            "origin",
            "issued_on",
            "basis",
            "test",
            "no_prohibited",
            "within_limits",
            "responsible",
            "signatory",
            "voided",
            "void_reason",
            "url",
            "created_at",
        ]
        read_only_fields = [
            "number",
            "producer",
            "product_name",
            "unit",
            "producer_name",
            "contact_phone",
            "origin",
            "voided",
            "void_reason",
        ]
        extra_kwargs = {"issued_on": {"required": False}}

    def get_url(self, obj: Certificate) -> str:
        return links.certificate_url(obj.number)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        return attrs  # checked by certificates.issue_certificate

    def create(self, validated_data: dict[str, Any]) -> Certificate:
        return certificates.issue_certificate(
            Certificate(**validated_data), user=self.context["request"].user
        )


class CertificateViewSet(ScopedViewSet):
    """Certificates of compliance: issued, voided with a reason, never edited or deleted;
    ``pdf`` prints one."""

    http_method_names = READ_AND_CREATE
    queryset = Certificate.objects.select_related("batch", "producer")
    serializer_class = CertificateSerializer
    filterset_class = CertificateFilter
    search_fields = ["number", "product_name"]

    @extend_schema(request=ReasonSerializer, responses={200: CertificateSerializer})
    @action(detail=True, methods=["post"], scope_action="change")
    def void(self, request: Request, pk: str | None = None) -> Response:
        """Void the certificate."""
        body = ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        reason = body.validated_data["reason"]
        certificate = certificates.void_certificate(self.get_object(), reason)
        return Response(self.get_serializer(certificate).data)

    @extend_schema(responses={(200, "application/pdf"): bytes})
    @action(detail=True, methods=["get"])
    def pdf(self, request: Request, pk: str | None = None) -> HttpResponse:
        """The certificate as a printable PDF with its QR code."""
        certificate = self.get_object()
        response = HttpResponse(
            certificates.certificate_pdf(certificate), content_type="application/pdf"
        )
        response["Content-Disposition"] = f'inline; filename="certificate-{certificate.number}.pdf"'
        return response


class MarketCheckSerializer(ScopedModelSerializer):
    """A market-access check: send what was scanned; the verdict comes back."""

    class Meta:
        model = MarketCheck
        fields = [
            "id",
            "scanned",
            "market",
            "kind",
            "valid",
            "reason",
            "trace_code",
            "certificate",
            "producer",
            "region",
            "checked_by",
            "created_at",
        ]
        read_only_fields = [
            "kind",
            "valid",
            "reason",
            "trace_code",
            "certificate",
            "producer",
            "region",
            "checked_by",
        ]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        return attrs

    def create(self, validated_data: dict[str, Any]) -> MarketCheck:
        return checks.record_check(
            validated_data["scanned"],
            user=self.context["request"].user,
            market=validated_data.get("market", ""),
        )


class MarketCheckViewSet(ScopedViewSet):
    """Market-access checks (kept)."""

    http_method_names = READ_AND_CREATE
    queryset = MarketCheck.objects.select_related("trace_code", "certificate")
    serializer_class = MarketCheckSerializer
    filterset_class = MarketCheckFilter

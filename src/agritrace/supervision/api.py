"""Complaints API (2020 spec Art. 23): read in scope, handle."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from agritrace.core import scoping
from agritrace.core.api import ScopedViewSet
from agritrace.core.urls import public_url
from agritrace.supervision import services
from agritrace.supervision.filters import ComplaintFilter
from agritrace.supervision.models import Complaint, ComplaintStatus


class ComplaintSerializer(serializers.ModelSerializer):
    """A complaint as a regulator in scope sees it (read-only; changed through ``handle``).
    The contact phone is masked unless the user may handle the complaint."""

    tracking_number = serializers.CharField(read_only=True)
    overdue = serializers.BooleanField(read_only=True)
    contact_phone = serializers.SerializerMethodField()
    photos = serializers.SerializerMethodField()

    class Meta:
        model = Complaint
        fields = [
            "id",
            "number",
            "tracking_number",
            "category",
            "description",
            "contact_name",
            "contact_phone",
            "code_text",
            "trace_code",
            "producer",
            "batch",
            "county",
            "township",
            "created_at",
            "due_on",
            "overdue",
            "status",
            "reply",
            "internal_note",
            "handled_by",
            "handled_at",
            "photos",
        ]
        read_only_fields = fields

    def get_contact_phone(self, obj: Complaint) -> str:
        return scoping.contact_phone_for(self.context["request"].user, obj)

    def get_photos(self, obj: Complaint) -> list[str]:
        """URLs of the photos (served to regulators in scope only)."""
        return [
            public_url(reverse("supervision:complaint_photo", args=[obj.pk, photo.pk]))
            for photo in obj.photos.all()
        ]


class ComplaintHandleSerializer(serializers.Serializer):
    """Take up (``handling``), resolve or reject; closing needs the public ``reply`` (a closed
    complaint stays closed, and nothing goes back to ``received``)."""

    status = serializers.ChoiceField(choices=ComplaintStatus.choices)
    reply = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    internal_note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class ComplaintViewSet(ScopedViewSet):
    """Complaints from the public routed to the user's region (2020 spec Art. 23). Filed only
    through the public form, never created, edited or deleted here; ``handle`` moves one on.
    Producers have no access: a report protects the person who made it."""

    http_method_names = ["get", "post", "head", "options"]  # no PUT/PATCH/DELETE
    queryset = Complaint.objects.select_related("county", "township").prefetch_related("photos")
    serializer_class = ComplaintSerializer
    filterset_class = ComplaintFilter
    search_fields = ["number", "description"]

    @extend_schema(request=ComplaintHandleSerializer, responses=ComplaintSerializer)
    @action(detail=True, methods=["post"], scope_action="change")
    def handle(self, request: Request, pk: str | None = None) -> Response:
        """Change the status, with the public reply and the internal note."""
        body = ComplaintHandleSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        complaint = services.handle_complaint(
            self.get_object(),
            data["status"],
            by=request.user,
            reply=data.get("reply", ""),
            internal_note=data.get("internal_note", ""),
        )
        return Response(self.get_serializer(complaint).data)

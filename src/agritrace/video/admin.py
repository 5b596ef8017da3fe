"""Video admin (probe results are records: they are shown on the camera's page, not edited)."""

from __future__ import annotations

from django.contrib import admin

from agritrace.core.admin import ScopedAdmin
from agritrace.video.models import Camera


@admin.register(Camera)
class CameraAdmin(ScopedAdmin):
    list_display = ("name", "producer", "point_type", "active")
    list_filter = ("point_type", "active")
    search_fields = ("name", "producer__name")
    raw_id_fields = ("producer", "base")

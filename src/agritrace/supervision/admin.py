"""Supervision admin."""

from django.contrib import admin

from agritrace.core.admin import ScopedAdmin
from agritrace.supervision.models import FollowUp, Warning


@admin.register(Warning)
class WarningAdmin(ScopedAdmin):
    list_display = ("title", "kind", "severity", "region", "status", "created_at")
    list_filter = ("kind", "severity", "status")
    search_fields = ("title",)


@admin.register(FollowUp)
class FollowUpAdmin(ScopedAdmin):
    list_display = ("title", "producer", "organisation", "due_on", "status")
    list_filter = ("status",)

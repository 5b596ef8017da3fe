"""Warnings admin."""

from __future__ import annotations

from django.contrib import admin

from agritrace.alerts.models import FollowUp, Warning
from agritrace.core.admin import ScopedAdmin


@admin.register(Warning)
class WarningAdmin(ScopedAdmin):
    list_display = ("title", "kind", "severity", "region", "status", "created_at")
    list_filter = ("kind", "severity", "status")
    search_fields = ("title",)


@admin.register(FollowUp)
class FollowUpAdmin(ScopedAdmin):
    list_display = ("title", "producer", "organisation", "due_on", "status")
    list_filter = ("status",)

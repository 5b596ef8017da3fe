"""Complaints admin."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from agritrace.core.admin import ScopedAdmin
from agritrace.supervision.models import Complaint


@admin.register(Complaint)
class ComplaintAdmin(ScopedAdmin):
    list_display = ("number", "category", "county", "township", "status", "due_on", "created_at")
    list_filter = ("status", "category")
    search_fields = ("number",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        """Filed by the public only."""
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """A complaint is a record: kept."""
        return False

"""Admin base class: the Django admin reads through ``restrict`` like every other view."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from agritrace.core import scoping
from agritrace.core.models import ChangeRecord

admin.site.site_header = _("AgriTrace 农产品质量安全追溯管理")
admin.site.site_title = _("AgriTrace 管理")
admin.site.index_title = _("系统管理")


class ScopedAdmin(admin.ModelAdmin):
    """Non-superuser staff see and change only what ``restrict`` allows."""

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).restrict(request.user, "view")

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request, obj, "view")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._may(request, None, "add")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request, obj, "change")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request, obj, "delete")

    def _may(self, request: HttpRequest, obj: Any, action: str) -> bool:
        if obj is not None and obj.pk is not None:
            return scoping.in_scope(request.user, obj, action)
        return scoping.may(request.user, self.model, action)


class RecordAdmin(ScopedAdmin):
    """Records the rules keep and that change only through their own actions (codes,
    certificates, logs, scans): viewed here within scope, never added, edited or deleted."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ChangeRecord)
class ChangeRecordAdmin(admin.ModelAdmin):
    """Read-only: the change log is written by the platform, never edited."""

    list_display = ("time", "username", "action", "content_type", "object_repr", "source")
    list_filter = ("action", "content_type")
    search_fields = ("object_repr", "username", "object_id")
    date_hierarchy = "time"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

"""Coding admin: layouts are edited here; codes, rolls, print jobs, certificates and checks are
kept records that change only through their actions (void, recall, print)."""

from django.contrib import admin

from agritrace.coding.models import (
    Certificate,
    CodeEvent,
    CodeRoll,
    LabelLayout,
    MarketCheck,
    PrintJob,
    TraceCode,
)
from agritrace.core.admin import RecordAdmin, ScopedAdmin


@admin.register(CodeRoll)
class CodeRollAdmin(RecordAdmin):
    list_display = ("__str__", "producer", "batch", "count", "minted", "status")
    list_filter = ("status",)
    search_fields = ("producer__name", "note")


@admin.register(TraceCode)
class TraceCodeAdmin(RecordAdmin):
    list_display = ("code", "producer", "roll", "serial", "batch", "status", "scans")
    list_filter = ("status",)
    search_fields = ("code",)


@admin.register(CodeEvent)
class CodeEventAdmin(RecordAdmin):
    list_display = ("created_at", "action", "producer", "roll", "count", "to_status", "user")
    list_filter = ("action",)


@admin.register(LabelLayout)
class LabelLayoutAdmin(ScopedAdmin):
    list_display = ("name", "producer", "width_mm", "height_mm")
    search_fields = ("name",)


@admin.register(PrintJob)
class PrintJobAdmin(RecordAdmin):
    list_display = ("__str__", "producer", "roll", "output", "status", "finished_at")
    list_filter = ("status", "output")


@admin.register(Certificate)
class CertificateAdmin(RecordAdmin):
    list_display = ("number", "producer", "product_name", "quantity", "issued_on", "voided")
    list_filter = ("voided", "basis")
    search_fields = ("number", "product_name", "producer__name")


@admin.register(MarketCheck)
class MarketCheckAdmin(RecordAdmin):
    list_display = ("created_at", "kind", "valid", "market", "producer", "checked_by")
    list_filter = ("kind", "valid")
    search_fields = ("scanned", "market")

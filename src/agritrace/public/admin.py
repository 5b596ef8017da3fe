"""Public admin: the scans of ID cards, viewed within scope (they are recorded by the public
pages, never entered or edited)."""

from django.contrib import admin

from agritrace.core.admin import RecordAdmin
from agritrace.public.models import ScanEvent


@admin.register(ScanEvent)
class ScanEventAdmin(RecordAdmin):
    list_display = ("scanned_at", "code", "producer", "county", "client", "network")
    list_filter = ("client", "network")
    date_hierarchy = "scanned_at"

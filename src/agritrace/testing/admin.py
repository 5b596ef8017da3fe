"""Testing admin."""

from django.contrib import admin

from agritrace.core.admin import RecordAdmin, ScopedAdmin
from agritrace.testing.models import (
    Device,
    DeviceUpload,
    MaximumResidueLimit,
    SelfTestPlan,
    Technician,
    TechnicianTraining,
    TestRecord,
)


class TrainingInline(admin.TabularInline):
    model = TechnicianTraining
    extra = 0


@admin.register(Technician)
class TechnicianAdmin(ScopedAdmin):
    list_display = ("name", "producer", "organisation", "active")
    inlines = [TrainingInline]


@admin.register(Device)
class DeviceAdmin(ScopedAdmin):
    list_display = ("serial", "kind", "model_name", "producer", "organisation", "active")
    list_filter = ("kind", "active")
    search_fields = ("serial", "model_name")


@admin.register(TestRecord)
class TestRecordAdmin(ScopedAdmin):
    list_display = ("tested_at", "producer", "sample_name", "item", "method", "result")
    list_filter = ("method", "result", "purpose")
    search_fields = ("sample_name", "item", "device_record_id")
    date_hierarchy = "tested_at"


@admin.register(SelfTestPlan)
class SelfTestPlanAdmin(ScopedAdmin):
    list_display = ("__str__", "producer", "valid_from", "valid_to")


@admin.register(MaximumResidueLimit)
class LimitAdmin(admin.ModelAdmin):
    list_display = ("analyte", "food", "limit", "source")
    search_fields = ("analyte", "food")


@admin.register(DeviceUpload)
class DeviceUploadAdmin(RecordAdmin):
    list_display = ("created_at", "device", "source", "status", "records", "accepted", "conflicts")
    list_filter = ("status", "source")

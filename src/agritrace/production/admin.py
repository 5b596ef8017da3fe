"""Production admin."""

from django.contrib import admin

from agritrace.core.admin import ScopedAdmin
from agritrace.production.models import (
    Batch,
    BatchLink,
    Input,
    InputInterval,
    InputPurchase,
    ProductionRecord,
    Shipment,
)


class IntervalInline(admin.TabularInline):
    model = InputInterval
    extra = 0


@admin.register(Input)
class InputAdmin(ScopedAdmin):
    list_display = ("name", "kind", "registration_number", "default_interval_days", "producer")
    list_filter = ("kind",)
    search_fields = ("name", "registration_number", "active_ingredient")
    inlines = [IntervalInline]


@admin.register(InputPurchase)
class InputPurchaseAdmin(ScopedAdmin):
    list_display = ("purchased_on", "input", "producer", "quantity", "unit")


@admin.register(ProductionRecord)
class ProductionRecordAdmin(ScopedAdmin):
    list_display = ("date", "kind", "producer", "base", "batch", "input")
    list_filter = ("kind",)
    date_hierarchy = "date"


class LinkInline(admin.TabularInline):
    model = BatchLink
    fk_name = "child"
    extra = 0


@admin.register(Batch)
class BatchAdmin(ScopedAdmin):
    list_display = ("number", "product", "producer", "kind", "quantity", "status", "produced_on")
    list_filter = ("status", "kind")
    search_fields = ("number", "product__name", "producer__name")
    inlines = [LinkInline]


@admin.register(Shipment)
class ShipmentAdmin(ScopedAdmin):
    list_display = ("shipped_on", "batch", "buyer", "buyer_kind", "quantity")
    list_filter = ("buyer_kind",)

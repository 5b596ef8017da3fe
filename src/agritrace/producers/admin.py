"""Producer registry admin."""

from django.contrib import admin

from agritrace.core.admin import ScopedAdmin
from agritrace.producers.models import Equipment, Producer, ProductionBase, TracePoint


@admin.register(Producer)
class ProducerAdmin(ScopedAdmin):
    list_display = ("name", "kind", "uscc", "township", "status", "leading_level")
    list_filter = ("kind", "status", "leading_level", "scale_producer")
    search_fields = ("name", "uscc")
    autocomplete_fields = ("township",)
    readonly_fields = ("identity_code", "reviewed_at", "reviewed_by")


@admin.register(ProductionBase)
class ProductionBaseAdmin(ScopedAdmin):
    list_display = ("name", "producer", "kind", "area_mu", "township")
    list_filter = ("kind",)
    search_fields = ("name", "producer__name")
    autocomplete_fields = ("producer", "township")


@admin.register(TracePoint)
class TracePointAdmin(ScopedAdmin):
    list_display = ("name", "kind", "producer", "organisation", "township")
    list_filter = ("kind",)
    search_fields = ("name",)
    autocomplete_fields = ("producer", "township")


@admin.register(Equipment)
class EquipmentAdmin(ScopedAdmin):
    list_display = ("category", "model_name", "producer", "organisation", "dpi", "status")
    list_filter = ("category", "status")
    search_fields = ("model_name", "serial_number")
    autocomplete_fields = ("producer",)

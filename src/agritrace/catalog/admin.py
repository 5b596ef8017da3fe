"""Catalogue admin."""

from django.contrib import admin

from agritrace.catalog.models import Certification, Product, Standard, TrainingSession
from agritrace.core.admin import ScopedAdmin


@admin.register(Product)
class ProductAdmin(ScopedAdmin):
    list_display = ("name", "producer", "category", "variety", "gtin")
    list_filter = ("category",)
    search_fields = ("name", "gtin", "producer__name")
    autocomplete_fields = ("producer",)


@admin.register(Certification)
class CertificationAdmin(ScopedAdmin):
    list_display = ("__str__", "producer", "kind", "valid_to")
    list_filter = ("kind",)
    search_fields = ("number", "name", "producer__name")
    autocomplete_fields = ("producer",)


@admin.register(Standard)
class StandardAdmin(ScopedAdmin):
    list_display = ("number", "title", "level", "producer")
    list_filter = ("level",)
    search_fields = ("number", "title")


@admin.register(TrainingSession)
class TrainingSessionAdmin(ScopedAdmin):
    list_display = ("held_on", "topic", "producer")
    search_fields = ("topic",)

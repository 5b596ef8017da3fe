"""Region admin (searchable, for autocomplete fields)."""

from django.contrib import admin

from agritrace.regions.models import Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "full_name")
    list_filter = ("level",)
    search_fields = ("name", "full_name", "code")
    readonly_fields = ("path",)

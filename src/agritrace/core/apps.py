"""The core app."""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Connects the central change log to every AgriTrace model; names the empty choice of
    every select in the platform's languages."""

    name = "agritrace.core"
    label = "core"
    verbose_name = _("平台核心")

    def ready(self) -> None:
        from django.db.models import fields

        from agritrace.core import changelog

        changelog.connect()
        # Django 6.1's "- Select an option -" has no Chinese translation yet; Django asks
        # projects to set their own label here (django.db.models.fields.BLANK_CHOICE_LABEL).
        fields.BLANK_CHOICE_LABEL = _("请选择")

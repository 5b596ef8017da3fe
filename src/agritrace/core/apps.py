"""The core app."""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Connects the central change log to every AgriTrace model."""

    name = "agritrace.core"
    label = "core"
    verbose_name = _("平台核心")

    def ready(self) -> None:
        from agritrace.core import changelog

        changelog.connect()

"""The alerts app."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    """Warnings and follow-ups: raised by every domain's rules, handled by regulators."""

    name = "agritrace.alerts"
    label = "alerts"
    verbose_name = _("预警")

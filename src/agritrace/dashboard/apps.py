"""The dashboard app: each user's home (工作台) and the menu, both by role."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    """工作台."""

    name = "agritrace.dashboard"
    label = "dashboard"
    verbose_name = _("工作台")

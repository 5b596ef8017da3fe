"""The production app."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProductionConfig(AppConfig):
    """Production records and batches."""

    name = "agritrace.production"
    label = "production"
    verbose_name = _("生产记录与批次")

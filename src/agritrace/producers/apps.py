"""The producers app."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProducersConfig(AppConfig):
    """Producer registry."""

    name = "agritrace.producers"
    label = "producers"
    verbose_name = _("生产经营主体")

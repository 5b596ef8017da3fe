"""The supervision app."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    """The regulators' workflows: complaints from the public (warnings live in ``alerts``)."""

    name = "agritrace.supervision"
    label = "supervision"
    verbose_name = _("监督管理")

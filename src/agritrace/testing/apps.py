"""The testing app."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TestingConfig(AppConfig):
    """检验检测."""

    name = "agritrace.testing"
    label = "testing"
    verbose_name = _("检验检测")

"""The coding app."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CodingConfig(AppConfig):
    """追溯码、标签与合格证."""

    name = "agritrace.coding"
    label = "coding"
    verbose_name = _("追溯码与合格证")

    def ready(self) -> None:
        """Connect the signals."""
        from agritrace.coding import signals

        signals.connect(self)

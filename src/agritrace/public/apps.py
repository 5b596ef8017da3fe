"""The public app: what anyone sees without logging in."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    """公众查询."""

    name = "agritrace.public"
    label = "public"
    verbose_name = _("公众查询")

    def ready(self) -> None:
        """Drop cached ID-card parts when their records change."""
        from agritrace.public import card

        card.connect()

"""The producers app."""

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def ensure_industries(sender: AppConfig, *, using: str, **kwargs: Any) -> None:
    """The fixed industry rows exist after every ``migrate`` (and after a ``flush``, which
    emits the same signal)."""
    from agritrace.producers.choices import IndustryCode
    from agritrace.producers.models import Industry

    for code in IndustryCode.values:
        Industry.objects.using(using).get_or_create(code=code)


class ProducersConfig(AppConfig):
    """Producer registry."""

    name = "agritrace.producers"
    label = "producers"
    verbose_name = _("生产经营主体")

    def ready(self) -> None:
        """Keep the industry rows."""
        post_migrate.connect(ensure_industries, sender=self, dispatch_uid="producers_industries")

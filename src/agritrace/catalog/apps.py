"""The catalog app."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    """Products and certifications."""

    name = "agritrace.catalog"
    label = "catalog"
    verbose_name = _("产品与认证")

    def ready(self) -> None:
        from agritrace.catalog import signals  # noqa: F401

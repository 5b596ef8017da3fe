"""The accounts app."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Organisations, users and login activity."""

    name = "agritrace.accounts"
    label = "accounts"
    verbose_name = _("机构与账号")

    def ready(self) -> None:
        from agritrace.accounts import signals  # noqa: F401

"""Record every login attempt (success and failure) with its time and source."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from agritrace.accounts.services import record_login


@receiver(user_logged_in, dispatch_uid="agritrace-login-ok")
def _logged_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    record_login(request, user.get_username(), user=user, success=True)


@receiver(user_login_failed, dispatch_uid="agritrace-login-failed")
def _login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    record_login(request, str(credentials.get("username", ""))[:150], user=None, success=False)

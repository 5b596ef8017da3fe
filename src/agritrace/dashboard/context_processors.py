"""The menu in every page's context."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from agritrace.dashboard.menu import menu_for


def menu(request: HttpRequest) -> dict[str, Any]:
    """``menu``: the groups of links the signed-in user may open (computed when a template
    shows it)."""
    user = getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)
    view_name = match.view_name if match else ""
    return {"menu": SimpleLazyObject(lambda: menu_for(user, view_name) if user else [])}

"""DRF settings classes (permission, pagination, errors), importable by DRF's own settings."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import permissions
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response

from agritrace.core import scoping

METHOD_ACTIONS = {
    "GET": "view",
    "HEAD": "view",
    "OPTIONS": "view",
    "POST": "add",
    "PUT": "change",
    "PATCH": "change",
    "DELETE": "delete",
}


def action_for(request: Request, view: Any) -> str:
    """The scoping action of a request: a viewset's extra actions may name their own."""
    return getattr(view, "scope_action", None) or METHOD_ACTIONS.get(request.method or "", "view")


class ScopedPermission(permissions.BasePermission):
    """403 when the user's role may not do the action on this model at all.

    Out-of-scope objects never reach here: the viewset's queryset is restricted, so they 404.
    """

    def has_permission(self, request: Request, view: Any) -> bool:
        if not request.user or not request.user.is_authenticated:
            return False
        model = getattr(getattr(view, "queryset", None), "model", None)
        if model is None:
            return True
        return scoping.may(request.user, model, action_for(request, view))

    def has_object_permission(self, request: Request, view: Any, obj: Any) -> bool:
        action = action_for(request, view)
        return action == "view" or scoping.in_scope(request.user, obj, action)


class Pagination(PageNumberPagination):
    """``?page=`` and ``?page_size=`` (at most 500)."""

    page_size_query_param = "page_size"
    max_page_size = 500


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Django ``ValidationError`` raised by models and services becomes a 400 with field names."""
    if isinstance(exc, DjangoValidationError):
        detail = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        exc = DRFValidationError(detail=detail)
    from rest_framework.views import exception_handler as drf_exception_handler

    return drf_exception_handler(exc, context)

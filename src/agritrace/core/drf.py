"""DRF settings classes (permission, pagination, errors), importable by DRF's own settings."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import parsers, permissions, serializers, status
from rest_framework.exceptions import APIException, NotFound, ParseError
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


def object_id(**kwargs: Any) -> serializers.IntegerField:
    """A field naming a row by its id: 1 to the largest id a database column holds, so that no
    number reaches the database as an overflow (issue 11)."""
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


#: The largest primary key (a 64-bit signed integer column).
MAX_ID = 2**63 - 1


class Pagination(PageNumberPagination):
    """``?page=`` and ``?page_size=`` (at most 500)."""

    page_size_query_param = "page_size"
    max_page_size = 500


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Django ``ValidationError`` raised by models and services becomes a 400 with field names;
    a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` a 413 in JSON, in the user's language; a
    missing row DRF's own "not found" in the user's language (Django's ``get_object_or_404``
    message is English only and names the model's class)."""
    if isinstance(exc, Http404):
        exc = NotFound()
    if isinstance(exc, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        exc = BodyTooLarge(_("请求体超过 %(size)s 字节") % {"size": limit})
    if isinstance(exc, DjangoValidationError):
        detail = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        exc = DRFValidationError(detail=detail)
    from rest_framework.views import exception_handler as drf_exception_handler

    return drf_exception_handler(exc, context)


#: The deepest nesting a JSON body may have: the API's deepest body (an upload: object, list of
#: records, record, value) needs 4; the limit leaves room without letting a body nest 50,000 deep.
MAX_JSON_DEPTH = 32


class BodyTooLarge(APIException):
    """413: the body is larger than the platform accepts."""

    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser for bodies already bounded in size (DRF reads ``request.body``, which
    Django limits to ``DATA_UPLOAD_MAX_MEMORY_SIZE``; see :func:`exception_handler`): UTF-8,
    nested at most :data:`MAX_JSON_DEPTH` deep, no NaN or Infinity; every refusal a 400 with a
    message in the user's language (issue 11)."""

    def parse(
        self, stream: IO[bytes], media_type: str | None = None, parser_context: Any = None
    ) -> Any:
        return load_json(stream.read())


def load_json(body: bytes, *, max_depth: int = MAX_JSON_DEPTH, exact: bool = False) -> Any:
    """A JSON body as data, or :class:`ParseError` with the reason in the user's language:
    UTF-8 (a byte-order mark is tolerated), no ``NaN``/``Infinity``, nested at most
    ``max_depth`` deep; ``exact`` reads numbers with fractions as decimals (device readings)."""
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ParseError(
            _("请求体不是有效的 UTF-8 文本（第 %(position)s 字节）") % {"position": exc.start}
        ) from None
    try:
        data = json.loads(
            text, parse_constant=_refuse_constant, parse_float=Decimal if exact else None
        )
    except json.JSONDecodeError as exc:
        raise ParseError(
            _("请求体不是有效的 JSON：第 %(line)s 行第 %(column)s 列")
            % {"line": exc.lineno, "column": exc.colno}
        ) from None
    except (ValueError, RecursionError):
        raise ParseError(_("请求体不是有效的 JSON：不接受 NaN、Infinity 或过深的嵌套")) from None
    if depth(data) > max_depth:
        raise ParseError(_("请求体嵌套超过 %(depth)s 层") % {"depth": max_depth})
    return data


def _refuse_constant(name: str) -> Any:
    raise ValueError(name)


def depth(data: Any) -> int:
    """How deeply lists and objects nest in parsed JSON (a scalar is 0), without recursion."""
    deepest = 0
    pending = [(data, 1)] if isinstance(data, (dict, list)) else []
    while pending:
        node, level = pending.pop()
        deepest = max(deepest, level)
        children = node.values() if isinstance(node, dict) else node
        pending.extend((c, level + 1) for c in children if isinstance(c, (dict, list)))
    return deepest

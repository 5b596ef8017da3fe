"""Request middleware."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from agritrace.core.changelog import actor


class ChangeContextMiddleware:
    """Attributes every change made during a request to its user, path and address."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        source = f"{request.method} {request.path}"
        with actor(source=source, remote_addr=request.META.get("REMOTE_ADDR"), request=request):
            return self.get_response(request)

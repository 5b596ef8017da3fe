"""URL helpers: the same five pages for every scoped model, and the one place that makes an
absolute URL from the public base URL."""

from __future__ import annotations

from django.conf import settings
from django.urls import URLPattern, path
from django.views import View

#: Page → (route after the prefix, URL name suffix).
ROUTES = {
    "list": ("", "list"),
    "add": ("add/", "add"),
    "detail": ("<int:pk>/", "detail"),
    "edit": ("<int:pk>/edit/", "edit"),
    "delete": ("<int:pk>/delete/", "delete"),
}


def crud(prefix: str, name: str, views: dict[str, type[View]]) -> list[URLPattern]:
    """``prefix/`` list, ``prefix/add/``, ``prefix/<pk>/``, ``…/edit/``, ``…/delete/`` for the
    pages given (``views``: page → view class)."""
    return [
        path(f"{prefix}/{ROUTES[page][0]}", view.as_view(), name=f"{name}_{ROUTES[page][1]}")
        for page, view in views.items()
    ]


def public_url(path: str) -> str:
    """``path`` (starting with ``/``) under ``AGRITRACE_PUBLIC_BASE_URL``: every absolute URL
    the platform prints (QR codes, labels, certificates, API links, exports) is made here, so
    that one setting (``agritrace demo --port N`` sets it) decides them all."""
    if not path.startswith("/"):
        raise ValueError(f"public_url needs an absolute path, not {path!r}")
    return settings.PUBLIC_BASE_URL + path

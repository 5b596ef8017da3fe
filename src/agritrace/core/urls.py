"""URL helper: the same five pages for every scoped model."""

from __future__ import annotations

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

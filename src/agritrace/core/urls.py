"""URL helper: the same five pages for every scoped model."""

from __future__ import annotations

from django.urls import URLPattern, path
from django.views import View


def crud(
    prefix: str,
    name: str,
    *,
    list_view: type[View],
    detail: type[View],
    add: type[View],
    edit: type[View],
    delete: type[View],
) -> list[URLPattern]:
    """``prefix/`` list, ``prefix/add/``, ``prefix/<pk>/``, ``…/edit/``, ``…/delete/``."""
    return [
        path(f"{prefix}/", list_view.as_view(), name=f"{name}_list"),
        path(f"{prefix}/add/", add.as_view(), name=f"{name}_add"),
        path(f"{prefix}/<int:pk>/", detail.as_view(), name=f"{name}_detail"),
        path(f"{prefix}/<int:pk>/edit/", edit.as_view(), name=f"{name}_edit"),
        path(f"{prefix}/<int:pk>/delete/", delete.as_view(), name=f"{name}_delete"),
    ]

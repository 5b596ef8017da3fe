"""Template context shared by every page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def platform(request: HttpRequest) -> dict[str, Any]:
    """The public base URL."""
    return {"PUBLIC_BASE_URL": settings.PUBLIC_BASE_URL}

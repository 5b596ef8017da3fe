"""Region picker: options matching a name, within the user's scope."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from agritrace.core.forms import scoped_choices
from agritrace.regions.models import Level, Region


@login_required
def pick(request: HttpRequest) -> HttpResponse:
    """``?q=安化&level=township``: up to 50 ``<option>`` elements for a region ``<select>``."""
    regions = scoped_choices(Region.objects.all(), request.user)
    level = request.GET.get("level", "")
    if level in Level.values:
        regions = regions.filter(level=level)
    text = request.GET.get("q", "").strip()
    if text:
        regions = regions.search(text)
    return render(request, "regions/options.html", {"regions": regions[:50]})

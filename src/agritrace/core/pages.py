"""Platform-wide pages: health, home and the region picker."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from agritrace.core.forms import scoped_choices
from agritrace.regions.models import Level, Region


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@login_required
def region_pick(request: HttpRequest) -> HttpResponse:
    """``?q=安化&level=township``: up to 50 ``<option>`` elements for a region ``<select>``
    (:class:`agritrace.regions.widgets.RegionSelect`), within the user's scope."""
    regions = scoped_choices(Region.objects.all(), request.user)
    level = request.GET.get("level", "")
    if level in Level.values:
        regions = regions.filter(level=level)
    text = request.GET.get("q", "").strip()
    if text:
        regions = regions.search(text)
    return render(request, "regions/options.html", {"regions": regions[:50]})


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Signed-in users land on their home (工作台), by role."""
    return redirect("dashboard:home")

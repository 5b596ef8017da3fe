"""Platform-wide pages: health, home, the public producer card."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from agritrace.core import codes


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Producers land on their own producer; regulators on the producer list."""
    if request.user.producer_id:
        return redirect("producers:mine")
    return redirect("producers:producer_list")


def producer_card(request: HttpRequest, code: str) -> HttpResponse:
    """Public page behind the producer identity QR (主体身份码): who the producer is; the
    contact phone is masked for anyone who is not the producer or its regulator."""
    from agritrace.core.scoping import contact_phone_for
    from agritrace.producers.models import PRODUCER_CODE_LENGTH, Producer

    try:
        canonical = codes.validate(code, PRODUCER_CODE_LENGTH)
    except codes.InvalidCode:
        raise Http404 from None
    producer = (
        Producer.objects.select_related("township__parent__parent")
        .prefetch_related("industries")
        .filter(identity_code=canonical)
        .first()
    )
    if producer is None:
        raise Http404
    context = {"producer": producer, "phone": contact_phone_for(request.user, producer)}
    return render(request, "core/producer_card.html", context)

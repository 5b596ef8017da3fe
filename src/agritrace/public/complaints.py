"""Public complaint pages (no login; 2020 spec Art. 23 "强化社会监督，及时受理投诉举报"): the
form reached from a product's ID card, the tracking number it returns, and the lookup by that
number. Rate-limited per client; the rules live in ``supervision.services``."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from agritrace.core.throttle import Limit
from agritrace.supervision import services
from agritrace.supervision.forms import ComplaintForm


def filing_limit() -> Limit:
    """Complaints filed per client per hour."""
    return Limit("complaint", settings.AGRITRACE_COMPLAINTS_PER_HOUR, 3600)


def lookup_limit() -> Limit:
    """Tracking lookups per client per minute (a brake on guessing numbers)."""
    return Limit("complaint-lookup", settings.AGRITRACE_COMPLAINT_LOOKUPS_PER_MINUTE, 60)


def too_many(request: HttpRequest, limit: Limit) -> HttpResponse:
    """429 with a plain page saying when to try again; nothing of the request is kept."""
    response = render(
        request, "public/complaint_limited.html", {"minutes": limit.seconds // 60}, status=429
    )
    response["Retry-After"] = str(limit.seconds)
    return response


@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    """``/complaints/new/?code=<trace code>``: the form; on success the tracking number."""
    if request.method == "POST":
        limit = filing_limit()
        if limit.exceeded(request):
            return too_many(request, limit)
        form = ComplaintForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                complaint = form.save()
            except ValidationError as error:
                form.add_error(None, error)
            else:
                limit.hit(request)
                return render(request, "public/complaint_filed.html", {"complaint": complaint})
        status = 400
    else:
        code = request.GET.get("code", "")[:300]
        limit = lookup_limit()
        if code and not limit.hit(request):  # the form shows whose code it is: no probing
            return too_many(request, limit)
        form = ComplaintForm(initial={"code": code})
        status = 200
    code_text = form["code"].value() or ""
    routing = services.resolve_code(code_text)
    context = {"form": form, "code_text": code_text, "routing": routing}
    return render(request, "public/complaint_form.html", context, status=status)


@require_http_methods(["GET"])
def track(request: HttpRequest) -> HttpResponse:
    """``/complaints/track/``: the lookup form; a well-formed number goes to its status page."""
    text = request.GET.get("number", "").strip()
    if not text:
        return render(request, "public/complaint_track.html", {})
    try:
        number = services.parse_tracking_number(text)
    except ValidationError as error:
        context = {"number": text[:40], "error": error.message_dict["number"][0]}
        return render(request, "public/complaint_track.html", context, status=400)
    return redirect("public:complaint_status", number=number)


@require_http_methods(["GET"])
def status(request: HttpRequest, number: str) -> HttpResponse:
    """``/complaints/track/<number>/``: status, received and due dates, the public reply —
    never the contact, the description or the internal note."""
    limit = lookup_limit()
    if not limit.hit(request):
        return too_many(request, limit)
    try:
        complaint = services.find_complaint(number)
    except ValidationError as error:
        context = {"number": number[:40], "error": error.message_dict["number"][0]}
        return render(request, "public/complaint_track.html", context, status=400)
    if complaint is None:
        context = {"number": number[:40], "not_found": True}
        return render(request, "public/complaint_track.html", context, status=404)
    return render(request, "public/complaint_status.html", {"complaint": complaint})

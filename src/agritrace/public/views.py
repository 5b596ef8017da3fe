"""Public pages behind the QR codes: the front door (``/``: type or scan a code, verify a
certificate, track a complaint, issue 13), a trace code's ID card (``/t/<code>``, and the GS1
Digital Link form), a certificate of compliance's verification page (``/c/<number>``), a
producer's identity page (``/p/<code>``), the language switch. No login; mobile-first; the
code lookup is one indexed query and the producer and batch parts come from the cache
(issue 7)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from agritrace.coding.choices import CheckedKind, CodeStatus
from agritrace.coding.models import CODE_LENGTH, Certificate
from agritrace.coding.services import checks, links
from agritrace.core import codes
from agritrace.core.scoping import contact_phone_for
from agritrace.core.tables import Col
from agritrace.core.throttle import Limit, client_address
from agritrace.core.views import CrudViews
from agritrace.producers.models import PRODUCER_CODE_LENGTH, Producer
from agritrace.public import card, scans
from agritrace.public.api import StatsQuery
from agritrace.public.filters import ScanEventFilter
from agritrace.public.models import ScanEvent
from agritrace.public.stats import GROUPS, coverage, scan_stats

#: How long the unknown-code counter of a client network lives (seconds).
ENUMERATION_WINDOW = 600


def _front(request: HttpRequest, status: int = 200, **context: Any) -> HttpResponse:
    return render(request, "public/home.html", {"coverage": coverage(), **context}, status=status)


@require_GET
def front_door(request: HttpRequest) -> HttpResponse:
    """``/``: a visitor without an account types or scans a trace code, verifies a certificate,
    tracks a complaint and sees what the platform covers; a signed-in user goes to their home."""
    if request.user.is_authenticated:
        return redirect("dashboard:home")
    return _front(request)


@require_GET
def lookup(request: HttpRequest) -> HttpResponse:
    """``/go?q=…``: the front door's boxes without script. A trace code (bare, its URL or a GS1
    Digital Link) goes to its ID card, a certificate number (``as=certificate``, or a ``/c/``
    URL) to its verification page; anything else is a 400 on the front door saying what is
    wrong (:func:`agritrace.coding.services.links.read_scan`, as at a market check)."""
    text = request.GET.get("q", "").strip()[:200]
    box = "certificate" if request.GET.get("as") == "certificate" else "code"
    if not text:
        return redirect("home")
    scanned = links.read_scan(text)
    if scanned.kind == CheckedKind.UNKNOWN:
        return _front(request, 400, error=scanned.problem, box=box, text=text)
    if box == "certificate" or scanned.kind == CheckedKind.CERTIFICATE:
        return redirect("public:certificate", number=scanned.value)
    return redirect("public:code", code=scanned.value)


def _canonical(text: str) -> str:
    """The code in canonical form, or 404 for anything that is not one."""
    found = codes.validate_or_none(text, CODE_LENGTH)
    if found is None:
        raise Http404
    return found


def _network(request: HttpRequest) -> str:
    return scans.network_of(client_address(request))


def enumeration_limit() -> Limit:
    """Unknown or malformed codes asked for by one client network (a /24 or /48)."""
    return Limit(
        "unknown-codes",
        settings.AGRITRACE_UNKNOWN_CODES_PER_CLIENT,
        ENUMERATION_WINDOW,
        client=_network,
    )


def _unknown(request: HttpRequest, reason: str) -> HttpResponse:
    """The plain "not a valid code" page; a network asking for many unknown codes in a short
    time (enumeration) gets 429."""
    if not enumeration_limit().hit(request):
        response = render(request, "public/too_many.html", status=429)
        response["Retry-After"] = str(ENUMERATION_WINDOW)
        return response
    return render(request, "public/unknown.html", {"reason": reason}, status=404)


@require_GET
def code_card(request: HttpRequest, code: str) -> HttpResponse:
    """The product ID card of a trace code (2021 notice: 产品"身份证"). The page says plainly when
    the code is not yet active or voided, and warns prominently when its batch is recalled;
    every scan is recorded."""
    canonical = codes.validate_or_none(code, CODE_LENGTH)
    found = card.find(canonical) if canonical else None
    if found is None:
        return _unknown(request, "unknown" if canonical else "malformed")
    return _card(request, found)


def _card(request: HttpRequest, found: card.Found) -> HttpResponse:
    """The ID card of a found code; the scan is recorded."""
    now = timezone.now()
    scans.BUFFER.add(
        scans.Scan(
            code_id=found.pk,
            producer_id=found.producer_id,
            batch_id=found.batch_id,
            county_id=found.county_id,
            at=now,
            client=scans.client_of(request.META.get("HTTP_USER_AGENT", "")),
            language=translation.get_language() or "",
            network=_network(request),
        )
    )
    return HttpResponse(card.page(found, request.get_full_path(), now))


@require_GET
def digital_link(request: HttpRequest, gtin: str, serial: str, lot: str = "") -> HttpResponse:
    """GS1 Digital Link ``/01/{gtin}/10/{lot}/21/{serial}``: the same page as ``/t/{serial}``
    when the GTIN and lot match the code's product and batch."""
    code = links.code_from_digital_link(request.path)
    if code is None:
        return _unknown(request, "malformed")
    found = card.find(code)
    if found is None or not found.named_by(gtin, lot):
        return _unknown(request, "unknown")
    return _card(request, found)


@require_GET
def certificate_card(request: HttpRequest, number: str) -> HttpResponse:
    """A certificate of compliance as anyone scanning it sees it: valid or not, and what it
    certifies, with a link to its batch's ID card."""
    certificate = (
        Certificate.objects.select_related("batch__product")
        .filter(number=_canonical(number))
        .first()
    )
    if certificate is None:
        return _unknown(request, "unknown")
    verdict = checks.certificate_verdict(certificate)
    code = certificate.batch.trace_codes.filter(status=CodeStatus.ACTIVE).first()
    return render(
        request,
        "public/certificate.html",
        {"certificate": certificate, "verdict": verdict, "code": code},
    )


def producer_card(request: HttpRequest, code: str) -> HttpResponse:
    """The page behind the producer identity QR (主体身份码): who the producer is; the contact
    phone is masked for anyone who is not the producer or its regulator."""
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
    return render(request, "public/producer_card.html", context)


@require_GET
def language(request: HttpRequest, code: str) -> HttpResponseRedirect:
    """Switch the language (a cookie) and go back: a plain link, so public pages need no
    form or script for it."""
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = "/"
    response = HttpResponseRedirect(target)
    if code in dict(settings.LANGUAGES):
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, code, max_age=365 * 24 * 3600,
                            samesite="Lax")  # fmt: skip
    return response


class ScanStats(LoginRequiredMixin, TemplateView):
    """Scan statistics for regulators and producers, within their scope: ``?group=`` code,
    batch, producer or county; ``?since=``/``?until=`` dates."""

    template_name = "public/scan_stats.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        query = StatsQuery(data=self.request.GET)
        data = query.validated_data if query.is_valid() else {"group": "producer"}
        return super().get_context_data(**kwargs) | {
            "rows": scan_stats(self.request.user, **data),
            "group": data["group"],
            "groups": GROUPS,
            "errors": query.errors,
        }


class ScanViews(CrudViews):
    model = ScanEvent
    form_class = None
    filterset_class = ScanEventFilter
    pages = ("list", "detail")
    columns = (
        Col(gettext_lazy("扫码时间"), "scanned_at", link=True),
        Col(gettext_lazy("追溯码"), "code.code"),
        Col(gettext_lazy("生产经营主体"), "producer.name"),
        Col(gettext_lazy("批次"), "batch.number"),
        Col(gettext_lazy("客户端"), "client"),
        Col(gettext_lazy("网络段"), "network"),
    )
    related = ("code", "producer", "batch")

"""Public pages behind the QR codes: a trace code's ID card (``/t/<code>``, and the GS1 Digital
Link form), a certificate of compliance's verification page (``/c/<number>``)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from agritrace.coding import services
from agritrace.coding.models import CODE_LENGTH, Certificate, TraceCode
from agritrace.core import codes


def _canonical(text: str) -> str:
    """The code in canonical form, or 404 for anything that is not one."""
    found = codes.validate_or_none(text, CODE_LENGTH)
    if found is None:
        raise Http404
    return found


def code_card(request: HttpRequest, code: str) -> HttpResponse:
    """The product ID card of a trace code: the page says plainly when the code is not yet
    active, voided, or its batch recalled (2021 notice: 产品"身份证")."""
    trace_code = (
        TraceCode.objects.select_related("batch__product", "producer__township")
        .filter(code=_canonical(code))
        .first()
    )
    if trace_code is None:
        raise Http404
    verdict = services.judge_scan(trace_code.code)
    certificates = (
        Certificate.objects.filter(batch=trace_code.batch, voided=False)
        if trace_code.batch_id
        else Certificate.objects.none()
    )
    return render(
        request,
        "public/code.html",
        {"code": trace_code, "verdict": verdict, "certificates": certificates},
    )


def digital_link(request: HttpRequest, gtin: str, serial: str, lot: str = "") -> HttpResponse:
    """GS1 Digital Link ``/01/{gtin}/10/{lot}/21/{serial}``: the same page as ``/t/{serial}``
    when the GTIN and lot match the code's product and batch."""
    code = services.code_from_digital_link(request.path)
    if code is None:
        raise Http404
    trace_code = TraceCode.objects.select_related("batch__product").filter(code=code).first()
    if trace_code is None or trace_code.batch is None:
        raise Http404
    if trace_code.batch.product.gtin.zfill(14) != gtin.zfill(14) or lot not in (
        "",
        trace_code.batch.number,
    ):
        raise Http404
    return code_card(request, code)


def certificate_card(request: HttpRequest, number: str) -> HttpResponse:
    """A certificate of compliance as anyone scanning it sees it: valid or not, and what it
    certifies."""
    certificate = (
        Certificate.objects.select_related("batch").filter(number=_canonical(number)).first()
    )
    if certificate is None:
        raise Http404
    verdict = services.judge_scan(services.certificate_url(certificate.number))
    codes_of_batch = certificate.batch.trace_codes.filter(status="active")[:1]
    return render(
        request,
        "public/certificate.html",
        {"certificate": certificate, "verdict": verdict, "code": next(iter(codes_of_batch), None)},
    )

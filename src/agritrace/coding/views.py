"""Coding pages: code rolls, trace codes, scan-to-bind, label layouts, print jobs, certificates,
market checks. Declarative; the rules live in ``services``."""

from __future__ import annotations

from typing import Any

import segno
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from agritrace.catalog.models import Product
from agritrace.catalog.services import id_card_grounds
from agritrace.coding import forms
from agritrace.coding.choices import CodeStatus
from agritrace.coding.filters import (
    CertificateFilter,
    CodeEventFilter,
    CodeRollFilter,
    IdCardFilter,
    LabelLayoutFilter,
    MarketCheckFilter,
    PrintJobFilter,
    TraceCodeFilter,
)
from agritrace.coding.models import (
    Certificate,
    CodeEvent,
    CodeRoll,
    LabelLayout,
    MarketCheck,
    PrintJob,
    TraceCode,
)
from agritrace.coding.services import binding, certificates, checks, links, minting
from agritrace.coding.services.idcards import with_id_card
from agritrace.core.formats import clauses, listed
from agritrace.core.tables import Col
from agritrace.core.views import CrudViews, ScopedActionView, ScopedListView, ScopedMixin

KEPT_PAGES = ("list", "add", "detail")


class RollViews(CrudViews):
    model = CodeRoll
    form_class = forms.MintForm
    filterset_class = CodeRollFilter
    pages = KEPT_PAGES
    detail_template = "coding/coderoll_detail.html"
    columns = (
        Col(gettext_lazy("码卷"), "__str__", link=True),
        Col(gettext_lazy("生产经营主体"), "producer.name"),
        Col(gettext_lazy("绑定批次"), "batch.number"),
        Col(gettext_lazy("数量"), "count"),
        Col(gettext_lazy("已生成"), "minted"),
        Col(gettext_lazy("状态"), "status"),
        Col(gettext_lazy("备注"), "note"),
        Col(gettext_lazy("创建时间"), "created_at"),
    )
    related = ("producer", "batch")

    @staticmethod
    def detail_context(obj: CodeRoll) -> dict[str, Any]:
        return {
            "summary": {
                CodeStatus(status).label: n for status, n in minting.roll_summary(obj).items()
            },
            "codes": obj.codes.select_related("batch")[:20],
            "events": obj.events.select_related("batch", "user")[:20],
            "jobs": obj.print_jobs.all()[:10],
            "void_form": forms.VoidForm(),
        }


class CodeViews(CrudViews):
    model = TraceCode
    form_class = None
    filterset_class = TraceCodeFilter
    pages = ("list", "detail")
    detail_template = "coding/tracecode_detail.html"
    columns = (
        Col(gettext_lazy("追溯码"), "code", link=True),
        Col(gettext_lazy("码卷"), "roll_id"),
        Col(gettext_lazy("卷内序号"), "serial"),
        Col(gettext_lazy("批次"), "batch.number"),
        Col(gettext_lazy("状态"), "status"),
    )
    related = ("batch",)

    @staticmethod
    def detail_context(obj: TraceCode) -> dict[str, Any]:
        link = (
            links.digital_link(obj.batch.product.gtin, obj.batch.number, obj.code)
            if obj.batch
            else None
        )
        return {
            "url": links.code_url(obj.code),
            "digital_link": link,
            "qr": segno.make_qr(links.code_url(obj.code), error="m").svg_inline(scale=4),
            "events": CodeEvent.objects.filter(
                roll=obj.roll, first_serial__lte=obj.serial, last_serial__gte=obj.serial
            )[:50],
        }


class EventViews(CrudViews):
    model = CodeEvent
    form_class = None
    filterset_class = CodeEventFilter
    pages = ("list", "detail")
    columns = (
        Col(gettext_lazy("时间"), "created_at", link=True),
        Col(gettext_lazy("操作"), "action"),
        Col(gettext_lazy("码卷"), "roll_id"),
        Col(gettext_lazy("起始序号"), "first_serial"),
        Col(gettext_lazy("结束序号"), "last_serial"),
        Col(gettext_lazy("涉及码数"), "count"),
        Col(gettext_lazy("批次"), "batch.number"),
        Col(gettext_lazy("原因"), "reason"),
        Col(gettext_lazy("操作人"), "user"),
    )
    related = ("batch", "user")


class LayoutViews(CrudViews):
    model = LabelLayout
    form_class = forms.LabelLayoutForm
    filterset_class = LabelLayoutFilter
    columns = (
        Col(gettext_lazy("名称"), "name", link=True),
        Col(gettext_lazy("宽（毫米）"), "width_mm"),
        Col(gettext_lazy("高（毫米）"), "height_mm"),
        Col(gettext_lazy("生产经营主体"), "producer.name"),
    )
    related = ("producer",)


class PrintViews(CrudViews):
    model = PrintJob
    form_class = forms.PrintJobForm
    filterset_class = PrintJobFilter
    pages = KEPT_PAGES
    detail_template = "coding/printjob_detail.html"
    columns = (
        Col(gettext_lazy("打印任务"), "__str__", link=True),
        Col(gettext_lazy("码卷"), "roll_id"),
        Col(gettext_lazy("起始序号"), "first_serial"),
        Col(gettext_lazy("结束序号"), "last_serial"),
        Col(gettext_lazy("输出格式"), "output"),
        Col(gettext_lazy("重印"), "reprint"),
        Col(gettext_lazy("状态"), "status"),
        Col(gettext_lazy("操作人"), "created_by"),
        Col(gettext_lazy("创建时间"), "created_at"),
    )
    related = ("created_by",)


class CertificateViews(CrudViews):
    model = Certificate
    form_class = forms.CertificateForm
    filterset_class = CertificateFilter
    pages = KEPT_PAGES
    detail_template = "coding/certificate_detail.html"
    columns = (
        Col(gettext_lazy("合格证编号"), "number", link=True),
        Col(gettext_lazy("产品名称"), "product_name"),
        Col(gettext_lazy("数量（重量）"), "quantity"),
        Col(gettext_lazy("单位"), "unit"),
        Col(gettext_lazy("生产者名称"), "producer_name"),
        Col(gettext_lazy("批次"), "batch.number"),
        Col(gettext_lazy("开具日期"), "issued_on"),
        Col(gettext_lazy("承诺依据"), "basis"),
        Col(gettext_lazy("已作废"), "voided"),
    )
    related = ("batch",)

    @staticmethod
    def detail_context(obj: Certificate) -> dict[str, Any]:
        url = links.certificate_url(obj.number)
        return {
            "url": url,
            "qr": segno.make_qr(url, error="m").svg_inline(scale=4),
            "reason_form": forms.ReasonForm(),
        }


class CheckViews(CrudViews):
    model = MarketCheck
    form_class = None
    filterset_class = MarketCheckFilter
    pages = ("list", "detail")
    add_url_name = "coding:check"
    columns = (
        Col(gettext_lazy("时间"), "created_at", link=True),
        Col(gettext_lazy("类别"), "kind"),
        Col(gettext_lazy("扫描内容"), "scanned"),
        Col(gettext_lazy("有效"), "valid"),
        Col(gettext_lazy("说明"), "reason"),
        Col(gettext_lazy("市场/查验点"), "market"),
        Col(gettext_lazy("查验人"), "checked_by"),
    )
    related = ("checked_by",)


class Bind(ScopedMixin, View):
    """Scan-to-bind: a barcode scanner types the code and Enter; each scan binds the code to the
    chosen batch and answers with a confirmation line (and a beep); a range binds from the first
    scanned code to the last of the same roll."""

    model = TraceCode
    scope_action = "change"
    template_name = "coding/bind.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        form = forms.BindForm(user=request.user, initial=request.GET.dict())
        return render(request, self.template_name, {"form": form})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = forms.BindForm(request.POST, user=request.user)
        context: dict[str, Any] = {"form": form}
        if form.is_valid():
            data = form.cleaned_data
            try:
                first, count = binding.bind_scanned(
                    data["code"], data["last"], data["batch"], user=request.user
                )
            except ValidationError as error:
                context |= {"ok": False, "message": clauses(error.messages)}
            else:
                context |= {
                    "ok": True,
                    "message": _("已绑定 %(n)s 个：%(code)s → %(batch)s")
                    % {"n": count, "code": first.code, "batch": data["batch"].number},
                }
        else:
            context |= {
                "ok": False,
                "message": clauses(m for errors in form.errors.values() for m in errors),
            }
        template = "coding/bind_result.html" if request.htmx else self.template_name
        return render(request, template, context, status=200 if context["ok"] else 400)


class RollVoid(ScopedActionView):
    """Void a range of a roll's codes."""

    model = CodeRoll
    form_class = forms.VoidForm

    def act(self, roll: CodeRoll, data: dict[str, Any]) -> str:
        count = binding.void(
            roll,
            data["first_serial"],
            data["last_serial"],
            data["reason"],
            user=self.request.user,
        )
        return _("已作废 %(n)s 个追溯码") % {"n": count}


class CertificateVoid(ScopedActionView):
    """Void a certificate with the reason."""

    model = Certificate
    form_class = forms.ReasonForm

    def act(self, certificate: Certificate, data: dict[str, Any]) -> str:
        certificates.void_certificate(certificate, data["reason"])
        return _("合格证已作废")


class CertificatePdf(ScopedMixin, View):
    """A certificate as a printable PDF."""

    model = Certificate

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        certificate = get_object_or_404(self.get_queryset(), pk=pk)
        response = HttpResponse(
            certificates.certificate_pdf(certificate), content_type="application/pdf"
        )
        response["Content-Disposition"] = f'inline; filename="certificate-{certificate.number}.pdf"'
        return response


class PrintDownload(ScopedMixin, View):
    """A print job's file."""

    model = PrintJob

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        job = get_object_or_404(self.get_queryset(), pk=pk)
        if not job.file:
            return redirect(job)
        return FileResponse(
            job.file.open("rb"), as_attachment=True, filename=job.file.name.rsplit("/", 1)[-1]
        )


class Check(ScopedMixin, View):
    """The market-check page: scan a trace code or certificate, see valid/invalid at once; the
    check is recorded."""

    model = MarketCheck
    scope_action = "add"
    template_name = "coding/check.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(
            request,
            self.template_name,
            {"form": forms.CheckForm(initial={"market": request.session.get("market", "")})},
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        form = forms.CheckForm(request.POST)
        context: dict[str, Any] = {"form": form}
        status = 400
        if form.is_valid():
            request.session["market"] = form.cleaned_data["market"]
            try:
                context["check"] = checks.record_check(
                    form.cleaned_data["scanned"],
                    user=request.user,
                    market=form.cleaned_data["market"],
                )
                status = 200
            except ValidationError as error:
                context["error"] = clauses(error.messages)
            form = forms.CheckForm(initial={"market": form.cleaned_data["market"]})
            context["form"] = form
        return render(request, self.template_name, context, status=status)


class GroundsCol(Col):
    """The certifications that require a product to carry the ID card."""

    def value(self, obj: Any) -> str:
        return listed(id_card_grounds(obj))


class IdCardList(ScopedListView):
    """The products within the user's scope that must carry the ID card (2020 spec Art. 13),
    with what requires it and whether they have one: the regulators' list of who still lacks
    it (``?has_id_card=false``)."""

    model = Product
    filterset_class = IdCardFilter
    columns = (
        Col(gettext_lazy("产品名称"), "name", link=True),
        Col(gettext_lazy("生产经营主体"), "producer.name"),
        Col(gettext_lazy("所在乡镇"), "producer.township.name"),
        Col(gettext_lazy("产品类别"), "category"),
        GroundsCol(gettext_lazy("依据（第十三条）"), "id_card_grounds"),
        Col(gettext_lazy("已有“身份证”"), "has_id_card"),
    )

    def get_queryset(self) -> Any:
        products = super().get_queryset().select_related("producer__township")
        return with_id_card(products).filter(id_card_required=True)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        """Titled as the Art. 13 list; products are added on their own page."""
        context = super().get_context_data(**kwargs)
        context["title"] = gettext_lazy("实行“身份证”管理的产品")
        context["add_url"] = None
        return context

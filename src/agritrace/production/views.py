"""Production pages: inputs, purchases, records, batches (harvest, split, trace), shipments."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from agritrace.core.exports import xlsx_response
from agritrace.core.tables import Col
from agritrace.core.views import CrudViews, ScopedActionView, ScopedMixin
from agritrace.production import forms, services
from agritrace.production.filters import (
    BatchFilter,
    InputFilter,
    InputPurchaseFilter,
    ProductionRecordFilter,
    ShipmentFilter,
)
from agritrace.production.flow import steps
from agritrace.production.models import Batch, Input, InputPurchase, ProductionRecord, Shipment
from agritrace.production.trace import balances, by_buyer, sections, trace, trace_xlsx


class InputViews(CrudViews):
    model = Input
    form_class = forms.InputForm
    filterset_class = InputFilter
    columns = (
        Col(gettext_lazy("名称"), "name", link=True),
        Col(gettext_lazy("类别"), "kind"),
        Col(gettext_lazy("登记证号/批准文号"), "registration_number"),
        Col(gettext_lazy("有效成分"), "active_ingredient"),
        Col(gettext_lazy("安全间隔期/休药期（天）"), "default_interval_days"),
        Col(gettext_lazy("生产经营主体"), "producer.name"),
    )
    related = ("producer",)


class PurchaseViews(CrudViews):
    model = InputPurchase
    form_class = forms.InputPurchaseForm
    filterset_class = InputPurchaseFilter
    columns = (
        Col(gettext_lazy("购买日期"), "purchased_on", link=True),
        Col(gettext_lazy("投入品"), "input"),
        Col(gettext_lazy("供应商"), "supplier"),
        Col(gettext_lazy("数量"), "quantity"),
        Col(gettext_lazy("单位"), "unit"),
        Col(gettext_lazy("生产批号"), "lot"),
        Col(gettext_lazy("生产经营主体"), "producer.name"),
    )
    related = ("producer", "input")


class RecordViews(CrudViews):
    model = ProductionRecord
    form_class = forms.ProductionRecordForm
    filterset_class = ProductionRecordFilter
    columns = (
        Col(gettext_lazy("日期"), "date", link=True),
        Col(gettext_lazy("记录类型"), "kind"),
        Col(gettext_lazy("基地"), "base.name"),
        Col(gettext_lazy("批次"), "batch.number"),
        Col(gettext_lazy("投入品"), "input.name"),
        Col(gettext_lazy("用量"), "dose"),
        Col(gettext_lazy("操作人"), "operator"),
        Col(gettext_lazy("备注"), "note"),
        Col(gettext_lazy("生产经营主体"), "producer.name"),
    )
    related = ("producer", "base", "batch", "input")


class BatchViews(CrudViews):
    model = Batch
    form_class = forms.BatchForm
    filterset_class = BatchFilter
    columns = (
        Col(gettext_lazy("批次号"), "number", link=True),
        Col(gettext_lazy("产品"), "product.name"),
        Col(gettext_lazy("来源"), "kind"),
        Col(gettext_lazy("数量"), "quantity"),
        Col(gettext_lazy("单位"), "unit"),
        Col(gettext_lazy("采收/生产日期"), "produced_on"),
        Col(gettext_lazy("状态"), "status"),
        Col(gettext_lazy("供货方"), "supplier"),
        Col(gettext_lazy("生产经营主体"), "producer.name"),
    )
    related = ("producer", "product")
    detail_template = "production/batch_detail.html"

    @staticmethod
    def detail_context(batch: Batch) -> dict[str, Any]:
        report = trace(batch)
        quantities = balances(report)
        return {
            "report": report,
            "balances": quantities,
            "buyers": by_buyer(report),
            "sections": sections(report),
            "remaining": next(b.remaining for b in quantities if b.depth == 0),
            "split_form": forms.SplitForm(),
        }

    @staticmethod
    def viewer_context(batch: Batch, user: Any) -> dict[str, Any]:
        """The guided flow (test → certificate → codes → labels) as the viewer may follow it."""
        return {"steps": steps(batch, user)}


class ShipmentViews(CrudViews):
    model = Shipment
    form_class = forms.ShipmentForm
    filterset_class = ShipmentFilter
    columns = (
        Col(gettext_lazy("发货日期"), "shipped_on", link=True),
        Col(gettext_lazy("批次"), "batch.number"),
        Col(gettext_lazy("数量"), "quantity"),
        Col(gettext_lazy("购买方"), "buyer"),
        Col(gettext_lazy("去向类型"), "buyer_kind"),
        Col(gettext_lazy("目的地"), "destination"),
    )
    related = ("batch",)


class Harvest(ScopedMixin, View):
    """Record a harvest or slaughter on a base; it creates the batch."""

    model = Batch
    scope_action = "add"
    template_name = "production/harvest.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        form = forms.HarvestForm(user=request.user, initial=request.GET.dict())
        return render(request, self.template_name, {"form": form})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = forms.HarvestForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                batch = form.save()
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("已记录采收，生成批次 %(n)s") % {"n": batch.number})
                return redirect(batch)
        return render(request, self.template_name, {"form": form}, status=400)


class Split(ScopedActionView):
    """Split a batch (POST ``quantities``)."""

    model = Batch
    form_class = forms.SplitForm

    def act(self, batch: Batch, data: dict[str, Any]) -> str:
        parts = services.split_batch(batch, data["quantities"])
        return _("已分为 %(n)s 个批次") % {"n": len(parts)}


class TraceExport(ScopedMixin, View):
    """The trace report of a batch as xlsx."""

    model = Batch

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        report = trace(get_object_or_404(self.get_queryset(), pk=pk))
        return xlsx_response(f"trace-{report.batch.number}", trace_xlsx(report))

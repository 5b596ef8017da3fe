"""Producer registry pages: regulators' workspace and producers' own workspace."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from agritrace.core.tables import Col
from agritrace.core.views import CrudViews, ScopedActionView, ScopedMixin
from agritrace.producers import forms, services
from agritrace.producers.filters import (
    EquipmentFilter,
    ProducerFilter,
    ProductionBaseFilter,
    TracePointFilter,
)
from agritrace.producers.models import Equipment, Producer, ProductionBase, TracePoint


class ProducerViews(CrudViews):
    model = Producer
    form_class = forms.ProducerForm
    filterset_class = ProducerFilter
    columns = (
        Col(gettext_lazy("主体名称"), "name", link=True),
        Col(gettext_lazy("主体类型"), "kind"),
        Col(gettext_lazy("统一社会信用代码"), "uscc"),
        Col(gettext_lazy("所在乡镇（街道）"), "township.full_name"),
        Col(gettext_lazy("规模主体"), "scale_producer"),
        Col(gettext_lazy("龙头企业级别"), "leading_level"),
        Col(gettext_lazy("状态"), "status"),
    )
    related = ("township",)
    detail_template = "producers/producer_detail.html"

    @staticmethod
    def detail_context(producer: Producer) -> dict[str, Any]:
        return {
            "bases": producer.bases.select_related("township"),
            "trace_points": producer.trace_points.select_related("township"),
            "equipment": producer.equipment.select_related("trace_point"),
            "missing_equipment": services.missing_equipment(producer),
            "transitions": services.TRANSITIONS.get(producer.status, frozenset()),
            "identity_url": services.identity_url(producer),
        }

    @staticmethod
    def viewer_context(producer: Producer, user: Any) -> dict[str, Any]:
        return {"may_review": services.may_review(user, producer)}


class BaseViews(CrudViews):
    model = ProductionBase
    form_class = forms.ProductionBaseForm
    filterset_class = ProductionBaseFilter
    columns = (
        Col(gettext_lazy("基地名称"), "name", link=True),
        Col(gettext_lazy("生产经营主体"), "producer.name"),
        Col(gettext_lazy("基地类型"), "kind"),
        Col(gettext_lazy("面积（亩）"), "area_mu"),
        Col(gettext_lazy("所在乡镇（街道）"), "township.full_name"),
    )
    related = ("producer", "township")


class TracePointViews(CrudViews):
    model = TracePoint
    form_class = forms.TracePointForm
    filterset_class = TracePointFilter
    columns = (
        Col(gettext_lazy("名称"), "name", link=True),
        Col(gettext_lazy("类型"), "kind"),
        Col(gettext_lazy("生产经营主体"), "producer.name"),
        Col(gettext_lazy("乡镇监管站"), "organisation.name"),
        Col(gettext_lazy("所在乡镇（街道）"), "township.full_name"),
    )
    related = ("producer", "organisation", "township")


class EquipmentViews(CrudViews):
    model = Equipment
    form_class = forms.EquipmentForm
    filterset_class = EquipmentFilter
    columns = (
        Col(gettext_lazy("设备类别"), "category", link=True),
        Col(gettext_lazy("品牌型号"), "model_name"),
        Col(gettext_lazy("生产经营主体"), "producer.name"),
        Col(gettext_lazy("机构"), "organisation.name"),
        Col(gettext_lazy("分辨率"), "dpi"),
        Col(gettext_lazy("状态"), "status"),
    )
    related = ("producer", "organisation")


class ProducerReview(ScopedActionView):
    """Approve or suspend (POST ``to`` and ``note``)."""

    model = Producer
    form_class = forms.ReviewForm

    def act(self, producer: Producer, data: dict[str, Any]) -> str:
        services.review(producer, data["to"], by=self.request.user, note=data["note"])
        return _("已更新状态：%(status)s") % {"status": producer.get_status_display()}


class ProducerQR(ScopedMixin, View):
    """The producer identity QR code as SVG or PNG (``?fmt=png``)."""

    model = Producer

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        producer = get_object_or_404(self.get_queryset(), pk=pk)
        kind = "png" if request.GET.get("fmt") == "png" else "svg"
        response = HttpResponse(
            services.identity_qr(producer, kind),
            content_type="image/png" if kind == "png" else "image/svg+xml",
        )
        if request.GET.get("download"):
            response["Content-Disposition"] = (
                f'attachment; filename="producer-{producer.identity_code}.{kind}"'
            )
        return response


class MyProducer(ScopedMixin, View):
    """A producer user's workspace home: its own producer's page."""

    model = Producer

    def get(self, request: HttpRequest) -> HttpResponse:
        if not request.user.producer_id:
            return redirect("producers:producer_list")
        return redirect("producers:producer_detail", pk=request.user.producer_id)


class Register(View):
    """Public self-registration; the producer waits as "applied" for approval."""

    template_name = "producers/register.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(
            request,
            self.template_name,
            {
                "form": forms.RegistrationForm(prefix="p"),
                "account": forms.OwnerAccountForm(prefix="u"),
            },
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        form = forms.RegistrationForm(request.POST, prefix="p")
        account = forms.OwnerAccountForm(request.POST, prefix="u")
        if form.is_valid() and account.is_valid():
            producer = services.register_producer(
                form.save(commit=False),
                account.save(commit=False),
                form.cleaned_data["industries"],
            )
            login(
                request, producer.users.get(), backend="django.contrib.auth.backends.ModelBackend"
            )
            messages.success(request, _("注册已提交，等待乡镇或县级监管部门审核。"))
            return HttpResponseRedirect(producer.get_absolute_url())
        return render(request, self.template_name, {"form": form, "account": account}, status=400)

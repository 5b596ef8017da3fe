"""Testing pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View

from agritrace.core.exports import xlsx_response
from agritrace.core.tables import Col
from agritrace.core.validators import EARLIEST_DAY, LATEST_DAY
from agritrace.core.views import CrudViews, ScopedMixin
from agritrace.producers.models import Producer
from agritrace.testing import forms, reports
from agritrace.testing.choices import RecordStatus
from agritrace.testing.filters import (
    DeviceFilter,
    DeviceUploadFilter,
    SelfTestPlanFilter,
    TechnicianFilter,
    TestRecordFilter,
)
from agritrace.testing.models import (
    Device,
    DeviceUpload,
    SelfTestPlan,
    Technician,
    TestRecord,
)

#: Uploads shown on a device's page.
RECENT_UPLOADS = 20


class TestViews(CrudViews):
    __test__ = False
    model = TestRecord
    form_class = forms.TestRecordForm
    filterset_class = TestRecordFilter
    columns = (
        Col(_("检测时间"), "tested_at", link=True),
        Col(_("受检主体"), "producer.name"),
        Col(_("样品名称"), "sample_name"),
        Col(_("检测项目"), "item"),
        Col(_("检测方法"), "method"),
        Col(_("检测类型"), "purpose"),
        Col(_("结果"), "result"),
        Col(_("批次"), "batch.number"),
    )
    related = ("producer", "batch")


class DeviceViews(CrudViews):
    model = Device
    form_class = forms.DeviceForm
    filterset_class = DeviceFilter
    columns = (
        Col(_("序列号"), "serial", link=True),
        Col(_("设备类别"), "kind"),
        Col(_("品牌型号"), "model_name"),
        Col(_("生产经营主体"), "producer.name"),
        Col(_("机构"), "organisation.name"),
        Col(_("最近校准日期"), "calibrated_on"),
    )
    related = ("producer", "organisation")
    detail_template = "testing/device_detail.html"

    @staticmethod
    def detail_context(obj: Device) -> dict[str, Any]:
        """The device's latest uploads (its upload log)."""
        return {"uploads": list(obj.uploads.all()[:RECENT_UPLOADS])}


class UploadLogViews(CrudViews):
    """Devices' upload logs: kept as written, never added or edited by hand."""

    model = DeviceUpload
    form_class = None
    filterset_class = DeviceUploadFilter
    pages = ("list", "detail")
    detail_template = "testing/deviceupload_detail.html"
    columns = (
        Col(_("时间"), "created_at", link=True),
        Col(_("检测设备"), "device.serial"),
        Col(_("格式"), "source"),
        Col(_("上传结果"), "status"),
        Col(_("记录数"), "records"),
        Col(_("接收"), "accepted"),
        Col(_("重复"), "duplicates"),
        Col(_("冲突"), "conflicts"),
        Col(_("拒收"), "rejected"),
    )
    related = ("device",)

    @staticmethod
    def detail_context(obj: DeviceUpload) -> dict[str, Any]:
        """The per-record results, with their statuses' labels."""
        labels = dict(RecordStatus.choices)
        return {
            "results": [
                result | {"label": labels.get(result.get("status"), result.get("status"))}
                for result in obj.results
                if isinstance(result, dict)
            ]
        }


class TechnicianViews(CrudViews):
    model = Technician
    form_class = forms.TechnicianForm
    filterset_class = TechnicianFilter
    columns = (
        Col(_("姓名"), "name", link=True),
        Col(_("上岗证/培训证书编号"), "certificate"),
        Col(_("生产经营主体"), "producer.name"),
        Col(_("机构"), "organisation.name"),
        Col(_("在岗"), "active"),
    )
    related = ("producer", "organisation")


class PlanViews(CrudViews):
    model = SelfTestPlan
    form_class = forms.SelfTestPlanForm
    filterset_class = SelfTestPlanFilter
    columns = (
        Col(_("检测项目"), "items", link=True),
        Col(_("生产经营主体"), "producer.name"),
        Col(_("产品"), "product"),
        Col(_("检测方法"), "method"),
        Col(_("次数"), "times"),
        Col(_("周期"), "period"),
        Col(_("执行起"), "valid_from"),
        Col(_("执行止"), "valid_to"),
    )
    related = ("producer", "product")


class Summary(ScopedMixin, View):
    """The annual self-test summary of a producer: ``?year=2026&format=pdf|xlsx`` (HTML page
    otherwise), with plan-vs-actual compliance."""

    model = Producer

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        producer = get_object_or_404(self.get_queryset(), pk=pk)
        year_text = request.GET.get("year", "")
        year = (
            int(year_text)
            if year_text.isdigit() and EARLIEST_DAY.year <= int(year_text) <= LATEST_DAY.year
            else timezone.localdate().year
        )
        summary = reports.annual_summary(producer, year)
        kind = request.GET.get("format")
        if kind == "xlsx":
            return xlsx_response(f"self-test-{producer.pk}-{year}", reports.summary_xlsx(summary))
        if kind == "pdf":
            response = HttpResponse(reports.summary_pdf(summary), content_type="application/pdf")
            response["Content-Disposition"] = (
                f'attachment; filename="self-test-{producer.pk}-{year}.pdf"'
            )
            return response
        plans = [(plan, reports.compliance(plan, year)) for plan in producer.test_plans.all()]
        return render(
            request, "testing/summary.html", {"summary": summary, "plans": plans, "year": year}
        )

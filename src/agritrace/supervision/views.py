"""The complaint workspace (2020 spec Art. 23): the list within scope, a complaint's page,
handling, its photos."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.html import escape, format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from agritrace.core.tables import Col
from agritrace.core.views import CrudViews, ScopedActionView, ScopedMixin
from agritrace.supervision import services
from agritrace.supervision.filters import ComplaintFilter
from agritrace.supervision.forms import HandleForm
from agritrace.supervision.models import Complaint, ComplaintPhoto


class Deadline(str):
    """A deadline cell: the date as text (exports), marked in red on the page when overdue
    (templates render a ``str`` through its ``__html__``)."""

    def __new__(cls, due_on: dt.date, overdue: bool) -> Deadline:
        text = f"{due_on:%Y-%m-%d}" + (f" {_('已超期')}" if overdue else "")
        cell = super().__new__(cls, text)
        cell.overdue = overdue
        return cell

    overdue: bool

    def __html__(self) -> str:
        if not self.overdue:
            return str(escape(str.__str__(self)))
        date = self.split(" ", 1)[0]
        return format_html(
            '{} <span class="badge bg-red text-red-fg" data-testid="overdue">{}</span>',
            date,
            _("已超期"),
        )


class DeadlineCol(Col):
    """The deadline with the overdue mark."""

    def value(self, obj: Any) -> Deadline:
        return Deadline(obj.due_on, obj.overdue)


class ComplaintViews(CrudViews):
    """The regulators' complaint workspace (Art. 23): a list in scope and a complaint's page
    with its handling form; complaints are filed by the public and never edited or deleted."""

    model = Complaint
    form_class = None
    filterset_class = ComplaintFilter
    pages = ("list", "detail")
    detail_template = "supervision/complaint_detail.html"
    columns = (
        Col(gettext_lazy("受理编号"), "tracking_number", link=True),
        Col(gettext_lazy("类别"), "category"),
        Col(gettext_lazy("被投诉主体"), "producer.name"),
        Col(gettext_lazy("承办县市区"), "county.full_name"),
        Col(gettext_lazy("承办乡镇"), "township.name"),
        Col(gettext_lazy("状态"), "status"),
        Col(gettext_lazy("受理时间"), "created_at"),
        DeadlineCol(gettext_lazy("办理期限"), "due_on"),
    )
    related = ("producer", "county", "township")

    @staticmethod
    def detail_context(obj: Complaint) -> dict[str, Any]:
        return {
            "photos": obj.photos.all(),
            "handle_form": HandleForm(
                initial={"reply": obj.reply, "internal_note": obj.internal_note}
            ),
        }


class ComplaintHandle(ScopedActionView):
    """Take up, resolve or reject a complaint (POST ``status``, ``reply``, ``internal_note``)."""

    model = Complaint
    form_class = HandleForm

    def act(self, complaint: Complaint, data: dict[str, Any]) -> str:
        services.handle_complaint(
            complaint,
            data["status"],
            by=self.request.user,
            reply=data["reply"],
            internal_note=data["internal_note"],
        )
        return _("已处理")


class ComplaintPhotoFile(ScopedMixin, View):
    """A complaint's photo, only for the regulators who see the complaint (never a public
    media URL)."""

    model = Complaint

    def get(self, request: HttpRequest, pk: int, photo: int) -> HttpResponse:
        complaint = get_object_or_404(self.get_queryset(), pk=pk)
        found = get_object_or_404(ComplaintPhoto, pk=photo, complaint=complaint)
        response = FileResponse(found.image.open("rb"))
        response["Cache-Control"] = "private, max-age=3600"
        return response

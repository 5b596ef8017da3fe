"""Warning pages: the regulators' list within scope, a warning's page, handling; follow-ups;
the complaint workspace (2020 spec Art. 23)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.html import escape, format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from agritrace.core import scoping
from agritrace.core.tables import Col
from agritrace.core.views import CrudViews, ScopedDetailView, ScopedListView, ScopedMixin
from agritrace.supervision import services
from agritrace.supervision.filters import ComplaintFilter, FollowUpFilter, WarningFilter
from agritrace.supervision.forms import HandleForm
from agritrace.supervision.models import Complaint, ComplaintPhoto, FollowUp, Warning


class WarningList(ScopedListView):
    model = Warning
    filterset_class = WarningFilter
    columns = (
        Col(gettext_lazy("标题"), "title", link=True),
        Col(gettext_lazy("预警类型"), "kind"),
        Col(gettext_lazy("级别"), "severity"),
        Col(gettext_lazy("所在区划"), "region.full_name"),
        Col(gettext_lazy("状态"), "status"),
        Col(gettext_lazy("创建时间"), "created_at"),
    )

    def get_queryset(self) -> object:
        return super().get_queryset().select_related("region")


class WarningDetail(ScopedDetailView):
    model = Warning
    template_name = "supervision/warning_detail.html"

    def get_context_data(self, **kwargs: object) -> dict[str, object]:
        """Warnings are handled (acknowledged, closed), not edited or deleted."""
        context = super().get_context_data(**kwargs)
        context["can_handle"] = context.pop("can_change")
        context["can_delete"] = False
        return context


class WarningHandle(ScopedMixin, View):
    """Acknowledge or close (POST ``to`` and ``note``)."""

    model = Warning
    scope_action = "change"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        warning = get_object_or_404(self.get_queryset(), pk=pk)
        if not scoping.in_scope(request.user, warning, "change"):
            raise PermissionDenied
        try:
            services.handle(
                warning,
                request.POST.get("to", ""),
                by=request.user,
                note=request.POST.get("note", ""),
            )
        except (ValidationError, ValueError) as exc:
            for message in getattr(exc, "messages", [str(exc)]):
                messages.error(request, message)
        else:
            messages.success(request, _("已处理"))
        return redirect(warning)


class FollowUpList(ScopedListView):
    model = FollowUp
    filterset_class = FollowUpFilter
    columns = (
        Col(gettext_lazy("事项"), "title", link=True),
        Col(gettext_lazy("生产经营主体"), "producer.name"),
        Col(gettext_lazy("承办机构"), "organisation.name"),
        Col(gettext_lazy("办理期限"), "due_on"),
        Col(gettext_lazy("状态"), "status"),
    )

    def get_queryset(self) -> object:
        return super().get_queryset().select_related("producer", "organisation")


class FollowUpDetail(ScopedDetailView):
    model = FollowUp
    template_name = "supervision/followup_detail.html"

    def get_context_data(self, **kwargs: object) -> dict[str, object]:
        """Follow-ups are closed with a resolution, not edited or deleted."""
        context = super().get_context_data(**kwargs)
        context["can_handle"] = context.pop("can_change")
        context["can_delete"] = False
        return context


class FollowUpClose(ScopedMixin, View):
    """Close with the resolution (POST ``resolution``)."""

    model = FollowUp
    scope_action = "change"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        follow_up = get_object_or_404(self.get_queryset(), pk=pk)
        if not scoping.in_scope(request.user, follow_up, "change"):
            raise PermissionDenied
        try:
            services.close_follow_up(follow_up, resolution=request.POST.get("resolution", ""))
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("已办结"))
        return redirect(follow_up)


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


class ComplaintHandle(ScopedMixin, View):
    """Take up, resolve or reject a complaint (POST ``status``, ``reply``, ``internal_note``)."""

    model = Complaint
    scope_action = "change"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        complaint = get_object_or_404(self.get_queryset(), pk=pk)
        if not scoping.in_scope(request.user, complaint, "change"):
            raise PermissionDenied
        form = HandleForm(request.POST)
        try:
            if not form.is_valid():
                raise ValidationError(form.errors)
            data = form.cleaned_data
            services.handle_complaint(
                complaint,
                data["status"],
                by=request.user,
                reply=data["reply"],
                internal_note=data["internal_note"],
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("已处理"))
        return redirect(complaint)


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

"""Warning pages: the list within scope, a warning's page, handling; follow-ups."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from agritrace.alerts import services
from agritrace.alerts.filters import FollowUpFilter, WarningFilter
from agritrace.alerts.models import FollowUp, Warning
from agritrace.core import scoping
from agritrace.core.tables import Col
from agritrace.core.views import ScopedDetailView, ScopedListView, ScopedMixin


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
    template_name = "alerts/warning_detail.html"

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
    template_name = "alerts/followup_detail.html"

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

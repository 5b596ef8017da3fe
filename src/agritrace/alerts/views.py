"""Warning pages: the list within scope, a warning's page, handling; follow-ups."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agritrace.alerts import services
from agritrace.alerts.filters import FollowUpFilter, WarningFilter
from agritrace.alerts.forms import FollowUpCloseForm, WarningHandleForm
from agritrace.alerts.models import FollowUp, Warning
from agritrace.core import scoping
from agritrace.core.tables import Col
from agritrace.core.views import CrudViews, ScopedActionView


def may_handle(obj: Warning | FollowUp, user: Any) -> dict[str, Any]:
    """Whether ``user`` sees the handling form (the ``change`` grant, in scope)."""
    return {"can_handle": scoping.in_scope(user, obj, "change")}


def warning_viewer(warning: Warning, user: Any) -> dict[str, Any]:
    """The handling form, and the way to what the warning is about (the certification, test,
    code, camera, product… when the user may see it)."""
    subject = warning.subject
    visible = (
        subject is not None
        and hasattr(subject, "get_absolute_url")
        and (
            getattr(type(subject), "scope_rules", None) is None
            or scoping.in_scope(user, subject, "view")
        )
    )
    return may_handle(warning, user) | {"subject": subject if visible else None}


class WarningViews(CrudViews):
    """Warnings in scope and a warning's page with its handling form; the platform's rules
    raise them, regulators acknowledge and close them, nobody edits or deletes one."""

    model = Warning
    form_class = None
    filterset_class = WarningFilter
    pages = ("list", "detail")
    detail_template = "alerts/warning_detail.html"
    columns = (
        Col(gettext_lazy("标题"), "title", link=True),
        Col(gettext_lazy("预警类型"), "kind"),
        Col(gettext_lazy("级别"), "severity"),
        Col(gettext_lazy("所在区划"), "region.full_name"),
        Col(gettext_lazy("状态"), "status"),
        Col(gettext_lazy("创建时间"), "created_at"),
    )
    related = ("region",)
    viewer_context = staticmethod(warning_viewer)


class FollowUpViews(CrudViews):
    """Follow-up items in scope; closed with a resolution, not edited or deleted."""

    model = FollowUp
    form_class = None
    filterset_class = FollowUpFilter
    pages = ("list", "detail")
    detail_template = "alerts/followup_detail.html"
    columns = (
        Col(gettext_lazy("事项"), "title", link=True),
        Col(gettext_lazy("生产经营主体"), "producer.name"),
        Col(gettext_lazy("承办机构"), "organisation.name"),
        Col(gettext_lazy("办理期限"), "due_on"),
        Col(gettext_lazy("状态"), "status"),
    )
    related = ("producer", "organisation")
    viewer_context = staticmethod(may_handle)


class WarningHandle(ScopedActionView):
    """Acknowledge or close (POST ``to`` and ``note``)."""

    model = Warning
    form_class = WarningHandleForm

    def act(self, warning: Warning, data: dict[str, Any]) -> str:
        services.handle(warning, data["to"], by=self.request.user, note=data["note"])
        return _("已处理")


class FollowUpClose(ScopedActionView):
    """Close with the resolution (POST ``resolution``)."""

    model = FollowUp
    form_class = FollowUpCloseForm

    def act(self, follow_up: FollowUp, data: dict[str, Any]) -> str:
        services.close_follow_up(follow_up, resolution=data["resolution"])
        return _("已办结")

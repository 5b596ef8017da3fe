"""Warning and follow-up forms: the handling a regulator posts from the object's page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from agritrace.alerts.models import WarningStatus


class WarningHandleForm(forms.Form):
    """Acknowledge or close a warning, with the handling note (the rule of which change is
    allowed, and that closing needs a note, is :func:`agritrace.alerts.services.handle`)."""

    to = forms.ChoiceField(
        label=_("处理"),
        choices=[(s.value, s.label) for s in WarningStatus if s != WarningStatus.OPEN],
    )
    note = forms.CharField(
        label=_("处理意见"),
        max_length=500,
        required=False,
    )


class FollowUpCloseForm(forms.Form):
    """Close a follow-up with what was done (required by
    :func:`agritrace.alerts.services.close_follow_up`)."""

    resolution = forms.CharField(
        label=_("办理结果"),
        max_length=2000,
        required=False,
        strip=False,
    )

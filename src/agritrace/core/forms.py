"""Form base class: choices offered to a user are limited to the user's scope."""

from __future__ import annotations

from typing import Any

from django import forms

from agritrace.core import scoping
from agritrace.regions.models import Level
from agritrace.regions.widgets import RegionSelect

#: The widgets of dates and moments: the browser's own pickers, which read and write ISO values
#: whatever the page's language (a localised "2026/12/01" would show an empty picker and lose
#: the date on the next save).
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MOMENT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ScopedModelForm(forms.ModelForm):
    """Takes ``user``; every choice of a scoped model or of a region is narrowed to the user's
    scope, so a form never offers (or accepts) what the user may not see."""

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        for name, field in self.fields.items():
            if isinstance(field, forms.ModelChoiceField):
                field.queryset = scoped_choices(field.queryset, user)
                if field.queryset.model._meta.label == "regions.Region":
                    level = Level.TOWNSHIP if name == "township" else ""
                    field.widget = RegionSelect(level=level)
                    field.widget.choices = field.choices


class ProducerOwnedForm(ScopedModelForm):
    """A form of something a producer owns: producer users do not choose the producer (their
    own is used)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if getattr(self.user, "producer_id", None):
            self.fields.pop("producer", None)


def scoped_choices(queryset: Any, user: Any) -> Any:
    """``queryset`` narrowed to what ``user`` may see (regions: the user's region and below)."""
    model = queryset.model
    if getattr(model, "scope_rules", None) is not None:
        return queryset.restrict(user, "view")
    if model._meta.label == "regions.Region" and not scoping.is_unrestricted(user):
        region = getattr(user, "scope_region", None)
        if region is None:
            producer = getattr(user, "producer", None)
            region = producer.township.county if producer is not None else None
        return queryset.within(region) if region is not None else queryset.none()
    return queryset

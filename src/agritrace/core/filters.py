"""Filters shared by the FilterSets of several apps."""

from __future__ import annotations

from typing import Any

import django_filters
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django_filters.utils import get_model_field

from agritrace.regions.models import Region


class RegionWithinFilter(django_filters.CharFilter):
    """``?region=<code>``: objects whose region is that region or lies below it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("区划代码"))
        super().__init__(*args, **kwargs)

    def filter(self, qs: Any, value: str) -> Any:
        if not value:
            return qs
        region = Region.objects.filter(code=value.strip()).first()
        if region is None:
            return qs.none()
        return qs.filter(**{f"{self.field_name}__path__startswith": region.path})


class ScopedFilterSet(django_filters.FilterSet):
    """A FilterSet whose object choices (producer, organisation, trace point…) are narrowed to
    what the requesting user may see, so a filter form never lists out-of-scope names; a filter
    declared without a label is labelled by its model field's verbose name alone (django-filter
    would append its lookup in English, "购买方 contains", having no zh-hans catalogue)."""

    @classmethod
    def get_filters(cls) -> dict[str, Any]:
        """The class's filters, each declared without a label labelled by its model field's
        verbose name, lazily: set once here, before anything (the OpenAPI schema, a page in
        another language) reads a label and django-filter caches its own guess."""
        filters = super().get_filters()
        for filter_ in filters.values():
            field = (
                get_model_field(cls._meta.model, filter_.field_name) if cls._meta.model else None
            )
            if filter_._label is None and field is not None:
                filter_.label = capfirst(field.verbose_name)
        return filters

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from agritrace.core.forms import scoped_choices

        user = getattr(self.request, "user", None)
        for field in self.form.fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is not None:
                field.queryset = scoped_choices(queryset, user)

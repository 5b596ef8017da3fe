"""FilterSets shared by the pages and the API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from agritrace.accounts.models import Organisation, OrganisationKind, User
from agritrace.core.filters import RegionWithinFilter, ScopedFilterSet
from agritrace.core.permissions import Role


class OrganisationFilter(ScopedFilterSet):
    """Organisations by kind and region."""

    kind = django_filters.ChoiceFilter(choices=OrganisationKind.choices)
    region = RegionWithinFilter(field_name="region")
    q = django_filters.CharFilter(field_name="name", lookup_expr="contains", label=_("名称"))

    class Meta:
        model = Organisation
        fields = ["kind", "region", "active"]


class UserFilter(ScopedFilterSet):
    """Users by organisation, producer and role."""

    role = django_filters.ChoiceFilter(choices=Role.choices)
    q = django_filters.CharFilter(field_name="username", lookup_expr="contains", label=_("账号"))

    class Meta:
        model = User
        fields = ["organisation", "producer", "role", "is_active"]

"""Organisation and user pages."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy

from agritrace.accounts import forms
from agritrace.accounts.filters import OrganisationFilter, UserFilter
from agritrace.accounts.models import Organisation, User
from agritrace.core.tables import Col
from agritrace.core.views import (
    ScopedCreateView,
    ScopedDeleteView,
    ScopedDetailView,
    ScopedListView,
    ScopedUpdateView,
)


class OrganisationList(ScopedListView):
    model = Organisation
    filterset_class = OrganisationFilter
    columns = (
        Col(gettext_lazy("名称"), "name", link=True),
        Col(gettext_lazy("机构类型"), "kind"),
        Col(gettext_lazy("所在区划"), "region.full_name"),
        Col(gettext_lazy("启用"), "active"),
    )

    def get_queryset(self) -> Any:
        return super().get_queryset().select_related("region")


class OrganisationDetail(ScopedDetailView):
    model = Organisation
    template_name = "core/detail.html"


class OrganisationCreate(ScopedCreateView):
    model = Organisation
    form_class = forms.OrganisationForm


class OrganisationUpdate(ScopedUpdateView):
    model = Organisation
    form_class = forms.OrganisationForm


class OrganisationDelete(ScopedDeleteView):
    model = Organisation


class UserList(ScopedListView):
    model = User
    filterset_class = UserFilter
    columns = (
        Col(gettext_lazy("账号"), "username", link=True),
        Col(gettext_lazy("姓名"), "first_name"),
        Col(gettext_lazy("所属机构"), "organisation.name"),
        Col(gettext_lazy("所属生产经营主体"), "producer.name"),
        Col(gettext_lazy("角色"), "role"),
        Col(gettext_lazy("启用"), "is_active"),
    )

    def get_queryset(self) -> Any:
        return super().get_queryset().select_related("organisation", "producer")


class UserDetail(ScopedDetailView):
    model = User
    template_name = "core/detail.html"


class UserCreate(ScopedCreateView):
    model = User
    form_class = forms.UserCreateForm


class UserUpdate(ScopedUpdateView):
    model = User
    form_class = forms.UserUpdateForm


class UserDelete(ScopedDeleteView):
    model = User

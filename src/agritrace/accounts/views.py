"""Organisation and user pages."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from agritrace.accounts import forms
from agritrace.accounts.filters import OrganisationFilter, UserFilter
from agritrace.accounts.models import Organisation, User
from agritrace.core.tables import Col
from agritrace.core.views import CrudViews


class OrganisationViews(CrudViews):
    model = Organisation
    form_class = forms.OrganisationForm
    filterset_class = OrganisationFilter
    columns = (
        Col(gettext_lazy("名称"), "name", link=True),
        Col(gettext_lazy("机构类型"), "kind"),
        Col(gettext_lazy("所在区划"), "region.full_name"),
        Col(gettext_lazy("启用"), "active"),
    )
    related = ("region",)


class UserViews(CrudViews):
    model = User
    form_class = forms.UserCreateForm
    edit_form_class = forms.UserUpdateForm
    filterset_class = UserFilter
    columns = (
        Col(gettext_lazy("账号"), "username", link=True),
        Col(gettext_lazy("姓名"), "first_name"),
        Col(gettext_lazy("所属机构"), "organisation.name"),
        Col(gettext_lazy("所属生产经营主体"), "producer.name"),
        Col(gettext_lazy("角色"), "role"),
        Col(gettext_lazy("启用"), "is_active"),
    )
    related = ("organisation", "producer")

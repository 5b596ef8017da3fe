"""Organisation and user URLs."""

from agritrace.accounts import views
from agritrace.core.urls import crud

app_name = "accounts"

urlpatterns = [
    *crud(
        "organisations",
        "organisation",
        {
            "list": views.OrganisationList,
            "add": views.OrganisationCreate,
            "detail": views.OrganisationDetail,
            "edit": views.OrganisationUpdate,
            "delete": views.OrganisationDelete,
        },
    ),
    *crud(
        "users",
        "user",
        {
            "list": views.UserList,
            "add": views.UserCreate,
            "detail": views.UserDetail,
            "edit": views.UserUpdate,
            "delete": views.UserDelete,
        },
    ),
]

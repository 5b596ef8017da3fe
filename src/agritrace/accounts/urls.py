"""Organisation and user URLs."""

from agritrace.accounts import views
from agritrace.core.urls import crud

app_name = "accounts"

urlpatterns = [
    *crud(
        "organisations",
        "organisation",
        list_view=views.OrganisationList,
        detail=views.OrganisationDetail,
        add=views.OrganisationCreate,
        edit=views.OrganisationUpdate,
        delete=views.OrganisationDelete,
    ),
    *crud(
        "users",
        "user",
        list_view=views.UserList,
        detail=views.UserDetail,
        add=views.UserCreate,
        edit=views.UserUpdate,
        delete=views.UserDelete,
    ),
]

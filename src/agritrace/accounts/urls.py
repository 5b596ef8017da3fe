"""Organisation and user URLs."""

from agritrace.accounts import views

app_name = "accounts"

urlpatterns = [
    *views.OrganisationViews.urls("organisations"),
    *views.UserViews.urls("users"),
]

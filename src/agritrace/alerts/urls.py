"""Warning and follow-up URLs."""

from django.urls import path

from agritrace.alerts import views

app_name = "alerts"

urlpatterns = [
    *views.WarningViews.urls("warnings"),
    path("warnings/<int:pk>/handle/", views.WarningHandle.as_view(), name="warning_handle"),
    *views.FollowUpViews.urls("follow-ups"),
    path("follow-ups/<int:pk>/close/", views.FollowUpClose.as_view(), name="followup_close"),
]

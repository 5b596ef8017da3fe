"""Warning and follow-up URLs."""

from django.urls import path

from agritrace.alerts import views

app_name = "alerts"

urlpatterns = [
    path("warnings/", views.WarningList.as_view(), name="warning_list"),
    path("warnings/<int:pk>/", views.WarningDetail.as_view(), name="warning_detail"),
    path("warnings/<int:pk>/handle/", views.WarningHandle.as_view(), name="warning_handle"),
    path("follow-ups/", views.FollowUpList.as_view(), name="followup_list"),
    path("follow-ups/<int:pk>/", views.FollowUpDetail.as_view(), name="followup_detail"),
    path("follow-ups/<int:pk>/close/", views.FollowUpClose.as_view(), name="followup_close"),
]

"""Supervision URLs."""

from django.urls import path

from agritrace.supervision import views

app_name = "supervision"

urlpatterns = [
    path("warnings/", views.WarningList.as_view(), name="warning_list"),
    path("warnings/<int:pk>/", views.WarningDetail.as_view(), name="warning_detail"),
    path("warnings/<int:pk>/handle/", views.WarningHandle.as_view(), name="warning_handle"),
]

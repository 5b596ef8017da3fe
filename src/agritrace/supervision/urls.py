"""Supervision URLs: the complaint workspace."""

from django.urls import path

from agritrace.supervision import views

app_name = "supervision"

urlpatterns = [
    path("complaints/<int:pk>/handle/", views.ComplaintHandle.as_view(), name="complaint_handle"),
    path(
        "complaints/<int:pk>/photos/<int:photo>/",
        views.ComplaintPhotoFile.as_view(),
        name="complaint_photo",
    ),
    *views.ComplaintViews.urls("complaints"),
]

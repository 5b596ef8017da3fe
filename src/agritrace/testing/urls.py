"""Testing pages' URLs."""

from django.urls import path

from agritrace.testing import views

app_name = "testing"

urlpatterns = [
    path("producers/<int:pk>/self-test-summary/", views.Summary.as_view(), name="summary"),
    *views.TestViews.urls("tests"),
    *views.DeviceViews.urls("devices"),
    *views.UploadLogViews.urls("device-uploads"),
    *views.TechnicianViews.urls("technicians"),
    *views.PlanViews.urls("test-plans"),
]

"""Testing pages' URLs."""

from agritrace.testing import views

app_name = "testing"

urlpatterns = [
    *views.TestViews.urls("tests"),
    *views.DeviceViews.urls("devices"),
    *views.TechnicianViews.urls("technicians"),
    *views.PlanViews.urls("test-plans"),
]

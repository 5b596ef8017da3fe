"""``/api/v1/testing/``."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from agritrace.testing import api

router = SimpleRouter()
router.register("tests", api.TestRecordViewSet)
router.register("devices", api.DeviceViewSet)
router.register("upload-logs", api.DeviceUploadViewSet)
router.register("technicians", api.TechnicianViewSet)
router.register("plans", api.SelfTestPlanViewSet)
router.register("limits", api.LimitViewSet)

urlpatterns = [
    path("uploads/", api.UploadView.as_view(), name="testing-upload"),
    path("uploads/csv/", api.CsvUploadView.as_view(), name="testing-upload-csv"),
    *router.urls,
]

"""``/api/v1/``: one router for every app's viewsets, and the few plain API views."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from agritrace.accounts.api import OrganisationViewSet, UserViewSet
from agritrace.alerts.api import FollowUpViewSet, WarningViewSet
from agritrace.catalog.api import (
    CertificationViewSet,
    ProductViewSet,
    StandardViewSet,
    TrainingSessionViewSet,
)
from agritrace.coding.api import (
    CertificateViewSet,
    CodeEventViewSet,
    CodeRollViewSet,
    LabelLayoutViewSet,
    MarketCheckViewSet,
    PrintJobViewSet,
    TraceCodeViewSet,
)
from agritrace.producers.api import (
    EquipmentViewSet,
    ProducerViewSet,
    ProductionBaseViewSet,
    TracePointViewSet,
)
from agritrace.production.api import (
    BatchViewSet,
    InputPurchaseViewSet,
    InputViewSet,
    ProductionRecordViewSet,
    ShipmentViewSet,
)
from agritrace.public.api import ScanEventViewSet, ScanStatsView
from agritrace.regions.api import RegionViewSet
from agritrace.supervision.api import ComplaintViewSet
from agritrace.testing.api import (
    CsvUploadView,
    DeviceUploadViewSet,
    DeviceViewSet,
    LimitViewSet,
    SelfTestPlanViewSet,
    TechnicianViewSet,
    TestRecordViewSet,
    UploadView,
)
from agritrace.video.api import CameraViewSet

router = DefaultRouter()
router.register("regions", RegionViewSet)
router.register("organisations", OrganisationViewSet)
router.register("users", UserViewSet)
router.register("producers", ProducerViewSet)
router.register("bases", ProductionBaseViewSet)
router.register("trace-points", TracePointViewSet)
router.register("equipment", EquipmentViewSet)
router.register("products", ProductViewSet)
router.register("certifications", CertificationViewSet)
router.register("standards", StandardViewSet)
router.register("training-sessions", TrainingSessionViewSet)
router.register("inputs", InputViewSet)
router.register("input-purchases", InputPurchaseViewSet)
router.register("records", ProductionRecordViewSet)
router.register("batches", BatchViewSet)
router.register("shipments", ShipmentViewSet)
router.register("warnings", WarningViewSet)
router.register("follow-ups", FollowUpViewSet)
router.register("complaints", ComplaintViewSet)
router.register("code-rolls", CodeRollViewSet)
router.register("trace-codes", TraceCodeViewSet)
router.register("code-events", CodeEventViewSet)
router.register("label-layouts", LabelLayoutViewSet)
router.register("print-jobs", PrintJobViewSet)
router.register("certificates", CertificateViewSet)
router.register("market-checks", MarketCheckViewSet)
router.register("scan-events", ScanEventViewSet)
router.register("cameras", CameraViewSet)
router.register("testing/tests", TestRecordViewSet)
router.register("testing/devices", DeviceViewSet)
router.register("testing/upload-logs", DeviceUploadViewSet)
router.register("testing/technicians", TechnicianViewSet)
router.register("testing/plans", SelfTestPlanViewSet)
router.register("testing/limits", LimitViewSet)

urlpatterns = [
    path("testing/uploads/", UploadView.as_view(), name="testing-upload"),
    path("testing/uploads/csv/", CsvUploadView.as_view(), name="testing-upload-csv"),
    *router.urls,
    path("scan-stats/", ScanStatsView.as_view(), name="scan-stats"),
]

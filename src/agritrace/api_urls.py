"""``/api/v1/``: one router for every app's viewsets."""

from rest_framework.routers import DefaultRouter

from agritrace.accounts.api import OrganisationViewSet, UserViewSet
from agritrace.producers.api import (
    EquipmentViewSet,
    ProducerViewSet,
    ProductionBaseViewSet,
    TracePointViewSet,
)
from agritrace.regions.api import RegionViewSet

router = DefaultRouter()
router.register("regions", RegionViewSet)
router.register("organisations", OrganisationViewSet)
router.register("users", UserViewSet)
router.register("producers", ProducerViewSet)
router.register("bases", ProductionBaseViewSet)
router.register("trace-points", TracePointViewSet)
router.register("equipment", EquipmentViewSet)

urlpatterns = router.urls

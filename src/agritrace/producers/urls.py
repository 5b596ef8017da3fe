"""Producer registry URLs."""

from django.urls import path

from agritrace.core.urls import crud
from agritrace.producers import views

app_name = "producers"

urlpatterns = [
    path("register/", views.Register.as_view(), name="register"),
    path("mine/", views.MyProducer.as_view(), name="mine"),
    path("producers/<int:pk>/review/", views.ProducerReview.as_view(), name="producer_review"),
    path("producers/<int:pk>/qr/", views.ProducerQR.as_view(), name="producer_qr"),
    *crud(
        "producers",
        "producer",
        list_view=views.ProducerList,
        detail=views.ProducerDetail,
        add=views.ProducerCreate,
        edit=views.ProducerUpdate,
        delete=views.ProducerDelete,
    ),
    *crud(
        "bases",
        "productionbase",
        list_view=views.BaseList,
        detail=views.BaseDetail,
        add=views.BaseCreate,
        edit=views.BaseUpdate,
        delete=views.BaseDelete,
    ),
    *crud(
        "trace-points",
        "tracepoint",
        list_view=views.TracePointList,
        detail=views.TracePointDetail,
        add=views.TracePointCreate,
        edit=views.TracePointUpdate,
        delete=views.TracePointDelete,
    ),
    *crud(
        "equipment",
        "equipment",
        list_view=views.EquipmentList,
        detail=views.EquipmentDetail,
        add=views.EquipmentCreate,
        edit=views.EquipmentUpdate,
        delete=views.EquipmentDelete,
    ),
]

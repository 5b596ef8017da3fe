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
        {
            "list": views.ProducerList,
            "add": views.ProducerCreate,
            "detail": views.ProducerDetail,
            "edit": views.ProducerUpdate,
            "delete": views.ProducerDelete,
        },
    ),
    *crud(
        "bases",
        "productionbase",
        {
            "list": views.BaseList,
            "add": views.BaseCreate,
            "detail": views.BaseDetail,
            "edit": views.BaseUpdate,
            "delete": views.BaseDelete,
        },
    ),
    *crud(
        "trace-points",
        "tracepoint",
        {
            "list": views.TracePointList,
            "add": views.TracePointCreate,
            "detail": views.TracePointDetail,
            "edit": views.TracePointUpdate,
            "delete": views.TracePointDelete,
        },
    ),
    *crud(
        "equipment",
        "equipment",
        {
            "list": views.EquipmentList,
            "add": views.EquipmentCreate,
            "detail": views.EquipmentDetail,
            "edit": views.EquipmentUpdate,
            "delete": views.EquipmentDelete,
        },
    ),
]

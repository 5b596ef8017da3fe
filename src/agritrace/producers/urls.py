"""Producer registry URLs."""

from django.urls import path

from agritrace.producers import views

app_name = "producers"

urlpatterns = [
    path("register/", views.Register.as_view(), name="register"),
    path("mine/", views.MyProducer.as_view(), name="mine"),
    path("producers/<int:pk>/review/", views.ProducerReview.as_view(), name="producer_review"),
    path("producers/<int:pk>/qr/", views.ProducerQR.as_view(), name="producer_qr"),
    *views.ProducerViews.urls("producers"),
    *views.BaseViews.urls("bases"),
    *views.TracePointViews.urls("trace-points"),
    *views.EquipmentViews.urls("equipment"),
]

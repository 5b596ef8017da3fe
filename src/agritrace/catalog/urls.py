"""Catalogue URLs."""

from django.urls import path

from agritrace.catalog import views

app_name = "catalog"

urlpatterns = [
    path("products/id-cards/", views.IdCardList.as_view(), name="idcard_list"),
    *views.ProductViews.urls("products"),
    *views.CertificationViews.urls("certifications"),
    *views.StandardViews.urls("standards"),
    *views.TrainingViews.urls("training"),
]

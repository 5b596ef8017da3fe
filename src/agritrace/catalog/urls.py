"""Catalogue URLs."""

from agritrace.catalog import views

app_name = "catalog"

urlpatterns = [
    *views.ProductViews.urls("products"),
    *views.CertificationViews.urls("certifications"),
    *views.StandardViews.urls("standards"),
    *views.TrainingViews.urls("training"),
]

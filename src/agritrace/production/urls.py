"""Production URLs."""

from django.urls import path

from agritrace.production import views

app_name = "production"

urlpatterns = [
    path("batches/harvest/", views.Harvest.as_view(), name="harvest"),
    path("batches/<int:pk>/split/", views.Split.as_view(), name="batch_split"),
    path("batches/<int:pk>/trace.xlsx", views.TraceExport.as_view(), name="batch_trace_xlsx"),
    *views.InputViews.urls("inputs"),
    *views.PurchaseViews.urls("input-purchases"),
    *views.RecordViews.urls("records"),
    *views.BatchViews.urls("batches"),
    *views.ShipmentViews.urls("shipments"),
]

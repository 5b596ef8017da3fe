"""Excel import URLs."""

from django.urls import path

from agritrace.core import import_views

app_name = "imports"

urlpatterns = [
    path("imports/", import_views.ImportHome.as_view(), name="home"),
    path("imports/<int:pk>/", import_views.ImportJobDetail.as_view(), name="job"),
    path("imports/<int:pk>/errors/", import_views.ImportErrorReport.as_view(), name="errors"),
    path("imports/templates/<slug:kind>/", import_views.ImportTemplate.as_view(), name="template"),
]

"""Region URLs."""

from django.urls import path

from agritrace.regions import views

app_name = "regions"

urlpatterns = [path("regions/pick/", views.pick, name="pick")]

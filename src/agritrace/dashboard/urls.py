"""Dashboard URLs."""

from django.urls import path

from agritrace.dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("workspace/", views.Home.as_view(), name="home"),
]

"""Video pages' URLs."""

from django.urls import path

from agritrace.video import views

app_name = "video"

urlpatterns = [
    path("video/", views.Home.as_view(), name="home"),
    path("video/wall/", views.Wall.as_view(), name="wall"),
    path("video/online-rates/", views.OnlineRates.as_view(), name="rates"),
    path("video/scoring/", views.Scoring.as_view(), name="scoring"),
    path("video/demo-stream/<str:name>", views.demo_stream, name="demo_stream"),
    path("producers/<int:pk>/video/", views.ProducerVideo.as_view(), name="producer"),
    path("cameras/<int:pk>/probe/", views.ProbeNow.as_view(), name="camera_probe"),
    *views.CameraViews.urls("cameras"),
]

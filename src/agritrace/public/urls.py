"""Public URLs (no login): short, so the QR codes stay small."""

from django.urls import path

from agritrace.public import complaints, views

app_name = "public"

urlpatterns = [
    path("go", views.lookup, name="lookup"),
    path("t/<str:code>", views.code_card, name="code"),
    path("c/<str:number>", views.certificate_card, name="certificate"),
    path("p/<str:code>", views.producer_card, name="producer_card"),
    path("01/<str:gtin>/10/<str:lot>/21/<str:serial>", views.digital_link, name="digital_link"),
    path("01/<str:gtin>/21/<str:serial>", views.digital_link, name="digital_link_serial"),
    path("lang/<str:code>/", views.language, name="language"),
    path("scans/", views.ScanStats.as_view(), name="scan_stats"),
    *views.ScanViews.urls("scan-events"),
    path("complaints/new/", complaints.new, name="complaint_new"),
    path("complaints/track/", complaints.track, name="complaint_track"),
    path("complaints/track/<str:number>/", complaints.status, name="complaint_status"),
]

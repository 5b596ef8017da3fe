"""Coding pages' URLs."""

from django.urls import path

from agritrace.coding import views

app_name = "coding"

urlpatterns = [
    path("trace-codes/bind/", views.Bind.as_view(), name="bind"),
    path("code-rolls/<int:pk>/void/", views.RollVoid.as_view(), name="coderoll_void"),
    path("certificates/<int:pk>/void/", views.CertificateVoid.as_view(), name="certificate_void"),
    path("certificates/<int:pk>/pdf/", views.CertificatePdf.as_view(), name="certificate_pdf"),
    path("print-jobs/<int:pk>/download/", views.PrintDownload.as_view(), name="printjob_file"),
    path("market-checks/check/", views.Check.as_view(), name="check"),
    path("products/id-cards/", views.IdCardList.as_view(), name="idcard_list"),
    *views.RollViews.urls("code-rolls"),
    *views.CodeViews.urls("trace-codes"),
    *views.EventViews.urls("code-events"),
    *views.LayoutViews.urls("label-layouts"),
    *views.PrintViews.urls("print-jobs"),
    *views.CertificateViews.urls("certificates"),
    *views.CheckViews.urls("market-checks"),
]

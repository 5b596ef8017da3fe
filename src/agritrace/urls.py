"""Root URLs."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from agritrace.core import pages
from agritrace.public import views as public_views

urlpatterns = [
    path("", public_views.front_door, name="home"),
    path("healthz", pages.healthz, name="healthz"),
    path("regions/pick/", pages.region_pick, name="region_pick"),
    path("", include("agritrace.public.urls")),  # first: the busiest pages resolve at once
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("agritrace.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("", include("agritrace.accounts.urls")),
    path("", include("agritrace.producers.urls")),
    path("", include("agritrace.core.import_urls")),
    path("", include("agritrace.catalog.urls")),
    path("", include("agritrace.production.urls")),
    path("", include("agritrace.alerts.urls")),
    path("", include("agritrace.supervision.urls")),
    path("", include("agritrace.testing.urls")),
    path("", include("agritrace.coding.urls")),
    path("", include("agritrace.video.urls")),
    path("", include("agritrace.dashboard.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

"""The platform's WSGI application plus one trivial view, ``/bench/trivial/``, that returns the
bytes of a saved ID-card page (``BENCH_PAGE``) through the same settings and middleware: the
baseline of ``bench_idcard``."""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpRequest, HttpResponse
from django.urls import get_resolver, include, path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agritrace.settings")
application = get_wsgi_application()
BODY = Path(os.environ["BENCH_PAGE"]).read_bytes()


def trivial(request: HttpRequest) -> HttpResponse:
    """The saved page's bytes, nothing else."""
    return HttpResponse(BODY, content_type="text/html; charset=utf-8")


urlpatterns = [path("bench/trivial/", trivial), path("", include("agritrace.urls"))]
settings.ROOT_URLCONF = __name__
get_resolver().url_patterns  # noqa: B018 (imported at start, as agritrace.wsgi does)

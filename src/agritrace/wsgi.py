"""WSGI entry point (gunicorn ``agritrace.wsgi``).

The URL configuration (and with it every view module) is imported here rather than on a
worker's first request, which would otherwise take over a second: the first shopper to scan a
code after a restart should not wait for it."""

import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agritrace.settings")
application = get_wsgi_application()
get_resolver().url_patterns  # noqa: B018 (imported for its side effect)

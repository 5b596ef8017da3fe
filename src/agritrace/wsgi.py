"""WSGI entry point (gunicorn ``agritrace.wsgi``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agritrace.settings")
application = get_wsgi_application()

"""Background tasks of the video app (Django's tasks framework; ``agritrace db_worker`` runs
them). Probing every camera is a periodic job: ``video/periodic.py``."""

from __future__ import annotations

from django.tasks import task

from agritrace.video import services
from agritrace.video.choices import ProbeTrigger
from agritrace.video.models import Camera


@task
def probe_camera(camera_id: int) -> str:
    """Probe one camera on demand; returns the status found."""
    camera = Camera.objects.select_related("producer__township").get(pk=camera_id)
    return services.probe_camera(camera, trigger=ProbeTrigger.ON_DEMAND).status

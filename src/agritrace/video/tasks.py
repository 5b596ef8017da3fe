"""Background tasks of the video app (Django's tasks framework; ``agritrace db_worker`` runs
them)."""

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


@task
def probe_all_cameras() -> dict[str, int]:
    """Probe every active camera (what ``agritrace probe_cameras`` does periodically)."""
    return services.probe_all()

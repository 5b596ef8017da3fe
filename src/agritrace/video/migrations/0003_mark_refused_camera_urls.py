"""Camera sources stored before they were checked on entry (issue 11, point 5): each camera
whose URL the entry rules refuse now (``validate_hls_url``: format, then the SSRF rules of
``agritrace.video.safefetch``) gets an "invalid" probe (地址无效, trigger 地址检查) saying why.
Its latest status is then invalid: it leaves the public ID card and counts as not online until
its source is corrected; the camera row itself is left as it was (nothing is lost)."""

from django.core.exceptions import ValidationError
from django.db import migrations
from django.utils import timezone

from agritrace.video.models import validate_hls_url


def mark_refused(apps, schema_editor):
    Camera = apps.get_model("video", "Camera")
    Probe = apps.get_model("video", "Probe")
    now = timezone.now()
    probes = []
    for pk, url in Camera.objects.order_by("pk").values_list("pk", "hls_url").iterator():
        try:
            validate_hls_url(url)
        except ValidationError as exc:
            error = " ".join(str(message) for message in exc.messages)
            probes.append(
                Probe(camera_id=pk, time=now, status="invalid", trigger="url_check", error=error)
            )
    Probe.objects.bulk_create(probes)


class Migration(migrations.Migration):
    dependencies = [("video", "0002_probe_figure_bounds")]

    operations = [migrations.RunPython(mark_refused, migrations.RunPython.noop)]

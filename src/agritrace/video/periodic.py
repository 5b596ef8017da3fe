"""The video app's scheduled job (``agritrace.core.periodic``)."""

from __future__ import annotations

import datetime as dt

from agritrace.core.periodic import periodic
from agritrace.video import services


@periodic("video.probe_cameras", every=dt.timedelta(minutes=5))
def probe_all_cameras() -> dict[str, int]:
    """Probe every active camera: the online rate, and the offline warning after several
    probes in a row that found no stream (2021 notice Annex 6)."""
    return services.probe_all()

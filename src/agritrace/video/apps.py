"""The video app: cameras at quality-control points, HLS probes, online rate."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VideoConfig(AppConfig):
    """视频监控 (2021 notice Annex 2 "5G技术", Annex 6)."""

    name = "agritrace.video"
    label = "video"
    verbose_name = _("视频监控")

"""Choices of the video app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PointType(models.TextChoices):
    """Quality-control points with a camera (2021 notice Annex 2 "5G技术": 核心基地、检测室、
    投入品仓库、加工车间等质量控制点)."""

    CORE_BASE = "core_base", _("核心基地")
    LAB = "lab", _("检测室")
    INPUT_STORE = "input_store", _("投入品仓库")
    WORKSHOP = "workshop", _("加工车间")
    OTHER = "other", _("其他")


#: The four point types the acceptance sheet scores (5 points each, at most 15).
SCORED_POINT_TYPES = (
    PointType.CORE_BASE,
    PointType.LAB,
    PointType.INPUT_STORE,
    PointType.WORKSHOP,
)


class ProbeStatus(models.TextChoices):
    """What a probe found (see ``agritrace.video.prober``)."""

    ONLINE = "online", _("在线")
    STALLED = "stalled", _("画面停滞")
    OFFLINE = "offline", _("离线")
    INVALID = "invalid", _("地址无效")


class ProbeTrigger(models.TextChoices):
    """Why a probe ran."""

    SCHEDULED = "scheduled", _("定时检测")
    ON_DEMAND = "on_demand", _("手动检测")
    DEMO = "demo", _("演示数据")
    URL_CHECK = "url_check", _("地址检查")

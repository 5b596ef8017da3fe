"""Choices of the producer registry."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProducerKind(models.TextChoices):
    """Kinds of producers (2020 spec Art. 5: 农业企业、农民合作社、家庭农场…)."""

    ENTERPRISE = "enterprise", _("农业企业")
    COOPERATIVE = "cooperative", _("农民专业合作社")
    FAMILY_FARM = "family_farm", _("家庭农场")
    LARGE_GROWER = "large_grower", _("种养大户")
    INDIVIDUAL = "individual", _("个体工商户")
    SLAUGHTERHOUSE = "slaughterhouse", _("屠宰企业")
    OTHER = "other", _("其他")


class IndustryCode(models.TextChoices):
    """Industries a producer works in."""

    PLANTING = "planting", _("种植业")
    LIVESTOCK = "livestock", _("畜牧业")
    AQUACULTURE = "aquaculture", _("渔业")
    PROCESSING = "processing", _("农产品加工")
    DISTRIBUTION = "distribution", _("收购贮运")


class LeadingLevel(models.TextChoices):
    """农业产业化龙头企业 level (2020 spec Art. 13)."""

    NONE = "", _("非龙头企业")
    CITY = "city", _("市级龙头企业")
    PROVINCIAL = "provincial", _("省级龙头企业")
    NATIONAL = "national", _("国家级龙头企业")


class ProducerStatus(models.TextChoices):
    """Registration status."""

    APPLIED = "applied", _("待审核")
    APPROVED = "approved", _("已审核")
    SUSPENDED = "suspended", _("已暂停")


class BaseKind(models.TextChoices):
    """Kinds of production base."""

    FIELD = "field", _("大田")
    GREENHOUSE = "greenhouse", _("设施大棚")
    ORCHARD = "orchard", _("果园")
    TEA_GARDEN = "tea_garden", _("茶园")
    LIVESTOCK_FARM = "livestock_farm", _("畜禽养殖场")
    POND = "pond", _("养殖水面")
    WORKSHOP = "workshop", _("加工车间")
    WAREHOUSE = "warehouse", _("仓库")
    OTHER = "other", _("其他")


class TracePointKind(models.TextChoices):
    """2020 spec Art. 9: producers' trace points, townships' trace service stations."""

    PRODUCER_POINT = "producer_point", _("追溯网点")
    SERVICE_STATION = "service_station", _("追溯服务站点")


class EquipmentCategory(models.TextChoices):
    """Equipment of the 2020 spec's Annex 1 (硬件设备配置规范)."""

    DESKTOP = "desktop", _("台式办公电脑")
    LAPTOP = "laptop", _("笔记本电脑")
    MOBILE_TERMINAL = "mobile_terminal", _("移动终端")
    A4_PRINTER = "a4_printer", _("A4 打印机")
    SCANNER = "scanner", _("扫码枪")
    LABEL_PRINTER = "label_printer", _("二维码/合格证打印机")
    UKEY = "ukey", _("U key")
    STANDARD_LAB = "standard_lab", _("标准化检测室")
    RAPID_PESTICIDE = "rapid_pesticide", _("A. 农药残留速测设备")
    RAPID_VETDRUG = "rapid_vetdrug", _("B. 兽药残留速测设备")
    RAPID_COMBINED = "rapid_combined", _("C. 综合一体速测设备")
    PORTABLE_TESTER = "portable_tester", _("便携式速测仪")
    WALL_DISPLAY = "wall_display", _("监管展示终端")
    EVIDENCE_CAMERA = "evidence_camera", _("取证相机/执法仪")
    CAMERA = "camera", _("在线监控设施")


class EquipmentStatus(models.TextChoices):
    """Whether a device works."""

    IN_SERVICE = "in_service", _("在用")
    BROKEN = "broken", _("故障")
    RETIRED = "retired", _("已报废")

"""Testing choices."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Method(models.TextChoices):
    """How a sample was tested (2020 spec Annex 1 device kinds A/B; quantitative lab tests)."""

    ENZYME = "enzyme", _("农药残留速测（酶抑制率法）")
    GOLD = "gold", _("兽药残留速测（胶体金）")
    ELISA = "elisa", _("兽药残留速测（ELISA）")
    LAB = "lab", _("定量检测（实验室）")


class Purpose(models.TextChoices):
    """Why: self-testing, supervisory sampling, commissioned testing, a retest."""

    SELF = "self", _("自律检测")
    SUPERVISORY = "supervisory", _("监督抽查")
    COMMISSIONED = "commissioned", _("委托检测")
    RETEST = "retest", _("复检")


class Result(models.TextChoices):
    """The judgment."""

    NEGATIVE = "negative", _("阴性")
    SUSPECT = "suspect", _("可疑，需复检")
    POSITIVE = "positive", _("阳性")
    INVALID = "invalid", _("无效")
    QUALIFIED = "qualified", _("合格")
    UNQUALIFIED = "unqualified", _("不合格")


#: Results that stop the batch (2021 notice: 检验检测; the batch goes "under review").
FAILING = frozenset({Result.POSITIVE, Result.UNQUALIFIED})
#: Results that pass.
PASSING = frozenset({Result.NEGATIVE, Result.QUALIFIED})


class TLine(models.TextChoices):
    """Colloidal gold test line compared with the control line (competitive format)."""

    ABSENT = "absent", _("T 线不显色")
    WEAKER = "weaker", _("T 线弱于 C 线")
    EQUAL_OR_STRONGER = "equal_or_stronger", _("T 线不弱于 C 线")


class DeviceKind(models.TextChoices):
    """Annex 1 of the 2020 spec: A, B or C rapid-test equipment."""

    A = "A", _("A. 农药残留速测设备")
    B = "B", _("B. 兽药残留速测设备")
    C = "C", _("C. 综合一体速测设备")


#: Methods each device kind can run.
DEVICE_METHODS = {
    DeviceKind.A: frozenset({Method.ENZYME}),
    DeviceKind.B: frozenset({Method.GOLD, Method.ELISA}),
    DeviceKind.C: frozenset({Method.ENZYME, Method.GOLD, Method.ELISA}),
}


class Period(models.TextChoices):
    """Self-test plan frequency periods."""

    WEEK = "week", _("每周")
    MONTH = "month", _("每月")
    QUARTER = "quarter", _("每季度")


class UploadStatus(models.TextChoices):
    """The overall answer to one device upload (2020 spec Annex 1: devices upload their data)."""

    ACCEPTED = "ACCEPTED", _("全部接收")
    PARTIALLY_ACCEPTED = "PARTIALLY_ACCEPTED", _("部分接收")
    CONFLICT = "CONFLICT", _("记录号冲突")
    REJECTED = "REJECTED", _("拒收")


class RecordStatus(models.TextChoices):
    """What became of one uploaded record."""

    ACCEPTED = "accepted", _("已接收")
    DUPLICATE = "duplicate", _("重复（已存在相同内容）")
    CONFLICT = "conflict", _("冲突（记录号已有不同内容）")
    REJECTED = "rejected", _("拒收")


class UploadFormat(models.TextChoices):
    """How the device sent its records."""

    JSON = "json", "JSON"
    CSV = "csv", "CSV"
